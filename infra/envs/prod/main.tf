module "foundation" {
  source = "../../modules/foundation"

  environment                 = local.environment
  location                    = var.location
  tags                        = var.tags
  log_retention_days          = local.sizing.log_retention_days
  private_networking          = local.sizing.private_networking
  key_vault_allowed_ip_ranges = var.key_vault_allowed_ip_ranges
  key_vault_secrets_officers  = var.key_vault_secrets_officers
}

locals {
  names       = module.foundation.names
  identities  = module.foundation.identities
  subnet_ids  = module.foundation.subnet_ids
  dns_zones   = module.foundation.private_dns_zone_ids
  private     = local.sizing.private_networking
  app_insight = module.foundation.application_insights_connection_string
}

module "storage" {
  source = "../../modules/storage"

  name                       = local.names.storage_account
  resource_group_name        = module.foundation.resource_group_name
  location                   = var.location
  tags                       = module.foundation.tags
  replication_type           = local.sizing.storage_replication
  log_analytics_workspace_id = module.foundation.log_analytics_workspace_id
  private_endpoint_subnet_id = local.private ? local.subnet_ids["private-endpoints"] : null
  private_dns_zone_ids       = local.dns_zones
  data_contributors          = { for key, identity in local.identities : key => identity.principal_id }
}

module "data" {
  source = "../../modules/data"

  name                       = local.names.postgres_server
  resource_group_name        = module.foundation.resource_group_name
  location                   = var.location
  tags                       = module.foundation.tags
  tenant_id                  = module.foundation.tenant_id
  sku_name                   = local.sizing.postgres_sku
  storage_mb                 = local.sizing.postgres_storage_mb
  backup_retention_days      = local.sizing.postgres_backup_days
  geo_redundant_backup       = local.sizing.postgres_geo_backup
  high_availability          = local.sizing.postgres_ha
  delegated_subnet_id        = local.private ? local.subnet_ids["postgres"] : null
  private_dns_zone_id        = local.private ? local.dns_zones["postgres"] : null
  allow_azure_services       = !local.private
  entra_administrators       = var.entra_database_administrators
  log_analytics_workspace_id = module.foundation.log_analytics_workspace_id
}

module "frontoffice" {
  source = "../../modules/frontoffice"

  name                                   = local.names.frontoffice_app
  plan_name                              = local.names.frontoffice_plan
  resource_group_name                    = module.foundation.resource_group_name
  location                               = var.location
  tags                                   = module.foundation.tags
  environment                            = local.environment
  sku_name                               = local.sizing.frontoffice_sku
  zone_balancing                         = local.sizing.zone_balancing
  autoscale                              = local.sizing.frontoffice_autoscale
  identity                               = local.identities["frontoffice"]
  key_vault_name                         = module.foundation.key_vault_name
  database                               = { host = module.data.fqdn, name = module.data.database_name }
  storage_account_name                   = module.storage.name
  smtp                                   = var.smtp
  public_base_url                        = var.public_base_url
  application_insights_connection_string = local.app_insight
  log_analytics_workspace_id             = module.foundation.log_analytics_workspace_id
  subnet_id                              = local.private ? local.subnet_ids["frontoffice"] : null
}

module "backoffice" {
  source = "../../modules/backoffice"

  name                                   = local.names.backoffice_api_app
  plan_name                              = local.names.backoffice_plan
  spa_name                               = local.names.backoffice_spa
  spa_sku                                = local.sizing.spa_sku
  resource_group_name                    = module.foundation.resource_group_name
  location                               = var.location
  tags                                   = module.foundation.tags
  environment                            = local.environment
  sku_name                               = local.sizing.backoffice_sku
  zone_balancing                         = false
  instance_count                         = local.sizing.backoffice_instances
  identity                               = local.identities["backoffice"]
  key_vault_name                         = module.foundation.key_vault_name
  database                               = { host = module.data.fqdn, name = module.data.database_name, warehouse_name = module.data.warehouse_database_name }
  storage_account_name                   = module.storage.name
  smtp                                   = var.smtp
  public_base_url                        = module.frontoffice.url
  application_insights_connection_string = local.app_insight
  log_analytics_workspace_id             = module.foundation.log_analytics_workspace_id
  subnet_id                              = local.private ? local.subnet_ids["backoffice"] : null
}

module "functions" {
  source = "../../modules/functions"

  name                                   = local.names.function_app
  plan_name                              = local.names.functions_plan
  host_storage_account_name              = local.names.functions_storage
  resource_group_name                    = module.foundation.resource_group_name
  location                               = var.location
  tags                                   = module.foundation.tags
  environment                            = local.environment
  maximum_instance_count                 = local.sizing.functions_max_instances
  instance_memory_in_mb                  = 2048
  identity                               = local.identities["functions"]
  key_vault_name                         = module.foundation.key_vault_name
  database                               = { host = module.data.fqdn, name = module.data.database_name, warehouse_name = module.data.warehouse_database_name }
  data_storage                           = { account_name = module.storage.name, queue_endpoint = module.storage.queue_endpoint }
  smtp                                   = var.smtp
  public_base_url                        = module.frontoffice.url
  application_insights_connection_string = local.app_insight
  log_analytics_workspace_id             = module.foundation.log_analytics_workspace_id
  subnet_id                              = local.private ? local.subnet_ids["functions"] : null
  private_endpoint_subnet_id             = local.private ? local.subnet_ids["private-endpoints"] : null
  private_dns_zone_ids                   = local.dns_zones
}

module "analytics" {
  source = "../../modules/analytics"

  name                = local.names.powerbi_capacity
  resource_group_name = module.foundation.resource_group_name
  location            = var.location
  tags                = module.foundation.tags
  sku_name            = local.sizing.powerbi_sku
  administrators      = var.powerbi_administrators
  warehouse_reader    = var.powerbi_warehouse_reader
  warehouse           = { host = module.data.fqdn, database = module.data.warehouse_database_name }
  gateway_subnet_id   = local.private ? local.subnet_ids["powerbi-gateway"] : null
}

module "monitoring" {
  source = "../../modules/monitoring"

  name_prefix                = "tienda-${local.environment}"
  action_group_name          = local.names.action_group
  budget_name                = local.names.budget
  resource_group_name        = module.foundation.resource_group_name
  resource_group_id          = module.foundation.resource_group_id
  location                   = var.location
  tags                       = module.foundation.tags
  alert_emails               = var.alert_emails
  web_apps                   = { frontoffice = module.frontoffice.id, backoffice_api = module.backoffice.api_id }
  function_app               = { id = module.functions.id, name = module.functions.name }
  storage_account_id         = module.storage.id
  postgres_server_id         = module.data.id
  log_analytics_workspace_id = module.foundation.log_analytics_workspace_id
  monthly_budget             = var.monthly_budget
  budget_start_date          = var.budget_start_date
}
