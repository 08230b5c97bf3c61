variable "name" {
  type        = string
  description = "Globally unique storage account name (3-24 lowercase letters and digits)."

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.name))
    error_message = "name must be 3-24 lowercase letters or digits."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group that holds the account."
}

variable "location" {
  type        = string
  description = "Azure region of the account."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "replication_type" {
  type        = string
  description = "Account replication: LRS for dev, ZRS (or GZRS) for prod."
  default     = "ZRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"], var.replication_type)
    error_message = "replication_type must be one of LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS."
  }
}

variable "data_contributors" {
  type        = map(string)
  description = "Principal ids (by deployable name) that read and write the app's queues and blobs: each gets Storage Queue Data Contributor and Storage Blob Data Contributor on this account only."
  default     = {}
}

variable "sas_expiration_period" {
  type        = string
  description = "Longest lifetime a SAS may ask for, as DD.HH:MM:SS; the app issues user-delegation SAS of TIENDA_SAS_TTL_SECONDS (15 min by default)."
  default     = "00.01:00:00"

  validation {
    condition     = can(regex("^[0-9]{1,3}\\.[0-9]{2}:[0-9]{2}:[0-9]{2}$", var.sas_expiration_period))
    error_message = "sas_expiration_period must look like DD.HH:MM:SS."
  }
}

variable "imports_retention_days" {
  type        = number
  description = "Days an uploaded stock import file is kept before the lifecycle policy deletes it."
  default     = 30

  validation {
    condition     = var.imports_retention_days >= 1
    error_message = "imports_retention_days must be at least 1."
  }
}

variable "invoices_retention_days" {
  type        = number
  description = "Days invoices are kept (legal retention) before deletion; they move to cool after 30 days and cold after 180."
  default     = 3650

  validation {
    condition     = var.invoices_retention_days >= 365
    error_message = "invoices_retention_days must be at least 365."
  }
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Blob and container soft-delete retention in days."
  default     = 14

  validation {
    condition     = var.soft_delete_retention_days >= 1 && var.soft_delete_retention_days <= 365
    error_message = "soft_delete_retention_days must be between 1 and 365."
  }
}

variable "private_endpoint_subnet_id" {
  type        = string
  description = "Subnet for the blob and queue private endpoints; null keeps the public endpoint (dev)."
  default     = null
}

variable "private_dns_zone_ids" {
  type        = map(string)
  description = "Private DNS zone ids keyed blob and queue, used with private_endpoint_subnet_id."
  default     = {}
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace receiving the blob and queue resource logs."
}
