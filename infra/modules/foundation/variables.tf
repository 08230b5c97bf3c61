variable "workload" {
  type        = string
  description = "Short workload name used in every resource name (lowercase letters and digits)."
  default     = "tienda"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.workload))
    error_message = "workload must be 2-10 lowercase letters or digits, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment name; also the value of TIENDA_ENVIRONMENT in the apps."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "location" {
  type        = string
  description = "Azure region for every resource of the environment, e.g. westeurope."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the Log Analytics workspace in days."
  default     = 30

  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "log_daily_quota_gb" {
  type        = number
  description = "Daily ingestion cap of the Log Analytics workspace in GB (-1 for no cap)."
  default     = -1
}

variable "identities" {
  type        = set(string)
  description = "Names of the user-assigned identities to create, one per deployable."
  default     = ["frontoffice", "backoffice", "functions"]

  validation {
    condition     = alltrue([for name in var.identities : can(regex("^[a-z][a-z0-9-]{1,20}$", name))])
    error_message = "identity names must be lowercase letters, digits and dashes."
  }
}

variable "private_networking" {
  type        = bool
  description = "Create the virtual network, private DNS zones and private endpoints (prod). When false the data services keep public endpoints protected by Entra authentication (dev)."
  default     = true
}

variable "vnet_address_space" {
  type        = string
  description = "Address space of the virtual network (a /16 or /20 is enough), used when private_networking is true."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vnet_address_space, 0))
    error_message = "vnet_address_space must be a CIDR block."
  }
}

variable "key_vault_allowed_ip_ranges" {
  type        = list(string)
  description = "Public IP ranges (operators) allowed through the Key Vault firewall to manage secrets when private_networking is true."
  default     = []
}

variable "key_vault_secrets_officers" {
  type        = set(string)
  description = "Object ids of the Entra principals (operators, the deploy identity) that may set the Key Vault secrets."
  default     = []
}
