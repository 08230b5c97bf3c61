variable "name" {
  type        = string
  description = "Globally unique name of the backoffice API web app (its default host is <name>.azurewebsites.net)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$", var.name))
    error_message = "name must be 3-60 lowercase letters, digits or dashes."
  }
}

variable "spa_name" {
  type        = string
  description = "Name of the Static Web App serving the backoffice SPA."
}

variable "spa_sku" {
  type        = string
  description = "Static Web App tier: Free (dev) or Standard (prod: SLA, custom domain certificates)."
  default     = "Standard"

  validation {
    condition     = contains(["Free", "Standard"], var.spa_sku)
    error_message = "spa_sku must be Free or Standard."
  }
}

variable "spa_location" {
  type        = string
  description = "Region of the Static Web App control plane (content is served globally); Static Web Apps exist only in a few regions."
  default     = "westeurope"
}

variable "plan_name" {
  type        = string
  description = "Name of the App Service plan."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the plan and the app."
}

variable "location" {
  type        = string
  description = "Azure region of the plan and the app."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "environment" {
  type        = string
  description = "TIENDA_ENVIRONMENT of the app."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "sku_name" {
  type        = string
  description = "App Service plan SKU, e.g. B1 (dev) or P1v3 (prod)."
  default     = "P0v3"

  validation {
    condition     = contains(["B1", "B2", "B3", "S1", "S2", "S3", "P0v3", "P1v3", "P2v3", "P3v3", "P1mv3", "P2mv3"], var.sku_name)
    error_message = "sku_name must be a Linux Basic, Standard or Premium v3 SKU."
  }
}

variable "zone_balancing" {
  type        = bool
  description = "Spread instances over availability zones (Premium v3, at least 2 instances)."
  default     = false
}

variable "instance_count" {
  type        = number
  description = "Instances of the API (staff traffic is small and steady: no autoscale)."
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 10
    error_message = "instance_count must be between 1 and 10."
  }
}

variable "gunicorn_workers" {
  type        = number
  description = "Uvicorn worker processes per instance (about 2 per vCPU for this I/O-bound app)."
  default     = 2

  validation {
    condition     = var.gunicorn_workers >= 1 && var.gunicorn_workers <= 16
    error_message = "gunicorn_workers must be between 1 and 16."
  }
}

variable "identity" {
  type = object({
    id        = string
    client_id = string
    name      = string
  })
  description = "User-assigned identity of the app: storage, database (its name is the PostgreSQL role) and Key Vault access."
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
  description = "PostgreSQL host name, the transactional database name and the warehouse database name."
}

variable "storage_account_name" {
  type        = string
  description = "Storage account holding the queues and blobs."
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
  description = "Public URL of the shop (links in e-mails the API sends)."
}

variable "application_insights_connection_string" {
  type        = string
  description = "Application Insights connection string."
  sensitive   = true
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace receiving the App Service logs."
}

variable "subnet_id" {
  type        = string
  description = "Subnet delegated to Microsoft.Web/serverFarms for outbound VNet integration (prod); null for none (dev)."
  default     = null
}

variable "additional_app_settings" {
  type        = map(string)
  description = "Extra app settings merged over the ones this module sets (never secrets: use Key Vault references)."
  default     = {}
}
