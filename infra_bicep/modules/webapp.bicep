// One Django web deployment (storefront or backoffice) on the shared Linux plan: the app, its
// `staging` slot, the app settings of both, the settings that stay with a slot on swap, logs.
//
// Plain resources (no registry module) so checkov scans every property here.

@description('App name; the default host is <name>.azurewebsites.net, the slot <name>-staging.')
param name string
param location string
param tags object
param planId string
@description('Resource id of the user-assigned identity the app and its slot run as.')
param identityId string
@description('App settings both the app and its slot get (main.bicep builds them per deployment).')
param appSettings object
@description('A custom domain bound to the production slot, or empty.')
param customHostName string = ''
@description('Subnet for regional VNet integration (prod), or empty.')
param subnetId string = ''
param logAnalyticsWorkspaceId string

var pythonVersion = 'PYTHON|3.12'
var startupCommand = 'gunicorn -c shop/gunicorn_conf.py shop.wsgi'
var healthCheckPath = '/healthz'
// Host-bound settings: they differ between the slot and production, so they are slot
// settings (sticky) and never travel with a swap.
var productionHost = site.properties.defaultHostName
var stagingHost = slot.properties.defaultHostName
var productionHostSettings = {
  TIENDA_ALLOWED_HOSTS: empty(customHostName) ? productionHost : '${productionHost},${customHostName}'
  TIENDA_CSRF_TRUSTED_ORIGINS: empty(customHostName) ? 'https://${productionHost}' : 'https://${productionHost},https://${customHostName}'
}
var stagingHostSettings = {
  TIENDA_ALLOWED_HOSTS: stagingHost
  TIENDA_CSRF_TRUSTED_ORIGINS: 'https://${stagingHost}'
}
var stickySettingNames = [
  'TIENDA_ALLOWED_HOSTS'
  'TIENDA_CSRF_TRUSTED_ORIGINS'
]

var siteConfig = {
  linuxFxVersion: pythonVersion
  appCommandLine: startupCommand
  healthCheckPath: healthCheckPath
  alwaysOn: true
  http20Enabled: true
  minTlsVersion: '1.2'
  scmMinTlsVersion: '1.2'
  ftpsState: 'Disabled'
  use32BitWorkerProcess: false
  httpLoggingEnabled: true
  logsDirectorySizeLimit: 35
  detailedErrorLoggingEnabled: true
  requestTracingEnabled: true
  vnetRouteAllEnabled: !empty(subnetId)
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  #checkov:skip=CKV_AZURE_13:staff and customers sign in through Django's own accounts (sessions, Argon2, lockout); App Service authentication would sit in front of the public shop and the health check
  #checkov:skip=CKV_AZURE_17:browsers of customers and staff cannot present client certificates
  #checkov:skip=CKV_AZURE_222:the storefront and the staff site are reached from the internet; prod's data services are private and the apps reach them through VNet integration
  #checkov:skip=CKV_AZURE_88:the app keeps no files on the App Service share: media, invoices and imports live in Blob Storage
  #checkov:skip=CKV_AZURE_212:instances are the plan's, not per app: 3 in prod with autoscale (plan.bicep), 1 in dev
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    clientAffinityEnabled: false
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: siteConfig
  }
}

resource slot 'Microsoft.Web/sites/slots@2024-04-01' = {
  #checkov:skip=CKV_AZURE_13:as the app: Django's own accounts
  #checkov:skip=CKV_AZURE_17:as the app: browsers cannot present client certificates
  #checkov:skip=CKV_AZURE_222:the staging slot is smoke-tested over the internet by the deploy workflow before the swap
  #checkov:skip=CKV_AZURE_88:as the app: no files on the App Service share
  #checkov:skip=CKV_AZURE_212:as the app: instances are the plan's
  parent: site
  name: 'staging'
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    clientAffinityEnabled: false
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: siteConfig
  }
}

resource productionSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  #checkov:skip=CKV_AZURE_13:checkov reads every sites/config child as the web config; this one holds app settings (authentication: see the site)
  #checkov:skip=CKV_AZURE_63:checkov reads every sites/config child as the web config; HTTP logging is on in the site's siteConfig
  #checkov:skip=CKV_AZURE_65:checkov reads every sites/config child as the web config; detailed errors are on in the site's siteConfig
  #checkov:skip=CKV_AZURE_66:checkov reads every sites/config child as the web config; request tracing is on in the site's siteConfig
  #checkov:skip=CKV_AZURE_80:checkov reads every sites/config child as the web config; the app is Python, there is no .NET version
  #checkov:skip=CKV_AZURE_88:checkov reads every sites/config child as the web config; no files live on the App Service share
  #checkov:skip=CKV_AZURE_222:checkov reads every sites/config child as the web config; public access: see the site
  parent: site
  name: 'appsettings'
  properties: union(appSettings, productionHostSettings)
}

resource stagingSettings 'Microsoft.Web/sites/slots/config@2024-04-01' = {
  parent: slot
  name: 'appsettings'
  properties: union(appSettings, stagingHostSettings)
}

resource slotConfigNames 'Microsoft.Web/sites/config@2024-04-01' = {
  #checkov:skip=CKV_AZURE_13:checkov reads every sites/config child as the web config; this one holds app settings (authentication: see the site)
  #checkov:skip=CKV_AZURE_63:checkov reads every sites/config child as the web config; HTTP logging is on in the site's siteConfig
  #checkov:skip=CKV_AZURE_65:checkov reads every sites/config child as the web config; detailed errors are on in the site's siteConfig
  #checkov:skip=CKV_AZURE_66:checkov reads every sites/config child as the web config; request tracing is on in the site's siteConfig
  #checkov:skip=CKV_AZURE_80:checkov reads every sites/config child as the web config; the app is Python, there is no .NET version
  #checkov:skip=CKV_AZURE_88:checkov reads every sites/config child as the web config; no files live on the App Service share
  #checkov:skip=CKV_AZURE_222:checkov reads every sites/config child as the web config; public access: see the site
  parent: site
  name: 'slotConfigNames'
  properties: {
    appSettingNames: stickySettingNames
  }
}

// Publishing with a user name and password is off: the workflow deploys with Entra (OIDC).
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource slotFtpPolicy 'Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: slot
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource slotScmPolicy 'Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: slot
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceAppLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
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

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output stagingHostName string = slot.properties.defaultHostName
