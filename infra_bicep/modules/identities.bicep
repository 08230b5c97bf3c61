// One user-assigned identity per deployment (storefront, backoffice, functions): each gets
// only the data-plane roles it needs, and the staging slot runs as its app's identity.
// User-assigned (not system-assigned) so database users and role assignments exist before
// the apps do, and survive an app being recreated.

param prefix string
param location string
param tags object

resource storefront 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${prefix}-storefront'
  location: location
  tags: tags
}

resource backoffice 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${prefix}-backoffice'
  location: location
  tags: tags
}

resource functions 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${prefix}-functions'
  location: location
  tags: tags
}

output storefront object = {
  id: storefront.id
  name: storefront.name
  clientId: storefront.properties.clientId
  principalId: storefront.properties.principalId
}
output backoffice object = {
  id: backoffice.id
  name: backoffice.name
  clientId: backoffice.properties.clientId
  principalId: backoffice.properties.principalId
}
output functions object = {
  id: functions.id
  name: functions.name
  clientId: functions.properties.clientId
  principalId: functions.properties.principalId
}
