output "id" {
  description = "Resource id of the Function App (scope of the failure alert)."
  value       = azurerm_function_app_flex_consumption.this.id
}

output "name" {
  description = "Name of the Function App (deploy target)."
  value       = azurerm_function_app_flex_consumption.this.name
}

output "default_url" {
  description = "https URL of the Function App's default host name (no HTTP triggers; for the portal and diagnostics)."
  value       = "https://${azurerm_function_app_flex_consumption.this.default_hostname}"
}
