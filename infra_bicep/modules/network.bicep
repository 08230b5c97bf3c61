// prod only: a VNet with regional VNet integration for the web apps and the Function App,
// and private endpoints (with their private DNS zones) for Azure SQL, PostgreSQL, the storage
// account (blob, queue) and Key Vault, whose public network access is then off.

param prefix string
param location string
param tags object
param addressPrefix string
@description('Subnet prefixes inside addressPrefix: {apps, functions, endpoints}.')
param subnets object
param sqlServerId string
param postgresServerId string
param storageAccountId string
param keyVaultId string

// The private DNS zone of each endpoint kind (Azure public cloud names).
var zones = [
  'privatelink${environment().suffixes.sqlServerHostname}'
  'privatelink.postgres.database.azure.com'
  'privatelink.blob.${environment().suffixes.storage}'
  'privatelink.queue.${environment().suffixes.storage}'
  'privatelink.vaultcore.azure.net'
]
var endpoints = [
  {
    name: 'sql'
    target: sqlServerId
    group: 'sqlServer'
    zone: 0
  }
  {
    name: 'postgres'
    target: postgresServerId
    group: 'postgresqlServer'
    zone: 1
  }
  {
    name: 'blob'
    target: storageAccountId
    group: 'blob'
    zone: 2
  }
  {
    name: 'queue'
    target: storageAccountId
    group: 'queue'
    zone: 3
  }
  {
    name: 'vault'
    target: keyVaultId
    group: 'vault'
    zone: 4
  }
]

// No inbound rules beyond Azure's defaults (VNet-internal only): the subnets only originate
// traffic (VNet integration) or receive it from inside the VNet (private endpoints).
resource nsg 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-${prefix}'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-${prefix}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'snet-apps'
        properties: {
          addressPrefix: subnets.apps
          networkSecurityGroup: {
            id: nsg.id
          }
          delegations: [
            {
              name: 'web'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'snet-functions'
        properties: {
          addressPrefix: subnets.functions
          networkSecurityGroup: {
            id: nsg.id
          }
          delegations: [
            {
              name: 'flex'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'snet-endpoints'
        properties: {
          addressPrefix: subnets.endpoints
          networkSecurityGroup: {
            id: nsg.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
        }
      }
    ]
  }
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in zones: {
  name: zone
  location: 'global'
  tags: tags
}]

resource dnsLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in zones: {
  parent: dnsZones[i]
  name: 'link-${prefix}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-01-01' = [for endpoint in endpoints: {
  name: 'pe-${prefix}-${endpoint.name}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: '${vnet.id}/subnets/snet-endpoints'
    }
    privateLinkServiceConnections: [
      {
        name: endpoint.name
        properties: {
          privateLinkServiceId: endpoint.target
          groupIds: [
            endpoint.group
          ]
        }
      }
    ]
  }
}]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = [for (endpoint, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: endpoint.name
        properties: {
          privateDnsZoneId: dnsZones[endpoint.zone].id
        }
      }
    ]
  }
}]

output appsSubnetId string = '${vnet.id}/subnets/snet-apps'
output functionsSubnetId string = '${vnet.id}/subnets/snet-functions'
