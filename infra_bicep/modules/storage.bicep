// The one storage account: private blob containers for the app (media, invoices, imports) and
// the Function App (host state, deployment package), the task queues and their -poison twins,
// and data-plane role assignments per identity. Shared keys are off: every client signs in
// with Entra ID (the apps' managed identities, the workflow's OIDC identity).

param name string
param location string
param tags object
@description('Standard_LRS in dev, Standard_GZRS in prod.')
param skuName string
@description('Private networking (prod): public network access off, private endpoints instead.')
param privateNetworking bool
@description('Containers the Django code uses (settings.CONTAINERS values).')
param appContainers array
@description('Queues the Django code uses (settings.QUEUES values); each gets its -poison twin.')
param queueNames array
@description('Principal ids of the identities that run Django (web apps and Function App).')
param appPrincipalIds array
@description('Principal id of the Function App identity (queue trigger, host state, package).')
param functionsPrincipalId string
param logAnalyticsWorkspaceId string

// The Functions host keeps leases, timer schedules and keys here; the Flex Consumption plan
// reads its deployment package from `deployments`.
var functionsContainers = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
  'deployments'
]
var poisonQueueNames = [for queue in queueNames: '${queue}-poison']
var allQueueNames = concat(queueNames, poisonQueueNames)

var roles = {
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
  queueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  queueDataMessageProcessor: '8a0f0c08-91a1-4084-bc3d-661d67233fed'
  queueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
}
// One (identity, app container) pair per entry: Blob Data Contributor on that container only.
var appContainerGrants = [for k in range(0, length(appPrincipalIds) * length(appContainers)): {
  principalId: appPrincipalIds[k / length(appContainers)]
  container: k % length(appContainers)
}]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  #checkov:skip=CKV_AZURE_33:queue logging goes to Log Analytics through the queue service's diagnostic setting below (classic Storage Analytics logging needs shared keys)
  #checkov:skip=CKV_AZURE_35:the network rules deny by default in prod (private endpoints); dev allows App Service without VNet integration, Entra ID only since shared keys are off
  #checkov:skip=CKV_AZURE_206:replication is per environment: Standard_GZRS in prod, Standard_LRS in dev whose data is disposable
  #checkov:skip=CKV2_AZURE_1:encryption with Microsoft-managed keys; no regulation here asks for customer-managed keys
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    isLocalUserEnabled: false
    isSftpEnabled: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      // dev: App Service without VNet integration has no fixed outbound address to allow,
      // so dev stays reachable (Entra ID only); prod is private.
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
        }
        file: {
          enabled: true
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 30
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 30
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in appContainers: {
  parent: blobService
  name: container
  properties: {
    publicAccess: 'None'
  }
}]

resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in functionsContainers: {
  parent: blobService
  name: container
  properties: {
    publicAccess: 'None'
  }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in allQueueNames: {
  parent: queueService
  name: queue
}]

// --- role assignments: data plane only, the narrowest scope that works ---------------------

resource appBlobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for grant in appContainerGrants: {
  name: guid(containers[grant.container].id, grant.principalId, roles.blobDataContributor)
  scope: containers[grant.container]
  properties: {
    principalId: grant.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
  }
}]

// A user-delegation SAS (the private media and invoice links) needs a key from the account.
resource appDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in appPrincipalIds: {
  name: guid(account.id, principalId, roles.blobDelegator)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDelegator)
  }
}]

// Every Django process enqueues (the outbox sends after commit).
resource appQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in appPrincipalIds: {
  name: guid(queueService.id, principalId, roles.queueDataMessageSender)
  scope: queueService
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataMessageSender)
  }
}]

// The queue trigger reads and deletes messages (processor) and peeks (reader).
resource functionsQueueProcessor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queueService.id, functionsPrincipalId, roles.queueDataMessageProcessor)
  scope: queueService
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataMessageProcessor)
  }
}

resource functionsQueueReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queueService.id, functionsPrincipalId, roles.queueDataReader)
  scope: queueService
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataReader)
  }
}

// The Functions host (AzureWebJobsStorage) needs Blob Data Owner, here only on its containers.
resource functionsHostBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (container, i) in functionsContainers: {
  name: guid(hostContainers[i].id, functionsPrincipalId, roles.blobDataOwner)
  scope: hostContainers[i]
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
  }
}]

// --- logs -------------------------------------------------------------------------------------

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}deployments'
