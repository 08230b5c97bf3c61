// Key Vault for the Django secret key and the SMTP password. Secret values are never in Bicep:
// the deploy workflow creates `secret-key` once (random) and an operator sets `smtp-password`
// (docs/deployment.md). The apps read them through Key Vault references in app settings,
// with their user-assigned identities (Key Vault Secrets User, RBAC, no access policies).

param name string
param location string
param tags object
param privateNetworking bool
@description('Principal ids that resolve Key Vault references (the apps\' identities).')
param readerPrincipalIds array
@description('The deploy workflow\'s identity: creates the secret-key secret once (docs/deployment.md).')
param deployPrincipalId string
param logAnalyticsWorkspaceId string

var secretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficerRole = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  #checkov:skip=CKV_AZURE_109:the firewall denies by default in prod (private endpoint); dev allows App Service without VNet integration to resolve references, RBAC-only access
  #checkov:skip=CKV_AZURE_189:public network access is off in prod (private endpoint); dev keeps it for App Service without VNet integration
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      // dev: App Service without VNet integration resolves references over the internet;
      // prod: private endpoint only.
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in readerPrincipalIds: {
  name: guid(vault.id, principalId, secretsUserRole)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRole)
  }
}]

resource deploySecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, deployPrincipalId, secretsOfficerRole)
  scope: vault
  properties: {
    principalId: deployPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficerRole)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
