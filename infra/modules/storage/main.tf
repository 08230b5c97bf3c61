locals {
  # The queue and container names are a contract with the code (tienda.config.Settings
  # defaults), not a per-environment knob: tests/infra holds this list to config.py.
  queue_names = [
    "order-confirmation",
    "order-confirmation-poison",
    "inventory-jobs",
    "inventory-jobs-poison",
    "notifications",
    "notifications-poison",
  ]
  container_names = ["media", "invoices", "imports"]

  private = var.private_endpoint_subnet_id != null

  data_roles = {
    for pair in setproduct(keys(var.data_contributors), ["Storage Queue Data Contributor", "Storage Blob Data Contributor"]) :
    "${pair[0]}/${pair[1]}" => { principal_id = var.data_contributors[pair[0]], role = pair[1] }
  }
}

resource "azurerm_storage_account" "this" {
  #checkov:skip=CKV_AZURE_43:the name is computed by the foundation module (st<workload><env><suffix>) and held to ^[a-z0-9]{3,24}$ by the name variable's validation; checkov cannot evaluate it
  #checkov:skip=CKV_AZURE_35:default_action is Deny in prod (private endpoints); dev has no VNet and keeps Allow, with shared keys off so only Entra identities get in
  #checkov:skip=CKV2_AZURE_1:Microsoft-managed keys are accepted for this data (no regulatory CMK requirement); CMK would add a Key Vault key and its rotation to operate
  #checkov:skip=CKV_AZURE_33:queue logging uses Azure Monitor diagnostic settings (queueServices/default to Log Analytics, see below), the successor of classic Storage Analytics logging
  #checkov:skip=CKV_AZURE_59:dev has no VNet and keeps the public endpoint (shared keys off, Entra only); prod disables public network access
  #checkov:skip=CKV_AZURE_206:replication is per environment: LRS in dev to save cost, ZRS in prod
  name                              = var.name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = var.replication_type
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  allow_nested_items_to_be_public   = false
  cross_tenant_replication_enabled  = false
  public_network_access_enabled     = !local.private
  infrastructure_encryption_enabled = true
  tags                              = var.tags

  sas_policy {
    expiration_period = var.sas_expiration_period
    expiration_action = "Log"
  }

  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = false

    delete_retention_policy {
      days = var.soft_delete_retention_days
    }

    container_delete_retention_policy {
      days = var.soft_delete_retention_days
    }
  }

  network_rules {
    default_action = local.private ? "Deny" : "Allow"
    bypass         = ["AzureServices", "Logging", "Metrics"]
  }
}

resource "azurerm_storage_queue" "this" {
  for_each = toset(local.queue_names)

  name               = each.key
  storage_account_id = azurerm_storage_account.this.id
}

resource "azurerm_storage_container" "this" {
  #checkov:skip=CKV2_AZURE_21:blob read logging is enabled on the account's blob service through the diagnostic setting below
  for_each = toset(local.container_names)

  name                  = each.key
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

resource "azurerm_storage_management_policy" "this" {
  storage_account_id = azurerm_storage_account.this.id

  rule {
    name    = "imports-expire"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["imports/"]
    }
    actions {
      base_blob {
        delete_after_days_since_modification_greater_than = var.imports_retention_days
      }
      version {
        delete_after_days_since_creation = 7
      }
    }
  }

  rule {
    name    = "invoices-tiering"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["invoices/"]
    }
    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than = 30
        tier_to_cold_after_days_since_modification_greater_than = 180
        delete_after_days_since_modification_greater_than       = var.invoices_retention_days
      }
    }
  }

  rule {
    name    = "media-old-versions"
    enabled = true
    filters {
      blob_types   = ["blockBlob"]
      prefix_match = ["media/"]
    }
    actions {
      version {
        delete_after_days_since_creation = 30
      }
    }
  }
}

resource "azurerm_role_assignment" "data" {
  for_each = local.data_roles

  scope                = azurerm_storage_account.this.id
  role_definition_name = each.value.role
  principal_id         = each.value.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_monitor_diagnostic_setting" "services" {
  for_each = toset(["blobServices", "queueServices"])

  name                       = "to-log-analytics"
  target_resource_id         = "${azurerm_storage_account.this.id}/${each.key}/default"
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category = "StorageRead"
  }

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

resource "azurerm_private_endpoint" "this" {
  for_each = local.private ? toset(["blob", "queue"]) : toset([])

  name                = "pe-${var.name}-${each.key}"
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = each.key
    private_connection_resource_id = azurerm_storage_account.this.id
    subresource_names              = [each.key]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = each.key
    private_dns_zone_ids = [var.private_dns_zone_ids[each.key]]
  }
}
