// Power BI Embedded capacity for the warehouse reports (A SKUs bill per hour while running:
// off in dev by default, and can be paused outside business hours).

param prefix string
param location string
param tags object
@description('A1 ... A6.')
param skuName string
@description('Entra users (UPN) or service principals that administer the capacity.')
param administrators array

resource capacity 'Microsoft.PowerBIDedicated/capacities@2021-01-01' = {
  name: replace('pbi${prefix}', '-', '')
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: 'PBIE_Azure'
  }
  properties: {
    administration: {
      members: administrators
    }
  }
}

output name string = capacity.name
