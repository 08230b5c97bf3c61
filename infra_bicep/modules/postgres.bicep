// The warehouse: PostgreSQL Flexible Server with Entra authentication only (password sign-in
// off, so no password exists), Burstable in dev. The ETL (Function App identity) loads it;
// the backoffice reads reports from it; Power BI Embedded reads it. Roles for the identities
// are created by the deploy workflow (pgaadauth_create_principal is SQL, not ARM).

param prefix string
param location string
param tags object
param privateNetworking bool
@description('{name, tier}: Standard_B1ms/Burstable in dev, Standard_D2ds_v5/GeneralPurpose in prod.')
param sku object
param storageSizeGB int
param highAvailability bool
param geoRedundantBackup bool
param adminGroupName string
param adminGroupObjectId string
param logAnalyticsWorkspaceId string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'psql-${prefix}'
  location: location
  tags: tags
  sku: sku
  properties: {
    version: '16'
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: geoRedundantBackup ? 'Enabled' : 'Disabled'
    }
    highAvailability: {
      mode: highAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: {
      publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    }
  }
}

resource admin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: adminGroupObjectId
  properties: {
    principalName: adminGroupName
    principalType: 'Group'
    tenantId: subscription().tenantId
  }
}

resource warehouse 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: 'warehouse'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// dev only (prod is private): Azure services, which includes Power BI and App Service
// without VNet integration. 0.0.0.0-0.0.0.0 is Azure's marker for that, not the internet.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (!privateNetworking) {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource connectionThrottling 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'connection_throttle.enable'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

resource logConnections 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'log_connections'
  // Server parameters are changed one at a time.
  dependsOn: [
    connectionThrottling
  ]
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: server
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
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

output id string = server.id
output name string = server.name
output host string = server.properties.fullyQualifiedDomainName
output databaseName string = warehouse.name
