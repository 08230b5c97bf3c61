output "api_id" {
  description = "Resource id of the backoffice API web app."
  value       = azurerm_linux_web_app.api.id
}

output "api_name" {
  description = "Name of the backoffice API web app (deploy target)."
  value       = azurerm_linux_web_app.api.name
}

output "api_url" {
  description = "https URL of the backoffice API; the SPA build gets it as VITE_API_BASE_URL."
  value       = "https://${azurerm_linux_web_app.api.default_hostname}"
}

output "spa_name" {
  description = "Name of the Static Web App serving the SPA (deploy target)."
  value       = azurerm_static_web_app.spa.name
}

output "spa_url" {
  description = "https URL of the backoffice SPA (TIENDA_BACKOFFICE_UI_ORIGIN)."
  value       = local.spa_origin
}
