resource "azurerm_monitor_action_group" "this" {
  name                = var.action_group_name
  resource_group_name = var.resource_group_name
  short_name          = substr(replace(var.name_prefix, "-", ""), 0, 12)
  tags                = var.tags

  dynamic "email_receiver" {
    for_each = var.alert_emails
    content {
      name                    = "email-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

# HTTP 5xx *rate* per web app, from the App Service HTTP logs (a plain Http5xx count would
# page at night for two errors and miss a small site failing half its requests). The platform
# logs these whatever the app's own instrumentation does.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "http_5xx_rate" {
  name                 = "${var.name_prefix}-http-5xx-rate"
  resource_group_name  = var.resource_group_name
  location             = var.location
  description          = "More than ${var.http_5xx_rate_percent}% of a web app's requests failed with 5xx in 5 minutes."
  severity             = 1
  scopes               = [var.log_analytics_workspace_id]
  evaluation_frequency = "PT5M"
  window_duration      = "PT5M"
  tags                 = var.tags

  criteria {
    query                   = <<-KQL
      AppServiceHTTPLogs
      | where _ResourceId in~ (${join(", ", [for id in values(var.web_apps) : "'${lower(id)}'"])})
      | summarize total = count(), failed = countif(ScStatus >= 500) by App = tostring(split(_ResourceId, "/")[8])
      | where total >= 20
      | extend rate = 100.0 * failed / total
      | where rate > ${var.http_5xx_rate_percent}
    KQL
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0

    dimension {
      name     = "App"
      operator = "Include"
      values   = ["*"]
    }

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}

# Storage has no per-queue length metric (QueueMessageCount is account-wide), so "a poison
# queue is not empty" is watched as "a message was put on a -poison queue": the Functions
# host moves a message there after maxDequeueCount failures. Every such event pages.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "poison_queue" {
  name                 = "${var.name_prefix}-poison-queue"
  resource_group_name  = var.resource_group_name
  location             = var.location
  description          = "A message reached a -poison queue: a worker failed it maxDequeueCount times. Inspect and replay it (docs/deployment.md)."
  severity             = 1
  scopes               = [var.log_analytics_workspace_id]
  evaluation_frequency = "PT5M"
  window_duration      = "PT15M"
  tags                 = var.tags

  criteria {
    query                   = <<-KQL
      StorageQueueLogs
      | where _ResourceId =~ '${var.storage_account_id}/queueservices/default'
      | where OperationName == "PutMessage" and ObjectKey contains "-poison"
      | extend Queue = tostring(split(ObjectKey, "/")[2])
    KQL
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0

    dimension {
      name     = "Queue"
      operator = "Include"
      values   = ["*"]
    }

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "function_failures" {
  name                 = "${var.name_prefix}-function-failures"
  resource_group_name  = var.resource_group_name
  location             = var.location
  description          = "Function executions failed (queue handlers or the ETL timer) in the last 15 minutes."
  severity             = 2
  scopes               = [var.log_analytics_workspace_id]
  evaluation_frequency = "PT5M"
  window_duration      = "PT15M"
  tags                 = var.tags

  criteria {
    query                   = <<-KQL
      AppRequests
      | where AppRoleName =~ '${var.function_app.name}' and Success == false
      | project TimeGenerated, OperationName
    KQL
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0

    dimension {
      name     = "OperationName"
      operator = "Include"
      values   = ["*"]
    }

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}

resource "azurerm_monitor_metric_alert" "database_cpu" {
  name                = "${var.name_prefix}-database-cpu"
  resource_group_name = var.resource_group_name
  scopes              = [var.postgres_server_id]
  description         = "Database CPU above ${var.database_cpu_percent}% for 15 minutes."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "cpu_percent"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = var.database_cpu_percent
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

resource "azurerm_monitor_metric_alert" "database_storage" {
  name                = "${var.name_prefix}-database-storage"
  resource_group_name = var.resource_group_name
  scopes              = [var.postgres_server_id]
  description         = "Database storage above ${var.database_storage_percent}% (auto-grow is on; this is the early warning for cost and for the 16 TiB ceiling)."
  severity            = 2
  frequency           = "PT15M"
  window_size         = "PT1H"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "storage_percent"
    aggregation      = "Maximum"
    operator         = "GreaterThan"
    threshold        = var.database_storage_percent
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

resource "azurerm_consumption_budget_resource_group" "this" {
  name              = var.budget_name
  resource_group_id = var.resource_group_id
  amount            = var.monthly_budget
  time_grain        = "Monthly"

  time_period {
    start_date = var.budget_start_date
  }

  notification {
    enabled        = true
    threshold      = 80
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Actual"
    contact_emails = var.alert_emails
    contact_groups = [azurerm_monitor_action_group.this.id]
  }

  notification {
    enabled        = true
    threshold      = 100
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Forecasted"
    contact_emails = var.alert_emails
    contact_groups = [azurerm_monitor_action_group.this.id]
  }

  lifecycle {
    # Azure rejects changes to the start date of a running budget.
    ignore_changes = [time_period]
  }
}
