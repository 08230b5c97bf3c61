output "capacity_id" {
  description = "Resource id of the Power BI Embedded capacity (assign workspaces to it in Power BI)."
  value       = azurerm_powerbi_embedded.this.id
}

output "capacity_name" {
  description = "Name of the Power BI Embedded capacity."
  value       = azurerm_powerbi_embedded.this.name
}

output "warehouse_connection" {
  description = "What the Power BI data source uses: server, database, the Entra principal, and the gateway subnet when the database is private."
  value = {
    server            = var.warehouse.host
    database          = var.warehouse.database
    principal         = var.warehouse_reader.name
    gateway_subnet_id = var.gateway_subnet_id
  }
}
