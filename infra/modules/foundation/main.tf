data "azurerm_client_config" "current" {}

locals {
  # A short, stable suffix keeps globally unique names (storage, vault, web apps) free of
  # collisions without a random provider: it only changes with the subscription.
  suffix = substr(sha256("${data.azurerm_client_config.current.subscription_id}/${var.workload}/${var.environment}"), 0, 6)
  base   = "${var.workload}-${var.environment}"
  flat   = "${var.workload}${var.environment}"

  names = {
    resource_group       = "rg-${local.base}"
    log_analytics        = "log-${local.base}"
    application_insights = "appi-${local.base}"
    key_vault            = "kv-${local.base}-${local.suffix}"
    virtual_network      = "vnet-${local.base}"
    storage_account      = "st${local.flat}${local.suffix}"
    functions_storage    = "stfn${local.flat}${local.suffix}"
    postgres_server      = "psql-${local.base}-${local.suffix}"
    frontoffice_plan     = "asp-${local.base}-shop"
    frontoffice_app      = "app-${local.base}-shop-${local.suffix}"
    backoffice_plan      = "asp-${local.base}-bo"
    backoffice_api_app   = "app-${local.base}-boapi-${local.suffix}"
    backoffice_spa       = "stapp-${local.base}-bo-${local.suffix}"
    functions_plan       = "asp-${local.base}-fn"
    function_app         = "func-${local.base}-${local.suffix}"
    powerbi_capacity     = "pbi${local.flat}${local.suffix}"
    action_group         = "ag-${local.base}"
    budget               = "budget-${local.base}"
  }

  tags = merge(var.tags, {
    workload    = var.workload
    environment = var.environment
    managed-by  = "terraform"
  })

  # Subnets of the private network. Each App Service plan needs its own integration subnet.
  subnets = {
    frontoffice = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 1)
      delegation = "Microsoft.Web/serverFarms"
      actions    = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
    backoffice = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 2)
      delegation = "Microsoft.Web/serverFarms"
      actions    = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
    functions = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 3)
      delegation = "Microsoft.App/environments"
      actions    = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
    postgres = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 4)
      delegation = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions    = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
    powerbi-gateway = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 6)
      delegation = "Microsoft.PowerPlatform/vnetaccesslinks"
      actions    = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
    private-endpoints = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 5)
      delegation = null
      actions    = []
    }
    # For the self-hosted GitHub runner (or an operator VM) that runs db-roles and migrations
    # against the private database.
    tools = {
      prefix     = cidrsubnet(var.vnet_address_space, 8, 7)
      delegation = null
      actions    = []
    }
  }

  nat_subnets = ["frontoffice", "backoffice", "functions", "tools"]

  private_dns_zones = {
    blob  = "privatelink.blob.core.windows.net"
    queue = "privatelink.queue.core.windows.net"
    vault = "privatelink.vaultcore.azure.net"
    # VNet-injected Flexible Server: a zone of its own ending in .postgres.database.azure.com.
    postgres = "${local.base}.private.postgres.database.azure.com"
  }
}

resource "azurerm_resource_group" "this" {
  name     = local.names.resource_group
  location = var.location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = local.names.log_analytics
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  daily_quota_gb      = var.log_daily_quota_gb
  tags                = local.tags
}

resource "azurerm_application_insights" "this" {
  name                = local.names.application_insights
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  workspace_id        = azurerm_log_analytics_workspace.this.id
  application_type    = "web"
  retention_in_days   = 90
  tags                = local.tags
}

resource "azurerm_user_assigned_identity" "this" {
  for_each = var.identities

  name                = "id-${local.base}-${each.key}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  tags                = local.tags
}

# ---------------------------------------------------------------------------------------------
# Key Vault: RBAC only (no access policies), purge protection, private endpoint in prod.
# Secret values are never in Terraform: operators set them (docs/deployment.md), the apps read
# them through Key Vault references with their own identity.
# ---------------------------------------------------------------------------------------------
resource "azurerm_key_vault" "this" {
  #checkov:skip=CKV_AZURE_109:dev keeps the vault firewall open (no VNet, App Service Key Vault references come from public outbound IPs); prod sets default_action Deny
  #checkov:skip=CKV_AZURE_189:public network access is needed in dev (no VNet) and in prod only when operator IP ranges are allowed; apps use the private endpoint in prod
  name                          = local.names.key_vault
  resource_group_name           = azurerm_resource_group.this.name
  location                      = var.location
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  public_network_access_enabled = var.private_networking ? length(var.key_vault_allowed_ip_ranges) > 0 : true
  tags                          = local.tags

  network_acls {
    default_action = var.private_networking ? "Deny" : "Allow"
    bypass         = "AzureServices"
    ip_rules       = var.key_vault_allowed_ip_ranges
  }
}

resource "azurerm_role_assignment" "key_vault_secrets_user" {
  for_each = var.identities

  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.this[each.key].principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "key_vault_secrets_officer" {
  for_each = var.key_vault_secrets_officers

  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = each.value
}

resource "azurerm_monitor_diagnostic_setting" "key_vault" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_key_vault.this.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  enabled_log {
    category_group = "audit"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

# ---------------------------------------------------------------------------------------------
# Private network (prod): subnets with NSGs, private DNS zones linked to the VNet.
# ---------------------------------------------------------------------------------------------
resource "azurerm_virtual_network" "this" {
  count = var.private_networking ? 1 : 0

  name                = local.names.virtual_network
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  address_space       = [var.vnet_address_space]
  tags                = local.tags
}

resource "azurerm_subnet" "this" {
  for_each = var.private_networking ? local.subnets : {}

  name                              = "snet-${each.key}"
  resource_group_name               = azurerm_resource_group.this.name
  virtual_network_name              = azurerm_virtual_network.this[0].name
  address_prefixes                  = [each.value.prefix]
  private_endpoint_network_policies = each.value.delegation == null ? "Enabled" : "Disabled"
  default_outbound_access_enabled   = false

  dynamic "delegation" {
    for_each = each.value.delegation == null ? [] : [each.value.delegation]
    content {
      name = "delegation"
      service_delegation {
        name    = delegation.value
        actions = each.value.actions
      }
    }
  }
}

resource "azurerm_network_security_group" "this" {
  for_each = var.private_networking ? local.subnets : {}

  name                = "nsg-${local.base}-${each.key}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  tags                = local.tags
}

resource "azurerm_subnet_network_security_group_association" "this" {
  for_each = var.private_networking ? local.subnets : {}

  subnet_id                 = azurerm_subnet.this[each.key].id
  network_security_group_id = azurerm_network_security_group.this[each.key].id
}

# Outbound internet from the private subnets (SMTP relay, Application Insights ingestion, the
# runner reaching GitHub) leaves through one NAT gateway with a static IP: the subnets have no
# default outbound access, and the static IP can be allow-listed by the SMTP provider.
resource "azurerm_public_ip" "nat" {
  count = var.private_networking ? 1 : 0

  name                = "pip-${local.base}-nat"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = ["1", "2", "3"]
  tags                = local.tags
}

resource "azurerm_nat_gateway" "this" {
  count = var.private_networking ? 1 : 0

  name                    = "ng-${local.base}"
  resource_group_name     = azurerm_resource_group.this.name
  location                = var.location
  sku_name                = "Standard"
  idle_timeout_in_minutes = 10
  tags                    = local.tags
}

resource "azurerm_nat_gateway_public_ip_association" "this" {
  count = var.private_networking ? 1 : 0

  nat_gateway_id       = azurerm_nat_gateway.this[0].id
  public_ip_address_id = azurerm_public_ip.nat[0].id
}

resource "azurerm_subnet_nat_gateway_association" "this" {
  for_each = var.private_networking ? toset(local.nat_subnets) : toset([])

  subnet_id      = azurerm_subnet.this[each.key].id
  nat_gateway_id = azurerm_nat_gateway.this[0].id
}

resource "azurerm_private_dns_zone" "this" {
  for_each = var.private_networking ? local.private_dns_zones : {}

  name                = each.value
  resource_group_name = azurerm_resource_group.this.name
  tags                = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  for_each = var.private_networking ? local.private_dns_zones : {}

  name                  = "link-${each.key}"
  resource_group_name   = azurerm_resource_group.this.name
  private_dns_zone_name = azurerm_private_dns_zone.this[each.key].name
  virtual_network_id    = azurerm_virtual_network.this[0].id
  registration_enabled  = false
  tags                  = local.tags
}

resource "azurerm_private_endpoint" "key_vault" {
  count = var.private_networking ? 1 : 0

  name                = "pe-${local.names.key_vault}"
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  subnet_id           = azurerm_subnet.this["private-endpoints"].id
  tags                = local.tags

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.this.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "vault"
    private_dns_zone_ids = [azurerm_private_dns_zone.this["vault"].id]
  }
}
