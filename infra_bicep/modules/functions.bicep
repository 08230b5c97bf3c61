// The Function App for azure_functions/function_app.py (Python 3.12, v2 model): one queue
// trigger per queue, the timers. Flex Consumption (FC1): scales per queue, VNet integration
// in prod, no deployment slots (the plan has none; the workers are deployed after the web
// swap, from the same build). Every storage connection is identity-based.

param name string
param location string
param tags object
param identityId string
param identityClientId string
@description('The storage account of the host (AzureWebJobsStorage) and of the queues.')
param storageAccountName string
@description('App settings main.bicep builds for the worker deployment.')
param appSettings object
@description('Blob container URL the plan reads the deployment package from.')
param deploymentContainerUrl string
param maximumInstanceCount int
param instanceMemoryMB int
@description('Subnet (delegated to Microsoft.App/environments) for VNet integration, or empty.')
param subnetId string = ''
param logAnalyticsWorkspaceId string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  #checkov:skip=CKV_AZURE_211:Flex Consumption (FC1) bills per execution; the Premium SKU this check wants would cost a fixed monthly amount for queue work
  #checkov:skip=CKV_AZURE_212:Flex Consumption has no fixed instance count: it scales per trigger from 0
  #checkov:skip=CKV_AZURE_225:Flex Consumption has no zone-redundant instance count to set here
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  #checkov:skip=CKV_AZURE_13:no HTTP functions: queue and timer triggers only, nothing for App Service authentication to guard
  #checkov:skip=CKV_AZURE_17:no HTTP functions: nothing presents client certificates
  #checkov:skip=CKV_AZURE_222:no HTTP functions; prod's data services are private and reached through VNet integration
  #checkov:skip=CKV_AZURE_212:Flex Consumption scales per trigger; there is no fixed instance count
  #checkov:skip=CKV_AZURE_88:no files on an App Service share: blobs hold everything
  #checkov:skip=CKV_AZURE_213:App Service health check is not offered on Flex Consumption and there is no HTTP function to ping; the Function-failure alert and the timers' TimerRun records watch the workers
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'python'
        version: '3.12'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      httpLoggingEnabled: true
      detailedErrorLoggingEnabled: true
      requestTracingEnabled: true
      vnetRouteAllEnabled: !empty(subnetId)
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  #checkov:skip=CKV_AZURE_13:checkov reads every sites/config child as the web config; this one holds app settings
  #checkov:skip=CKV_AZURE_63:checkov reads every sites/config child as the web config; HTTP logging is on in the site's siteConfig
  #checkov:skip=CKV_AZURE_65:checkov reads every sites/config child as the web config; detailed errors are on in the site's siteConfig
  #checkov:skip=CKV_AZURE_66:checkov reads every sites/config child as the web config; request tracing is on in the site's siteConfig
  #checkov:skip=CKV_AZURE_80:checkov reads every sites/config child as the web config; the app is Python, there is no .NET version
  #checkov:skip=CKV_AZURE_88:checkov reads every sites/config child as the web config; no files live on an App Service share
  #checkov:skip=CKV_AZURE_222:checkov reads every sites/config child as the web config; public access: see the site
  parent: app
  name: 'appsettings'
  properties: union(appSettings, {
    // The Functions host's own storage (leases, timer schedules, keys), by identity.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
  })
}

resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = app.id
output name string = app.name
