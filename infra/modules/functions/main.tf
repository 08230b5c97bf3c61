locals {
  kv_reference = "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=%s)"
  private      = var.private_endpoint_subnet_id != null

  # Every TIENDA_* name here is read by tienda.config.Settings or is the identity-based
  # connection (tienda.config.FUNCTIONS_STORAGE_CONNECTION) of the queue triggers in
  # functions/function_app.py; tests/infra checks this map against
  # tienda.config.AZURE_APP_SETTINGS["functions"].
  app_settings = {
    "TIENDA_ENVIRONMENT"                        = var.environment
    "TIENDA_SECRET_KEY"                         = format(local.kv_reference, "secret-key")
    "TIENDA_DATABASE_URL"                       = "postgresql://${var.identity.name}@${var.database.host}:5432/${var.database.name}?sslmode=require"
    "TIENDA_DATABASE_AUTH"                      = "entra"
    "TIENDA_WAREHOUSE_URL"                      = "postgresql://${var.identity.name}@${var.database.host}:5432/${var.database.warehouse_name}?sslmode=require"
    "TIENDA_STORAGE_ACCOUNT_NAME"               = var.data_storage.account_name
    "TIENDA_STORAGE_CLIENT_ID"                  = var.identity.client_id
    "TIENDA_STORAGE_CONNECTION_STRING"          = ""
    "TIENDA_STORAGE__queueServiceUri"           = var.data_storage.queue_endpoint
    "TIENDA_STORAGE__credential"                = "managedidentity"
    "TIENDA_STORAGE__clientId"                  = var.identity.client_id
    "TIENDA_SMTP_HOST"                          = var.smtp.host
    "TIENDA_SMTP_PORT"                          = tostring(var.smtp.port)
    "TIENDA_SMTP_USERNAME"                      = var.smtp.username
    "TIENDA_SMTP_PASSWORD"                      = format(local.kv_reference, "smtp-password")
    "TIENDA_SMTP_STARTTLS"                      = tostring(var.smtp.starttls)
    "TIENDA_MAIL_FROM"                          = var.smtp.mail_from
    "TIENDA_PUBLIC_BASE_URL"                    = var.public_base_url
    "AZURE_CLIENT_ID"                           = var.identity.client_id
    "AzureWebJobsStorage__accountName"          = azurerm_storage_account.host.name
    "AzureWebJobsStorage__credential"           = "managedidentity"
    "AzureWebJobsStorage__clientId"             = var.identity.client_id
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" = "ClientId=${var.identity.client_id};Authorization=AAD"
  }

  # Least privilege on the host account: blob owner only (host locks, timer schedule state,
  # the deployment package). No queue or table role: there are no blob or durable triggers.
  host_roles = toset(["Storage Blob Data Owner"])
}

resource "azurerm_storage_account" "host" {
  #checkov:skip=CKV_AZURE_43:the name is computed by the foundation module (st<workload><env><suffix>) and held to ^[a-z0-9]{3,24}$ by the name variable's validation; checkov cannot evaluate it
  #checkov:skip=CKV_AZURE_35:default_action is Deny in prod (private endpoints); dev has no VNet and keeps Allow, with shared keys off so only Entra identities get in
  #checkov:skip=CKV2_AZURE_1:the host account holds only runtime state and the deployment package; Microsoft-managed keys suffice
  #checkov:skip=CKV_AZURE_33:queue logging uses Azure Monitor diagnostic settings (queueServices/default to Log Analytics, see below), the successor of classic Storage Analytics logging
  #checkov:skip=CKV_AZURE_59:dev has no VNet and keeps the public endpoint (shared keys off, Entra only); prod disables public network access
  #checkov:skip=CKV_AZURE_206:the host account's content is rebuilt by a deploy; LRS is enough
  name                              = var.host_storage_account_name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = "LRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  allow_nested_items_to_be_public   = false
  cross_tenant_replication_enabled  = false
  public_network_access_enabled     = !local.private
  infrastructure_encryption_enabled = true
  tags                              = var.tags

  blob_properties {
    delete_retention_policy {
      days = 7
    }
    container_delete_retention_policy {
      days = 7
    }
  }

  network_rules {
    default_action = local.private ? "Deny" : "Allow"
    bypass         = ["AzureServices", "Logging", "Metrics"]
  }
}

resource "azurerm_storage_container" "deployments" {
  #checkov:skip=CKV2_AZURE_21:the container holds only the deployment package; its writes and deletes go to Log Analytics, read logging of the host's constant lease traffic would cost more than it tells
  name                  = "deployments"
  storage_account_id    = azurerm_storage_account.host.id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "host_storage" {
  for_each = local.host_roles

  scope                = azurerm_storage_account.host.id
  role_definition_name = each.key
  principal_id         = var.identity.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_service_plan" "this" {
  #checkov:skip=CKV_AZURE_225:Flex Consumption instances are placed and replaced by the platform; the work is queue-driven, messages wait in zone-redundant storage during a zone outage
  #checkov:skip=CKV_AZURE_212:Flex Consumption has no fixed instance count: it scales from zero per trigger up to maximum_instance_count
  name                = var.plan_name
  resource_group_name = var.resource_group_name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "FC1"
  tags                = var.tags
}

resource "azurerm_function_app_flex_consumption" "this" {
  name                              = var.name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  service_plan_id                   = azurerm_service_plan.this.id
  runtime_name                      = "python"
  runtime_version                   = "3.11"
  maximum_instance_count            = var.maximum_instance_count
  instance_memory_in_mb             = var.instance_memory_in_mb
  storage_container_type            = "blobContainer"
  storage_container_endpoint        = "${azurerm_storage_account.host.primary_blob_endpoint}${azurerm_storage_container.deployments.name}"
  storage_authentication_type       = "UserAssignedIdentity"
  storage_user_assigned_identity_id = var.identity.id
  https_only                        = true
  # No HTTP triggers: the app has queue and timer triggers only. Deployment (zip to the
  # deployments container through the control plane) still needs the public SCM endpoint.
  public_network_access_enabled                  = true
  client_certificate_enabled                     = false
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
    application_insights_connection_string = var.application_insights_connection_string
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.2"
    http2_enabled                          = true
  }

  depends_on = [azurerm_role_assignment.host_storage]
}

resource "azurerm_monitor_diagnostic_setting" "function_app" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_function_app_flex_consumption.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category = "FunctionAppLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

resource "azurerm_monitor_diagnostic_setting" "host_storage" {
  for_each = toset(["blobServices", "queueServices"])

  name                       = "to-log-analytics"
  target_resource_id         = "${azurerm_storage_account.host.id}/${each.key}/default"
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_private_endpoint" "host_storage" {
  for_each = local.private ? toset(["blob", "queue"]) : toset([])

  name                = "pe-${var.host_storage_account_name}-${each.key}"
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = each.key
    private_connection_resource_id = azurerm_storage_account.host.id
    subresource_names              = [each.key]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = each.key
    private_dns_zone_ids = [var.private_dns_zone_ids[each.key]]
  }
}
