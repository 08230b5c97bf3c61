variable "name" {
  type        = string
  description = "Globally unique name of the Function App (at most 32 characters to avoid host id collisions)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or dashes."
  }
}

variable "plan_name" {
  type        = string
  description = "Name of the Flex Consumption plan."
}

variable "host_storage_account_name" {
  type        = string
  description = "Name of the Functions host storage account (runtime state, timer leases, deployment package); kept apart from the shop's data account."

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.host_storage_account_name))
    error_message = "host_storage_account_name must be 3-24 lowercase letters or digits."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the plan, the app and its host storage."
}

variable "location" {
  type        = string
  description = "Azure region (must offer Flex Consumption)."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "environment" {
  type        = string
  description = "TIENDA_ENVIRONMENT of the workers."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "maximum_instance_count" {
  type        = number
  description = "Upper bound of instances the plan scales out to (protects the database connection budget)."
  default     = 20

  validation {
    condition     = var.maximum_instance_count >= 1 && var.maximum_instance_count <= 1000
    error_message = "maximum_instance_count must be between 1 and 1000."
  }
}

variable "instance_memory_in_mb" {
  type        = number
  description = "Memory per instance: 2048 or 4096 (the ETL's Arrow batches)."
  default     = 2048

  validation {
    condition     = contains([512, 2048, 4096], var.instance_memory_in_mb)
    error_message = "instance_memory_in_mb must be 512, 2048 or 4096."
  }
}

variable "identity" {
  type = object({
    id           = string
    client_id    = string
    principal_id = string
    name         = string
  })
  description = "User-assigned identity of the workers: host storage, data storage, database (its name is the PostgreSQL role) and Key Vault."
}

variable "key_vault_name" {
  type        = string
  description = "Key Vault holding the secrets secret-key and smtp-password."
}

variable "database" {
  type = object({
    host           = string
    name           = string
    warehouse_name = string
  })
  description = "PostgreSQL host name, the transactional database name and the warehouse database name (the ETL writes the warehouse)."
}

variable "data_storage" {
  type = object({
    account_name   = string
    queue_endpoint = string
  })
  description = "The shop's data storage account: name and queue endpoint (identity-based queue trigger connection)."
}

variable "smtp" {
  type = object({
    host      = string
    port      = number
    username  = string
    starttls  = bool
    mail_from = string
  })
  description = "SMTP relay; the password is the Key Vault secret smtp-password."
}

variable "public_base_url" {
  type        = string
  description = "Public URL of the shop (links in the e-mails the workers send)."
}

variable "application_insights_connection_string" {
  type        = string
  description = "Application Insights connection string."
  sensitive   = true
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace receiving the Function App logs."
}

variable "subnet_id" {
  type        = string
  description = "Subnet delegated to Microsoft.App/environments for VNet integration (prod); null for none (dev)."
  default     = null
}

variable "private_endpoint_subnet_id" {
  type        = string
  description = "Subnet for the host storage private endpoints (prod); null keeps its public endpoint (dev)."
  default     = null
}

variable "private_dns_zone_ids" {
  type        = map(string)
  description = "Private DNS zone ids keyed blob and queue, used with private_endpoint_subnet_id."
  default     = {}
}

variable "additional_app_settings" {
  type        = map(string)
  description = "Extra app settings merged over the ones this module sets (never secrets: use Key Vault references)."
  default     = {}
}
