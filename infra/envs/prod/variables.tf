variable "subscription_id" {
  type        = string
  description = "Azure subscription the environment is deployed to."

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "location" {
  type        = string
  description = "Azure region of the environment (must offer Flex Consumption, availability zones for prod, and Power BI Embedded)."
  default     = "westeurope"
}

variable "tags" {
  type        = map(string)
  description = "Extra tags (cost centre, owner) applied to every resource."
  default     = {}
}

variable "alert_emails" {
  type        = list(string)
  description = "Who receives alerts and budget notifications."
}

variable "monthly_budget" {
  type        = number
  description = "Monthly budget of the environment's resource group, in the billing currency."
}

variable "budget_start_date" {
  type        = string
  description = "First day of the first budget month, e.g. 2026-12-01T00:00:00Z."
}

variable "entra_database_administrators" {
  type = map(object({
    object_id      = string
    principal_type = string
  }))
  description = "PostgreSQL Entra administrators keyed by display name: the deploy service principal (runs db-roles and migrations) and an operators group."
}

variable "key_vault_secrets_officers" {
  type        = set(string)
  description = "Object ids allowed to set the Key Vault secrets (operators group)."
  default     = []
}

variable "key_vault_allowed_ip_ranges" {
  type        = list(string)
  description = "Operator IP ranges allowed through the Key Vault firewall (prod, where the vault is otherwise private)."
  default     = []
}

variable "smtp" {
  type = object({
    host      = string
    port      = number
    username  = string
    starttls  = bool
    mail_from = string
  })
  description = "SMTP relay (Azure Communication Services or any provider); its password goes to the Key Vault secret smtp-password."
}

variable "public_base_url" {
  type        = string
  description = "Public URL of the shop when it has a custom domain; null uses the web app's default host name."
  default     = null
}

variable "powerbi_administrators" {
  type        = list(string)
  description = "UPNs or object ids administering the Power BI Embedded capacity."
}

variable "powerbi_warehouse_reader" {
  type = object({
    name      = string
    object_id = string
  })
  description = "Entra service principal the Power BI semantic model signs in to the warehouse with (read-only role)."
}
