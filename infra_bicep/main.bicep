// Tienda on Azure: one resource group per environment (dev, prod), deployed with
//   az deployment group create -g rg-tienda-<env> -f infra_bicep/main.bicep -p infra_bicep/<env>.bicepparam
//
// Three deployments of the one Django project, each with its settings module:
//   storefront  App Service + staging slot  shop.settings.storefront  (shop, /api/v1)
//   backoffice  App Service + staging slot  shop.settings.backoffice  (/api/, /admin/, the staff SPA)
//   workers     Function App (Flex)         shop.settings.worker      (queue triggers, timers)
// Data: Azure SQL (Entra only), PostgreSQL warehouse (Entra only), one storage account
// (shared keys off), Key Vault; operations: Log Analytics, Application Insights, alerts, a
// budget; prod adds a VNet with private endpoints and VNet integration.
//
// Written in the Bicep subset checkov's parser (pycep-parser 0.5.1) reads: no imports,
// user-defined types, lambdas or nullable parameters (scripts/bicep-checks.sh).

@description('dev or prod: picks the sizes below and private networking (prod).')
@allowed([
  'dev'
  'prod'
])
param environmentName string
param location string = resourceGroup().location
@description('First part of every name; app names are global (<name>.azurewebsites.net).')
param namePrefix string = 'tienda'
param tags object = {}

@description('Entra group administering Azure SQL and PostgreSQL; the deploy identity is a member.')
param dbAdminGroupName string
param dbAdminGroupObjectId string

@description('Object id of the deploy workflow\'s service principal (OIDC): sets the Key Vault secret-key once.')
param deployPrincipalId string

@description('Who receives alerts and budget notices.')
param alertEmails array
@description('Monthly budget of the resource group, in the billing currency.')
param budgetAmount int
@description('First day of the first budget month, YYYY-MM-01.')
param budgetStartDate string

@description('Custom domain of the storefront (prod), or empty for <app>.azurewebsites.net.')
param storefrontCustomDomain string = ''
@description('Custom domain of the backoffice, or empty.')
param backofficeCustomDomain string = ''

@description('SMTP relay for order and account mail; the password is the Key Vault secret smtp-password.')
param smtpHost string
param smtpPort int = 587
param smtpUsername string
param smtpStartTls bool = true
param mailFrom string
@description('Campaign e-mails per second (0: unthrottled); keep it within what the SMTP relay accepts.')
@minValue(0)
@maxValue(10000)
param campaignRatePerSecond int = 50

@description('The shop itself (the same settings as a local run).')
param currency string = 'EUR'
param taxRateBp int = 2100
param sellerName string
param sellerTaxId string
param sellerAddress string
param storeTimezone string = 'Europe/Madrid'
@allowed([
  'es'
  'en'
])
param defaultLocale string = 'es'

@description('Power BI Embedded capacity over the warehouse (bills per hour: off by default).')
param powerBiEnabled bool = false
param powerBiSku string = 'A1'
param powerBiAdministrators array = []

param vnetAddressPrefix string = '10.40.0.0/16'
param vnetSubnets object = {
  apps: '10.40.1.0/24'
  functions: '10.40.2.0/24'
  endpoints: '10.40.3.0/24'
}

var prefix = '${namePrefix}-${environmentName}'
var unique = uniqueString(resourceGroup().id)
var privateNetworking = environmentName == 'prod'
var allTags = union(tags, {
  application: 'tienda'
  environment: environmentName
})

// Everything that differs between environments, in one place (docs/architecture.md prices it).
var sizes = {
  dev: {
    planSku: 'S1'
    planCapacity: 1
    planZoneRedundant: false
    autoscaleMaximum: 0
    webWorkers: '2'
    sqlSku: {
      name: 'GP_S_Gen5_1'
      tier: 'GeneralPurpose'
      family: 'Gen5'
      capacity: 1
    }
    sqlAutoPauseDelay: 60
    sqlMinCapacity: '0.5'
    sqlMaxSizeBytes: 34359738368
    sqlZoneRedundant: false
    sqlBackupRedundancy: 'Local'
    postgresSku: {
      name: 'Standard_B1ms'
      tier: 'Burstable'
    }
    postgresStorageGB: 32
    postgresHighAvailability: false
    postgresGeoBackup: false
    storageSku: 'Standard_LRS'
    functionsMaxInstances: 10
    logRetentionDays: 30
    logDailyQuotaGb: 1
    http5xxThreshold: 10
    hstsPreload: 'false'
    logLevel: 'INFO'
  }
  prod: {
    planSku: 'P1v3'
    planCapacity: 3
    planZoneRedundant: true
    autoscaleMaximum: 6
    webWorkers: '4'
    sqlSku: {
      name: 'GP_Gen5_2'
      tier: 'GeneralPurpose'
      family: 'Gen5'
      capacity: 2
    }
    sqlAutoPauseDelay: -1
    sqlMinCapacity: '0'
    sqlMaxSizeBytes: 107374182400
    sqlZoneRedundant: true
    sqlBackupRedundancy: 'Geo'
    postgresSku: {
      name: 'Standard_D2ds_v5'
      tier: 'GeneralPurpose'
    }
    postgresStorageGB: 64
    postgresHighAvailability: false
    postgresGeoBackup: true
    storageSku: 'Standard_GZRS'
    functionsMaxInstances: 40
    logRetentionDays: 90
    logDailyQuotaGb: -1
    http5xxThreshold: 5
    hstsPreload: 'true'
    logLevel: 'INFO'
  }
}
var size = sizes[environmentName]

var storefrontName = 'app-${prefix}-storefront'
var backofficeName = 'app-${prefix}-backoffice'
var functionsName = 'func-${prefix}-workers'
var keyVaultName = take('kv${replace(prefix, '-', '')}${unique}', 24)
var storageName = take('st${replace(prefix, '-', '')}${unique}', 24)
// Links in mail and the sitemap point at the storefront's production host.
var publicBaseUrl = empty(storefrontCustomDomain) ? 'https://${storefrontName}.azurewebsites.net' : 'https://${storefrontCustomDomain}'

// The names the code uses (settings.CONTAINERS, settings.QUEUES); tests/infra holds these to
// the settings, and every queue gets a -poison twin in modules/storage.bicep.
var containerNames = {
  media: 'media'
  invoices: 'invoices'
  imports: 'imports'
}
var queueNames = {
  orderConfirmation: 'order-confirmation'
  notifications: 'notifications'
  inventoryJobs: 'inventory-jobs'
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    prefix: prefix
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    prefix: prefix
    location: location
    tags: allTags
    retentionDays: size.logRetentionDays
    dailyQuotaGb: size.logDailyQuotaGb
    alertEmails: alertEmails
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  params: {
    name: keyVaultName
    location: location
    tags: allTags
    privateNetworking: privateNetworking
    readerPrincipalIds: [
      identities.outputs.storefront.principalId
      identities.outputs.backoffice.principalId
      identities.outputs.functions.principalId
    ]
    deployPrincipalId: deployPrincipalId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageName
    location: location
    tags: allTags
    skuName: size.storageSku
    privateNetworking: privateNetworking
    appContainers: [
      containerNames.media
      containerNames.invoices
      containerNames.imports
    ]
    queueNames: [
      queueNames.orderConfirmation
      queueNames.notifications
      queueNames.inventoryJobs
    ]
    appPrincipalIds: [
      identities.outputs.storefront.principalId
      identities.outputs.backoffice.principalId
      identities.outputs.functions.principalId
    ]
    functionsPrincipalId: identities.outputs.functions.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module sql 'modules/sql.bicep' = {
  name: 'sql'
  params: {
    prefix: prefix
    location: location
    tags: allTags
    privateNetworking: privateNetworking
    adminGroupName: dbAdminGroupName
    adminGroupObjectId: dbAdminGroupObjectId
    databaseSku: size.sqlSku
    autoPauseDelay: size.sqlAutoPauseDelay
    minCapacity: size.sqlMinCapacity
    maxSizeBytes: size.sqlMaxSizeBytes
    zoneRedundant: size.sqlZoneRedundant
    backupRedundancy: size.sqlBackupRedundancy
    alertEmails: alertEmails
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    prefix: prefix
    location: location
    tags: allTags
    privateNetworking: privateNetworking
    sku: size.postgresSku
    storageSizeGB: size.postgresStorageGB
    highAvailability: size.postgresHighAvailability
    geoRedundantBackup: size.postgresGeoBackup
    adminGroupName: dbAdminGroupName
    adminGroupObjectId: dbAdminGroupObjectId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    prefix: prefix
    location: location
    tags: allTags
    addressPrefix: vnetAddressPrefix
    subnets: vnetSubnets
    sqlServerId: sql.outputs.serverId
    postgresServerId: postgres.outputs.id
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
  }
}

module plan 'modules/plan.bicep' = {
  name: 'plan'
  params: {
    name: 'plan-${prefix}'
    location: location
    tags: allTags
    skuName: size.planSku
    capacity: size.planCapacity
    zoneRedundant: size.planZoneRedundant
    autoscaleMaximum: size.autoscaleMaximum
  }
}

// --- app settings: every TIENDA_* the settings modules read (tests/infra/test_parity.py) -----

var keyVaultSecretKey = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=secret-key)'
var keyVaultSmtpPassword = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=smtp-password)'

// What every Django process on Azure reads, whatever its role.
var djangoSettings = {
  TIENDA_ENVIRONMENT: environmentName
  TIENDA_DEBUG: 'false'
  TIENDA_SECRET_KEY: keyVaultSecretKey
  TIENDA_LOG_LEVEL: size.logLevel
  TIENDA_PUBLIC_BASE_URL: publicBaseUrl
  TIENDA_DATABASE_URL: 'mssql://${sql.outputs.serverHost}:1433/${sql.outputs.databaseName}'
  TIENDA_DATABASE_AUTH: 'entra'
  TIENDA_DATABASE_CONN_MAX_AGE: '60'
  TIENDA_STORAGE_ACCOUNT_NAME: storage.outputs.name
  TIENDA_SAS_TTL_SECONDS: '900'
  TIENDA_CONTAINER_MEDIA: containerNames.media
  TIENDA_CONTAINER_INVOICES: containerNames.invoices
  TIENDA_CONTAINER_IMPORTS: containerNames.imports
  TIENDA_QUEUE_ORDER_CONFIRMATION: queueNames.orderConfirmation
  TIENDA_QUEUE_NOTIFICATIONS: queueNames.notifications
  TIENDA_QUEUE_INVENTORY_JOBS: queueNames.inventoryJobs
  TIENDA_SMTP_HOST: smtpHost
  TIENDA_SMTP_PORT: string(smtpPort)
  TIENDA_SMTP_USERNAME: smtpUsername
  TIENDA_SMTP_PASSWORD: keyVaultSmtpPassword
  TIENDA_SMTP_STARTTLS: smtpStartTls ? 'true' : 'false'
  TIENDA_MAIL_FROM: mailFrom
  TIENDA_CAMPAIGN_RATE_PER_SECOND: string(campaignRatePerSecond)
  TIENDA_CAMPAIGN_BATCH_SIZE: '500'
  TIENDA_CURRENCY: currency
  TIENDA_TAX_RATE_BP: string(taxRateBp)
  TIENDA_SELLER_NAME: sellerName
  TIENDA_SELLER_TAX_ID: sellerTaxId
  TIENDA_SELLER_ADDRESS: sellerAddress
  TIENDA_STORE_TIMEZONE: storeTimezone
  TIENDA_DEFAULT_LOCALE: defaultLocale
  TIENDA_PENDING_ORDER_TTL_MINUTES: '30'
  TIENDA_CATALOG_VERSION_RECHECK_SECONDS: '1'
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.insightsConnectionString
}

// What the two web apps add: HTTP behind App Service's front end, gunicorn, slot swaps.
// (TIENDA_ALLOWED_HOSTS and TIENDA_CSRF_TRUSTED_ORIGINS are per slot: modules/webapp.bicep.)
var webSettings = {
  TIENDA_HSTS_PRELOAD: size.hstsPreload
  TIENDA_TRUSTED_PROXY_HOPS: '1'
  TIENDA_WEB_WORKERS: size.webWorkers
  TIENDA_ACCESS_LOG: '-'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  WEBSITE_SWAP_WARMUP_PING_PATH: '/healthz'
  WEBSITE_SWAP_WARMUP_PING_STATUSES: '200'
  WEBSITE_HEALTHCHECK_MAXPINGFAILURES: '3'
  ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
}

module storefront 'modules/webapp.bicep' = {
  name: 'storefront'
  params: {
    name: storefrontName
    location: location
    tags: allTags
    planId: plan.outputs.id
    identityId: identities.outputs.storefront.id
    customHostName: storefrontCustomDomain
    subnetId: privateNetworking ? network.outputs.appsSubnetId : ''
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    appSettings: union(djangoSettings, webSettings, {
      DJANGO_SETTINGS_MODULE: 'shop.settings.storefront'
      TIENDA_DATABASE_CLIENT_ID: identities.outputs.storefront.clientId
      TIENDA_STORAGE_CLIENT_ID: identities.outputs.storefront.clientId
    })
  }
  dependsOn: [
    keyVault
  ]
}

module backoffice 'modules/webapp.bicep' = {
  name: 'backoffice'
  params: {
    name: backofficeName
    location: location
    tags: allTags
    planId: plan.outputs.id
    identityId: identities.outputs.backoffice.id
    customHostName: backofficeCustomDomain
    subnetId: privateNetworking ? network.outputs.appsSubnetId : ''
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    appSettings: union(djangoSettings, webSettings, {
      DJANGO_SETTINGS_MODULE: 'shop.settings.backoffice'
      TIENDA_DATABASE_CLIENT_ID: identities.outputs.backoffice.clientId
      TIENDA_STORAGE_CLIENT_ID: identities.outputs.backoffice.clientId
      // Reports read the warehouse as this identity (a read-only role: docs/deployment.md).
      TIENDA_WAREHOUSE_URL: 'postgresql://${identities.outputs.backoffice.name}@${postgres.outputs.host}:5432/${postgres.outputs.databaseName}?sslmode=require'
      TIENDA_WAREHOUSE_AUTH: 'entra'
    })
  }
  dependsOn: [
    keyVault
  ]
}

module functions 'modules/functions.bicep' = {
  name: 'functions'
  params: {
    name: functionsName
    location: location
    tags: allTags
    identityId: identities.outputs.functions.id
    identityClientId: identities.outputs.functions.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    maximumInstanceCount: size.functionsMaxInstances
    instanceMemoryMB: 2048
    subnetId: privateNetworking ? network.outputs.functionsSubnetId : ''
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    appSettings: union(djangoSettings, {
      DJANGO_SETTINGS_MODULE: 'shop.settings.worker'
      TIENDA_DATABASE_CLIENT_ID: identities.outputs.functions.clientId
      TIENDA_STORAGE_CLIENT_ID: identities.outputs.functions.clientId
      // The ETL loads the warehouse as this identity (owner of the warehouse schema).
      TIENDA_WAREHOUSE_URL: 'postgresql://${identities.outputs.functions.name}@${postgres.outputs.host}:5432/${postgres.outputs.databaseName}?sslmode=require'
      TIENDA_WAREHOUSE_AUTH: 'entra'
      // The queue triggers' connection (function_app.py: connection="TIENDA_STORAGE").
      TIENDA_STORAGE__queueServiceUri: storage.outputs.queueEndpoint
      TIENDA_STORAGE__credential: 'managedidentity'
      TIENDA_STORAGE__clientId: identities.outputs.functions.clientId
    })
  }
  dependsOn: [
    keyVault
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    prefix: prefix
    location: location
    tags: allTags
    actionGroupId: monitoring.outputs.actionGroupId
    webAppIds: [
      storefront.outputs.id
      backoffice.outputs.id
    ]
    sqlDatabaseId: sql.outputs.databaseId
    postgresServerId: postgres.outputs.id
    insightsId: monitoring.outputs.insightsId
    functionAppName: functions.outputs.name
    http5xxThreshold: size.http5xxThreshold
  }
}

module budget 'modules/budget.bicep' = {
  name: 'budget'
  params: {
    prefix: prefix
    amount: budgetAmount
    startDate: budgetStartDate
    contactEmails: alertEmails
  }
}

module powerBi 'modules/powerbi.bicep' = if (powerBiEnabled) {
  name: 'powerbi'
  params: {
    prefix: prefix
    location: location
    tags: allTags
    skuName: powerBiSku
    administrators: powerBiAdministrators
  }
}

// What the deploy workflow needs (docs/deployment.md).
output storefrontName string = storefront.outputs.name
output storefrontHost string = storefront.outputs.defaultHostName
output storefrontStagingHost string = storefront.outputs.stagingHostName
output backofficeName string = backoffice.outputs.name
output backofficeHost string = backoffice.outputs.defaultHostName
output backofficeStagingHost string = backoffice.outputs.stagingHostName
output functionsName string = functions.outputs.name
output keyVaultName string = keyVault.outputs.name
output storageAccountName string = storage.outputs.name
output sqlServerHost string = sql.outputs.serverHost
output sqlDatabaseName string = sql.outputs.databaseName
output postgresHost string = postgres.outputs.host
output identityNames object = {
  storefront: identities.outputs.storefront.name
  backoffice: identities.outputs.backoffice.name
  functions: identities.outputs.functions.name
}
