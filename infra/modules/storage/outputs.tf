output "id" {
  description = "Resource id of the storage account."
  value       = azurerm_storage_account.this.id
}

output "name" {
  description = "Name of the storage account (TIENDA_STORAGE_ACCOUNT_NAME)."
  value       = azurerm_storage_account.this.name
}

output "queue_endpoint" {
  description = "Queue service endpoint (TIENDA_STORAGE__queueServiceUri of the Function App)."
  value       = trimsuffix(azurerm_storage_account.this.primary_queue_endpoint, "/")
}

output "blob_endpoint" {
  description = "Blob service endpoint."
  value       = azurerm_storage_account.this.primary_blob_endpoint
}

output "queue_names" {
  description = "Every queue of the account, the poison queues included."
  value       = sort([for queue in azurerm_storage_queue.this : queue.name])
}

output "container_names" {
  description = "The private blob containers."
  value       = sort([for container in azurerm_storage_container.this : container.name])
}
