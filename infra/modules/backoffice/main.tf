locals {
  kv_reference = "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=%s)"
  spa_origin   = "https://${azurerm_static_web_app.spa.default_host_name}"

  # Every name here is read by tienda.config.Settings; tests/infra checks this map against
  # tienda.config.AZURE_APP_SETTINGS["backoffice_api"].
  app_settings = {
    "TIENDA_ENVIRONMENT"                    = var.environment
    "TIENDA_SECRET_KEY"                     = format(local.kv_reference, "secret-key")
    "TIENDA_DATABASE_URL"                   = "postgresql://${var.identity.name}@${var.database.host}:5432/${var.database.name}?sslmode=require"
    "TIENDA_DATABASE_AUTH"                  = "entra"
    "TIENDA_WAREHOUSE_URL"                  = "postgresql://${var.identity.name}@${var.database.host}:5432/${var.database.warehouse_name}?sslmode=require"
    "TIENDA_STORAGE_ACCOUNT_NAME"           = var.storage_account_name
    "TIENDA_STORAGE_CLIENT_ID"              = var.identity.client_id
    "TIENDA_STORAGE_CONNECTION_STRING"      = ""
    "TIENDA_SMTP_HOST"                      = var.smtp.host
    "TIENDA_SMTP_PORT"                      = tostring(var.smtp.port)
    "TIENDA_SMTP_USERNAME"                  = var.smtp.username
    "TIENDA_SMTP_PASSWORD"                  = format(local.kv_reference, "smtp-password")
    "TIENDA_SMTP_STARTTLS"                  = tostring(var.smtp.starttls)
    "TIENDA_MAIL_FROM"                      = var.smtp.mail_from
    "TIENDA_PUBLIC_BASE_URL"                = var.public_base_url
    "TIENDA_BACKOFFICE_UI_ORIGIN"           = local.spa_origin
    "AZURE_CLIENT_ID"                       = var.identity.client_id
    "APPLICATIONINSIGHTS_CONNECTION_STRING" = var.application_insights_connection_string
    "SCM_DO_BUILD_DURING_DEPLOYMENT"        = "true"
  }

  startup_command = "gunicorn -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:8000 --workers ${var.gunicorn_workers} --timeout 120 --access-logfile - 'tienda.entrypoints.backoffice_api.app:create_app()'"
}

# The SPA is static files (Vite build): a Static Web App serves them from a global edge with
# a free certificate, at a fraction of a web app's cost. It calls the API cross-origin.
resource "azurerm_static_web_app" "spa" {
  name                = var.spa_name
  resource_group_name = var.resource_group_name
  location            = var.spa_location
  sku_tier            = var.spa_sku
  sku_size            = var.spa_sku
  tags                = var.tags
}

resource "azurerm_service_plan" "this" {
  #checkov:skip=CKV_AZURE_225:staff-only API on one instance: a zone outage pauses back-office work for minutes, never sales; zone balancing would double its cost
  #checkov:skip=CKV_AZURE_211:the SKU is per environment: P0v3 in prod, B1 in dev
  #checkov:skip=CKV_AZURE_212:staff-only API with small steady traffic; one instance, the platform replaces it on failure
  name                   = var.plan_name
  resource_group_name    = var.resource_group_name
  location               = var.location
  os_type                = "Linux"
  sku_name               = var.sku_name
  worker_count           = var.instance_count
  zone_balancing_enabled = var.zone_balancing
  tags                   = var.tags
}

resource "azurerm_linux_web_app" "api" {
  #checkov:skip=CKV_AZURE_13:staff sign in through the API's own session/token auth, which the SPA uses; App Service auth would block the SPA's CORS preflight
  #checkov:skip=CKV_AZURE_17:the SPA runs in staff browsers that hold no client certificates
  #checkov:skip=CKV_AZURE_222:the API is called from the staff's browsers (the SPA), so it is public; every route requires staff authentication
  #checkov:skip=CKV_AZURE_88:the API keeps no files on the App Service share: blobs live in Blob Storage
  name                                           = var.name
  resource_group_name                            = var.resource_group_name
  location                                       = var.location
  service_plan_id                                = azurerm_service_plan.this.id
  https_only                                     = true
  public_network_access_enabled                  = true
  client_affinity_enabled                        = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  key_vault_reference_identity_id                = var.identity.id
  virtual_network_subnet_id                      = var.subnet_id
  app_settings                                   = merge(local.app_settings, var.additional_app_settings)
  tags                                           = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.identity.id]
  }

  site_config {
    always_on                         = true
    http2_enabled                     = true
    minimum_tls_version               = "1.2"
    scm_minimum_tls_version           = "1.2"
    ftps_state                        = "Disabled"
    health_check_path                 = "/healthz"
    health_check_eviction_time_in_min = 5
    app_command_line                  = local.startup_command
    vnet_route_all_enabled            = var.subnet_id != null
    use_32_bit_worker                 = false

    application_stack {
      python_version = "3.11"
    }
  }

  logs {
    detailed_error_messages = true
    failed_request_tracing  = true

    http_logs {
      file_system {
        retention_in_days = 7
        retention_in_mb   = 35
      }
    }
  }
}

resource "azurerm_monitor_diagnostic_setting" "api" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_linux_web_app.api.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category = "AppServiceHTTPLogs"
  }

  enabled_log {
    category = "AppServiceConsoleLogs"
  }

  enabled_log {
    category = "AppServiceAppLogs"
  }

  enabled_log {
    category = "AppServicePlatformLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
