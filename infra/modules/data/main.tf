locals {
  private = var.delegated_subnet_id != null
  # The transactional database and the warehouse live on one server: the ETL reads one and
  # writes the other without crossing the network, and the warehouse is small.
  databases = {
    transactional = "tienda"
    warehouse     = "tienda_warehouse"
  }
  server_parameters = {
    log_checkpoints              = "on"
    log_connections              = "on"
    log_disconnections           = "on"
    "connection_throttle.enable" = "on"
    log_min_duration_statement   = "500"
    require_secure_transport     = "on"
  }
}

resource "azurerm_postgresql_flexible_server" "this" {
  #checkov:skip=CKV_AZURE_136:geo-redundant backup is an input: on in prod, off in dev to halve backup cost
  #checkov:skip=CKV2_AZURE_57:prod uses VNet integration (delegated subnet), the private-access model of Flexible Server; dev has no VNet and accepts only Entra tokens
  name                          = var.name
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = var.postgres_version
  sku_name                      = var.sku_name
  storage_mb                    = var.storage_mb
  auto_grow_enabled             = true
  backup_retention_days         = var.backup_retention_days
  geo_redundant_backup_enabled  = var.geo_redundant_backup
  zone                          = var.zone
  delegated_subnet_id           = var.delegated_subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
  public_network_access_enabled = !local.private
  tags                          = var.tags

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = var.tenant_id
  }

  dynamic "high_availability" {
    for_each = var.high_availability ? [1] : []
    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = var.standby_zone
    }
  }

  maintenance_window {
    day_of_week  = 0
    start_hour   = 3
    start_minute = 0
  }

  lifecycle {
    # Azure may move the primary to the standby zone after a failover.
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}

resource "azurerm_postgresql_flexible_server_active_directory_administrator" "this" {
  for_each = var.entra_administrators

  server_name         = azurerm_postgresql_flexible_server.this.name
  resource_group_name = var.resource_group_name
  tenant_id           = var.tenant_id
  object_id           = each.value.object_id
  principal_name      = each.key
  principal_type      = each.value.principal_type
}

resource "azurerm_postgresql_flexible_server_database" "this" {
  for_each = local.databases

  name      = each.value
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"

  lifecycle {
    prevent_destroy = true
  }
}

resource "azurerm_postgresql_flexible_server_configuration" "this" {
  for_each = local.server_parameters

  name      = each.key
  server_id = azurerm_postgresql_flexible_server.this.id
  value     = each.value
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "azure_services" {
  #checkov:skip=CKV2_AZURE_26:dev only (count is 0 in prod, where the server is VNet-injected): Azure's 0.0.0.0 marker lets the dev App Service and Functions in; password auth is off so only Entra tokens of our identities are accepted
  count = !local.private && var.allow_azure_services ? 1 : 0

  # 0.0.0.0 is Azure's marker for "connections from Azure services", not an open range.
  name             = "allow-azure-services"
  server_id        = azurerm_postgresql_flexible_server.this.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_postgresql_flexible_server.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category = "PostgreSQLLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
