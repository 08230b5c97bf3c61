resource "azurerm_powerbi_embedded" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  sku_name            = var.sku_name
  administrators      = var.administrators
  mode                = "Gen2"
  tags                = var.tags
}

# The warehouse access itself is a PostgreSQL role, not an Azure resource: scripts/deploy.sh
# (db-roles) maps warehouse_reader to a read-only role on tienda_warehouse, as an Entra
# administrator of the server. In prod the database is private, so the Power BI service reaches
# it through a VNet data gateway in gateway_subnet_id (configured in the Power BI admin portal).
