# Per-environment sizes. prod: private data plane (VNet integration, private endpoints,
# VNet-injected PostgreSQL), zone-redundant app plan and database, ZRS storage, geo backups.
# See docs/architecture.md for the monthly cost of these choices.
locals {
  environment = "prod"

  sizing = {
    private_networking      = true
    log_retention_days      = 90
    storage_replication     = "ZRS"
    postgres_sku            = "GP_Standard_D2ds_v5"
    postgres_storage_mb     = 131072
    postgres_backup_days    = 35
    postgres_geo_backup     = true
    postgres_ha             = true
    frontoffice_sku         = "P1v3"
    zone_balancing          = true
    frontoffice_autoscale   = { minimum = 2, default = 2, maximum = 8 }
    backoffice_sku          = "P0v3"
    backoffice_instances    = 1
    spa_sku                 = "Standard"
    functions_max_instances = 40
    powerbi_sku             = "A1"
  }
}
