variable "name" {
  type        = string
  description = "Name of the Power BI Embedded capacity (3-63 lowercase letters and digits)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{2,62}$", var.name))
    error_message = "name must be 3-63 lowercase letters or digits, starting with a letter."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the capacity."
}

variable "location" {
  type        = string
  description = "Azure region of the capacity (same as the warehouse to avoid egress)."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
}

variable "sku_name" {
  type        = string
  description = "Power BI Embedded SKU: A1 (dev, can be paused) up to A8."
  default     = "A1"

  validation {
    condition     = contains(["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"], var.sku_name)
    error_message = "sku_name must be A1 to A8."
  }
}

variable "administrators" {
  type        = list(string)
  description = "UPNs or service principal object ids that administer the capacity (at least one)."

  validation {
    condition     = length(var.administrators) > 0
    error_message = "administrators needs at least one entry."
  }
}

variable "warehouse_reader" {
  type = object({
    name      = string
    object_id = string
  })
  description = "Entra principal (service principal or group) whose token the Power BI semantic model uses for the warehouse; it gets a read-only PostgreSQL role on tienda_warehouse (scripts/deploy.sh db-roles)."
}

variable "warehouse" {
  type = object({
    host     = string
    database = string
  })
  description = "Warehouse PostgreSQL host and database the reports read."
}

variable "gateway_subnet_id" {
  type        = string
  description = "Subnet delegated to Microsoft.PowerPlatform/vnetaccesslinks for the Power BI VNet data gateway (prod, private database); null when the warehouse has a public endpoint (dev)."
  default     = null
}
