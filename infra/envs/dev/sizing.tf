# Per-environment sizes. dev: smallest SKUs, no VNet (public endpoints that accept only Entra
# identities), no HA, LRS. See docs/architecture.md for the monthly cost of these choices.
locals {
  environment = "dev"

  sizing = {
    private_networking      = false
    log_retention_days      = 30
    storage_replication     = "LRS"
    postgres_sku            = "B_Standard_B1ms"
    postgres_storage_mb     = 32768
    postgres_backup_days    = 7
    postgres_geo_backup     = false
    postgres_ha             = false
    frontoffice_sku         = "B1"
    zone_balancing          = false
    frontoffice_autoscale   = { minimum = 1, default = 1, maximum = 2 }
    backoffice_sku          = "B1"
    backoffice_instances    = 1
    spa_sku                 = "Free"
    functions_max_instances = 10
    powerbi_sku             = "A1"
  }
}
