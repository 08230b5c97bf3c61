output "shop_url" {
  description = "Public URL of the storefront."
  value       = module.frontoffice.url
}

output "backoffice_url" {
  description = "URL of the backoffice SPA."
  value       = module.backoffice.spa_url
}

output "backoffice_api_url" {
  description = "URL of the backoffice API (VITE_API_BASE_URL of the SPA build)."
  value       = module.backoffice.api_url
}

output "function_app_url" {
  description = "Default URL of the Function App."
  value       = module.functions.default_url
}

output "deploy_targets" {
  description = "Names scripts/deploy.sh deploys to (read with terraform output -json deploy_targets)."
  value = {
    resource_group     = module.foundation.resource_group_name
    frontoffice_app    = module.frontoffice.name
    backoffice_api_app = module.backoffice.api_name
    backoffice_spa     = module.backoffice.spa_name
    backoffice_api_url = module.backoffice.api_url
    function_app       = module.functions.name
    key_vault          = module.foundation.key_vault_name
    postgres_host      = module.data.fqdn
    database           = module.data.database_name
    warehouse_database = module.data.warehouse_database_name
    storage_account    = module.storage.name
    powerbi_capacity   = module.analytics.capacity_name
    powerbi_reader     = var.powerbi_warehouse_reader.name
    app_database_roles = { for key, identity in module.foundation.identities : key => identity.name }
    app_database_oids  = { for key, identity in module.foundation.identities : key => identity.principal_id }
    private_networking = local.private
  }
}

output "outbound_ip" {
  description = "Static outbound IP of the private subnets (prod), to allow-list at the SMTP relay; null in dev."
  value       = module.foundation.outbound_ip
}
