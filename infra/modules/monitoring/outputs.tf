output "action_group_id" {
  description = "Resource id of the action group (reuse it for other alerts)."
  value       = azurerm_monitor_action_group.this.id
}

output "alert_ids" {
  description = "Resource ids of the alert rules by purpose."
  value = {
    http_5xx_rate     = azurerm_monitor_scheduled_query_rules_alert_v2.http_5xx_rate.id
    poison_queue      = azurerm_monitor_scheduled_query_rules_alert_v2.poison_queue.id
    function_failures = azurerm_monitor_scheduled_query_rules_alert_v2.function_failures.id
    database_cpu      = azurerm_monitor_metric_alert.database_cpu.id
    database_storage  = azurerm_monitor_metric_alert.database_storage.id
  }
}

output "budget_id" {
  description = "Resource id of the resource-group budget."
  value       = azurerm_consumption_budget_resource_group.this.id
}
