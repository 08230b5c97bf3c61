output "names" {
  description = "Resource names of the environment, keyed by purpose (resource_group, storage_account, frontoffice_app, ...)."
  value       = local.names
}

output "tags" {
  description = "Tags every module applies."
  value       = local.tags
}

output "resource_group_name" {
  description = "Name of the environment's resource group."
  value       = azurerm_resource_group.this.name
}

output "resource_group_id" {
  description = "Resource id of the environment's resource group (budget scope)."
  value       = azurerm_resource_group.this.id
}

output "location" {
  description = "Azure region of the environment."
  value       = azurerm_resource_group.this.location
}

output "tenant_id" {
  description = "Entra tenant id of the subscription."
  value       = data.azurerm_client_config.current.tenant_id
}

output "log_analytics_workspace_id" {
  description = "Resource id of the Log Analytics workspace every diagnostic setting sends to."
  value       = azurerm_log_analytics_workspace.this.id
}

output "application_insights_id" {
  description = "Resource id of Application Insights (scope of the log alerts)."
  value       = azurerm_application_insights.this.id
}

output "application_insights_connection_string" {
  description = "Application Insights connection string for the apps (an ingestion endpoint, not a credential)."
  value       = azurerm_application_insights.this.connection_string
  sensitive   = true
}

output "key_vault_id" {
  description = "Resource id of the Key Vault."
  value       = azurerm_key_vault.this.id
}

output "key_vault_name" {
  description = "Name of the Key Vault; Key Vault references use it."
  value       = azurerm_key_vault.this.name
}

output "identities" {
  description = "User-assigned identities by deployable: resource id, client id, principal id and name."
  value = {
    for key, identity in azurerm_user_assigned_identity.this : key => {
      id           = identity.id
      client_id    = identity.client_id
      principal_id = identity.principal_id
      name         = identity.name
    }
  }
}

output "subnet_ids" {
  description = "Subnet ids by purpose (frontoffice, backoffice, functions, postgres, powerbi-gateway, private-endpoints, tools); empty without private networking."
  value       = { for key, subnet in azurerm_subnet.this : key => subnet.id }
}

output "private_dns_zone_ids" {
  description = "Private DNS zone ids by service (blob, queue, vault, postgres); empty without private networking."
  value       = { for key, zone in azurerm_private_dns_zone.this : key => zone.id }
}

output "outbound_ip" {
  description = "Static public IP of the NAT gateway the private subnets leave through (allow-list it at the SMTP relay); null without private networking."
  value       = var.private_networking ? azurerm_public_ip.nat[0].ip_address : null
}
