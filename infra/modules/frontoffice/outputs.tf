output "id" {
  description = "Resource id of the storefront web app."
  value       = azurerm_linux_web_app.this.id
}

output "name" {
  description = "Name of the storefront web app (deploy target)."
  value       = azurerm_linux_web_app.this.name
}

output "url" {
  description = "Public URL of the shop (TIENDA_PUBLIC_BASE_URL)."
  value       = local.public_base_url
}

output "default_url" {
  description = "https URL of the app's default host name."
  value       = "https://${azurerm_linux_web_app.this.default_hostname}"
}

output "plan_id" {
  description = "Resource id of the App Service plan."
  value       = azurerm_service_plan.this.id
}
