variable "name" {
  type        = string
  description = "Globally unique name of the PostgreSQL Flexible Server."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be 3-63 lowercase letters, digits or dashes."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the server."
}

variable "location" {
  type        = string
  description = "Azure region of the server."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "tenant_id" {
  type        = string
  description = "Entra tenant whose identities may sign in to the server."
}

variable "postgres_version" {
  type        = string
  description = "Major PostgreSQL version."
  default     = "16"

  validation {
    condition     = contains(["15", "16", "17"], var.postgres_version)
    error_message = "postgres_version must be 15, 16 or 17."
  }
}

variable "sku_name" {
  type        = string
  description = "Compute SKU, e.g. B_Standard_B1ms (dev) or GP_Standard_D2ds_v5 (prod). Zone-redundant HA needs a GP or MO SKU."
  default     = "GP_Standard_D2ds_v5"

  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_", var.sku_name))
    error_message = "sku_name must be a Burstable (B_), General Purpose (GP_) or Memory Optimized (MO_) SKU."
  }
}

variable "storage_mb" {
  type        = number
  description = "Provisioned storage in MB (grows automatically)."
  default     = 65536

  validation {
    condition     = contains([32768, 65536, 131072, 262144, 524288, 1048576], var.storage_mb)
    error_message = "storage_mb must be one of the sizes PostgreSQL Flexible Server offers (32768 to 1048576)."
  }
}

variable "backup_retention_days" {
  type        = number
  description = "Point-in-time restore window in days."
  default     = 35

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "geo_redundant_backup" {
  type        = bool
  description = "Copy backups to the paired region (prod)."
  default     = true
}

variable "high_availability" {
  type        = bool
  description = "Zone-redundant high availability with a standby in another zone (prod)."
  default     = true
}

variable "zone" {
  type        = string
  description = "Availability zone of the primary; the standby goes to standby_zone."
  default     = "1"
}

variable "standby_zone" {
  type        = string
  description = "Availability zone of the zone-redundant standby."
  default     = "2"
}

variable "delegated_subnet_id" {
  type        = string
  description = "Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers for private access (prod); null gives a public endpoint restricted by firewall (dev)."
  default     = null
}

variable "private_dns_zone_id" {
  type        = string
  description = "Private DNS zone (<name>.private.postgres.database.azure.com) used with delegated_subnet_id."
  default     = null
}

variable "allow_azure_services" {
  type        = bool
  description = "Without private access: allow connections from Azure services (the dev App Service and Functions outbound addresses). Only Entra tokens are accepted, never passwords."
  default     = false
}

variable "entra_administrators" {
  type = map(object({
    object_id      = string
    principal_type = string
  }))
  description = "Entra administrators of the server keyed by principal name (display name of a group, user or the deploy service principal). They create the app roles and run migrations."

  validation {
    condition     = alltrue([for admin in values(var.entra_administrators) : contains(["Group", "User", "ServicePrincipal"], admin.principal_type)])
    error_message = "principal_type must be Group, User or ServicePrincipal."
  }
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace receiving the server logs."
}
