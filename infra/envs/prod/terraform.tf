terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.42"
    }
  }

  # Remote state in an Azure Storage container, configured at init time:
  #   terraform init -backend-config=backend.hcl   (see backend.hcl.example)
  # Authentication is Entra (use_azuread_auth): no storage account key anywhere.
  backend "azurerm" {}
}

provider "azurerm" {
  subscription_id = var.subscription_id
  # Shared keys are disabled on every storage account: data-plane calls use Entra tokens.
  storage_use_azuread = true

  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
