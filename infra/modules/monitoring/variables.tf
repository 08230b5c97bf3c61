variable "name_prefix" {
  type        = string
  description = "Prefix of the alert names, e.g. tienda-prod."
}

variable "action_group_name" {
  type        = string
  description = "Name of the action group the alerts notify."
}

variable "budget_name" {
  type        = string
  description = "Name of the resource-group budget."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the alerts (and the budget's scope)."
}

variable "resource_group_id" {
  type        = string
  description = "Resource id of the resource group the budget watches."
}

variable "location" {
  type        = string
  description = "Azure region of the log alert rules."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "alert_emails" {
  type        = list(string)
  description = "E-mail addresses the action group and the budget notify."

  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for email in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+$", email))])
    error_message = "alert_emails needs at least one valid e-mail address."
  }
}

variable "web_apps" {
  type        = map(string)
  description = "Web apps whose HTTP 5xx rate is watched: purpose (frontoffice, backoffice_api) => resource id."
}

variable "function_app" {
  type = object({
    id   = string
    name = string
  })
  description = "The Function App whose failed executions raise an alert."
}

variable "storage_account_id" {
  type        = string
  description = "Storage account holding the queues (its queue logs reveal messages reaching a -poison queue)."
}

variable "postgres_server_id" {
  type        = string
  description = "PostgreSQL Flexible Server watched for CPU and storage."
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Workspace the log alerts query (App Insights is workspace-based; storage logs land here too)."
}

variable "http_5xx_rate_percent" {
  type        = number
  description = "Alert when more than this percentage of a web app's requests fail with 5xx over 5 minutes (with at least 20 requests)."
  default     = 5

  validation {
    condition     = var.http_5xx_rate_percent > 0 && var.http_5xx_rate_percent <= 100
    error_message = "http_5xx_rate_percent must be in (0, 100]."
  }
}

variable "database_cpu_percent" {
  type        = number
  description = "Alert when database CPU stays above this percentage for 15 minutes."
  default     = 80

  validation {
    condition     = var.database_cpu_percent > 0 && var.database_cpu_percent <= 100
    error_message = "database_cpu_percent must be in (0, 100]."
  }
}

variable "database_storage_percent" {
  type        = number
  description = "Alert when database storage use exceeds this percentage."
  default     = 80

  validation {
    condition     = var.database_storage_percent > 0 && var.database_storage_percent <= 100
    error_message = "database_storage_percent must be in (0, 100]."
  }
}

variable "monthly_budget" {
  type        = number
  description = "Monthly budget of the resource group in the billing currency."

  validation {
    condition     = var.monthly_budget > 0
    error_message = "monthly_budget must be positive."
  }
}

variable "budget_start_date" {
  type        = string
  description = "First day of the budget period, RFC 3339 (the first of a month), e.g. 2026-12-01T00:00:00Z."

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-01T00:00:00Z$", var.budget_start_date))
    error_message = "budget_start_date must be the first of a month, e.g. 2026-12-01T00:00:00Z."
  }
}
