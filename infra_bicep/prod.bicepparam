// prod: P1v3 plan across zones with autoscale, provisioned Azure SQL, General Purpose
// PostgreSQL, VNet with private endpoints, custom domains, Power BI Embedded A1.
using 'main.bicep'

param environmentName = 'prod'
// Ids differ per tenant: the deploy workflow exports them from its GitHub environment's
// variables (docs/deployment.md).
param dbAdminGroupName = 'tienda-prod-db-admins'
param dbAdminGroupObjectId = readEnvironmentVariable('DB_ADMIN_GROUP_OBJECT_ID')
param deployPrincipalId = readEnvironmentVariable('DEPLOY_PRINCIPAL_ID')
param alertEmails = [
  'ops@tienda.example'
  'oncall@tienda.example'
]
param budgetAmount = 2500
param budgetStartDate = '2027-01-01'
param storefrontCustomDomain = 'shop.tienda.example'
param backofficeCustomDomain = 'staff.tienda.example'
param smtpHost = 'smtp.azurecomm.net'
param smtpUsername = 'tienda-prod-mail'
param mailFrom = 'Tienda <no-reply@tienda.example>'
param sellerName = 'Tienda Demo S.L.'
param sellerTaxId = 'ESB00000000'
param sellerAddress = 'Calle Mayor 1, 28013 Madrid, España'
param powerBiEnabled = true
param powerBiSku = 'A1'
param powerBiAdministrators = [
  'bi-admins@tienda.example'
]
param tags = {
  costCenter: 'tienda-prod'
}
