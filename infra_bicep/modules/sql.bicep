// Azure SQL: the logical server with Entra-only authentication (no SQL login exists, so no
// password exists) and the transactional database, serverless in dev. Auditing and Defender
// alerts go to Log Analytics and the alert e-mails. The apps' database users are created by
// the deploy workflow (CREATE USER ... FROM EXTERNAL PROVIDER is T-SQL, not ARM).

param prefix string
param location string
param tags object
param privateNetworking bool
@description('Entra group that administers the server (the deploy identity is a member).')
param adminGroupName string
param adminGroupObjectId string
@description('Database SKU: {name, tier, family, capacity}; GP_S_* is serverless.')
param databaseSku object
@description('Serverless only: minutes idle before the database pauses (-1: never).')
param autoPauseDelay int
@description('Serverless only: minimum vCores.')
param minCapacity string
param maxSizeBytes int
param zoneRedundant bool
@description('Local, Zone or Geo.')
param backupRedundancy string
param alertEmails array
param logAnalyticsWorkspaceId string

var serverless = startsWith(databaseSku.name, 'GP_S_')

resource server 'Microsoft.Sql/servers@2023-08-01-preview' = {
  #checkov:skip=CKV_AZURE_113:public network access is off in prod (private endpoint); dev keeps it for App Service without VNet integration, Entra ID sign-in only
  name: 'sql-${prefix}'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    version: '12.0'
    minimalTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    restrictOutboundNetworkAccess: 'Disabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminGroupName
      sid: adminGroupObjectId
      principalType: 'Group'
      tenantId: subscription().tenantId
    }
  }
}

resource entraOnly 'Microsoft.Sql/servers/azureADOnlyAuthentications@2023-08-01-preview' = {
  parent: server
  name: 'Default'
  properties: {
    azureADOnlyAuthentication: true
  }
}

// dev only (prod is private): Azure services, App Service without VNet integration among
// them. 0.0.0.0-0.0.0.0 is Azure's own marker for that, not the internet.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2023-08-01-preview' = if (!privateNetworking) {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.Sql/servers/databases@2023-08-01-preview' = {
  #checkov:skip=CKV_AZURE_26:alert e-mails are set in databaseAlerts below (securityAlertPolicies with parent: database); this ARM check only looks for an ARM-style nested resources array
  #checkov:skip=CKV_AZURE_27:e-mail to admins is set in databaseAlerts below (emailAccountAdmins: true); this ARM check only looks for an ARM-style nested resources array
  #checkov:skip=CKV_AZURE_229:zone redundancy is per environment: on in prod (GP_Gen5_2), off for dev's serverless database where it would only add cost
  parent: server
  name: 'tienda'
  location: location
  tags: tags
  sku: databaseSku
  properties: {
    collation: 'SQL_Latin1_General_CP1_CI_AS'
    maxSizeBytes: maxSizeBytes
    zoneRedundant: zoneRedundant
    requestedBackupStorageRedundancy: backupRedundancy
    autoPauseDelay: serverless ? autoPauseDelay : null
    minCapacity: serverless ? json(minCapacity) : null
  }

}

resource auditing 'Microsoft.Sql/servers/auditingSettings@2023-08-01-preview' = {
  parent: server
  name: 'default'
  properties: {
    state: 'Enabled'
    isAzureMonitorTargetEnabled: true
    retentionDays: 120
    auditActionsAndGroups: [
      'SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP'
      'FAILED_DATABASE_AUTHENTICATION_GROUP'
      'BATCH_COMPLETED_GROUP'
    ]
  }
}

// Server audit records flow through the master database's diagnostic setting (the
// providers form names master without declaring the system database here).
resource auditDiagnostics 'Microsoft.Sql/servers/databases/providers/diagnosticSettings@2021-05-01-preview' = {
  name: '${server.name}/master/microsoft.insights/audit-to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'SQLSecurityAuditEvents'
        enabled: true
      }
    ]
  }
  dependsOn: [
    auditing
  ]
}

resource databaseAuditing 'Microsoft.Sql/servers/databases/auditingSettings@2023-08-01-preview' = {
  parent: database
  name: 'default'
  properties: {
    state: 'Enabled'
    isAzureMonitorTargetEnabled: true
    retentionDays: 120
  }
}

// Defender for SQL alerts, every threat type (none disabled), mailed to the operators.
resource databaseAlerts 'Microsoft.Sql/servers/databases/securityAlertPolicies@2023-08-01-preview' = {
  parent: database
  name: 'Default'
  properties: {
    state: 'Enabled'
    disabledAlerts: []
    emailAccountAdmins: true
    emailAddresses: alertEmails
    retentionDays: 90
  }
}

resource databaseDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: database
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    metrics: [
      {
        category: 'Basic'
        enabled: true
      }
    ]
  }
}

resource securityAlerts 'Microsoft.Sql/servers/securityAlertPolicies@2023-08-01-preview' = {
  parent: server
  name: 'Default'
  properties: {
    state: 'Enabled'
    emailAccountAdmins: true
    emailAddresses: alertEmails
    disabledAlerts: []
    retentionDays: 120
  }
}

output serverId string = server.id
output serverName string = server.name
output serverHost string = server.properties.fullyQualifiedDomainName
output databaseId string = database.id
output databaseName string = database.name
