output "id" {
  description = "Resource id of the server (scope of the database alerts)."
  value       = azurerm_postgresql_flexible_server.this.id
}

output "fqdn" {
  description = "Host name the apps connect to."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_name" {
  description = "Name of the transactional database."
  value       = azurerm_postgresql_flexible_server_database.this["transactional"].name
}

output "warehouse_database_name" {
  description = "Name of the warehouse database."
  value       = azurerm_postgresql_flexible_server_database.this["warehouse"].name
}
