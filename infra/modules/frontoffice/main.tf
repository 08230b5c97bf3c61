locals {
  default_url     = "https://${var.name}.azurewebsites.net"
  public_base_url = coalesce(var.public_base_url, local.default_url)
  kv_reference    = "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=%s)"

  # Every name here is read by tienda.config.Settings; tests/infra checks this map against
  # tienda.config.AZURE_APP_SETTINGS["frontoffice"].
  app_settings = {
    "TIENDA_ENVIRONMENT"                    = var.environment
    "TIENDA_SECRET_KEY"                     = format(local.kv_reference, "secret-key")
    "TIENDA_DATABASE_URL"                   = "postgresql://${var.identity.name}@${var.database.host}:5432/${var.database.name}?sslmode=require"
    "TIENDA_DATABASE_AUTH"                  = "entra"
    "TIENDA_STORAGE_ACCOUNT_NAME"           = var.storage_account_name
    "TIENDA_STORAGE_CLIENT_ID"              = var.identity.client_id
    "TIENDA_STORAGE_CONNECTION_STRING"      = ""
    "TIENDA_SMTP_HOST"                      = var.smtp.host
    "TIENDA_SMTP_PORT"                      = tostring(var.smtp.port)
    "TIENDA_SMTP_USERNAME"                  = var.smtp.username
    "TIENDA_SMTP_PASSWORD"                  = format(local.kv_reference, "smtp-password")
    "TIENDA_SMTP_STARTTLS"                  = tostring(var.smtp.starttls)
    "TIENDA_MAIL_FROM"                      = var.smtp.mail_from
    "TIENDA_PUBLIC_BASE_URL"                = local.public_base_url
    "AZURE_CLIENT_ID"                       = var.identity.client_id
    "APPLICATIONINSIGHTS_CONNECTION_STRING" = var.application_insights_connection_string
    "SCM_DO_BUILD_DURING_DEPLOYMENT"        = "true"
  }

  startup_command = "gunicorn -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:8000 --workers ${var.gunicorn_workers} --timeout 120 --access-logfile - 'tienda.entrypoints.frontoffice.app:create_app()'"
}

resource "azurerm_service_plan" "this" {
  #checkov:skip=CKV_AZURE_225:zone balancing is an input: on in prod (P1v3, 2+ instances), off in dev where B1 cannot balance across zones
  #checkov:skip=CKV_AZURE_211:the SKU is per environment: P1v3 in prod, B1 in dev to keep the development shop cheap
  name                   = var.plan_name
  resource_group_name    = var.resource_group_name
  location               = var.location
  os_type                = "Linux"
  sku_name               = var.sku_name
  worker_count           = var.autoscale.default
  zone_balancing_enabled = var.zone_balancing
  tags                   = var.tags
}

resource "azurerm_linux_web_app" "this" {
  #checkov:skip=CKV_AZURE_13:the storefront is public; customers sign in through the app's own account pages, not App Service authentication
  #checkov:skip=CKV_AZURE_17:a public storefront cannot require client certificates
  #checkov:skip=CKV_AZURE_222:the storefront must be reachable from the internet
  #checkov:skip=CKV_AZURE_88:the app keeps no files on the App Service share: media and invoices live in Blob Storage
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

resource "azurerm_monitor_autoscale_setting" "this" {
  name                = "autoscale-${var.plan_name}"
  resource_group_name = var.resource_group_name
  location            = var.location
  target_resource_id  = azurerm_service_plan.this.id
  tags                = var.tags

  profile {
    name = "cpu-and-queue"

    capacity {
      minimum = var.autoscale.minimum
      default = var.autoscale.default
      maximum = var.autoscale.maximum
    }

    rule {
      metric_trigger {
        metric_name        = "CpuPercentage"
        metric_resource_id = azurerm_service_plan.this.id
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT5M"
        time_aggregation   = "Average"
        operator           = "GreaterThan"
        threshold          = 70
      }
      scale_action {
        direction = "Increase"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT5M"
      }
    }

    rule {
      metric_trigger {
        metric_name        = "HttpQueueLength"
        metric_resource_id = azurerm_service_plan.this.id
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT5M"
        time_aggregation   = "Average"
        operator           = "GreaterThan"
        threshold          = 20
      }
      scale_action {
        direction = "Increase"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT5M"
      }
    }

    rule {
      metric_trigger {
        metric_name        = "CpuPercentage"
        metric_resource_id = azurerm_service_plan.this.id
        time_grain         = "PT1M"
        statistic          = "Average"
        time_window        = "PT15M"
        time_aggregation   = "Average"
        operator           = "LessThan"
        threshold          = 30
      }
      scale_action {
        direction = "Decrease"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT15M"
      }
    }
  }
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_linux_web_app.this.id
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
