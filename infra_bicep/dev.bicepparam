// dev: Standard S1 plan with slots, serverless Azure SQL, Burstable PostgreSQL, public
// endpoints (Entra ID only, no keys or passwords), Power BI off.
using 'main.bicep'

param environmentName = 'dev'
// Ids differ per tenant: the deploy workflow exports them from its GitHub environment's
// variables (docs/deployment.md).
param dbAdminGroupName = 'tienda-dev-db-admins'
param dbAdminGroupObjectId = readEnvironmentVariable('DB_ADMIN_GROUP_OBJECT_ID')
param deployPrincipalId = readEnvironmentVariable('DEPLOY_PRINCIPAL_ID')
param alertEmails = [
  'ops@tienda.example'
]
param budgetAmount = 150
param budgetStartDate = '2027-01-01'
param smtpHost = 'smtp.azurecomm.net'
param smtpUsername = 'tienda-dev-mail'
param mailFrom = 'Tienda (dev) <no-reply@dev.tienda.example>'
param sellerName = 'Tienda Demo S.L.'
param sellerTaxId = 'ESB00000000'
param sellerAddress = 'Calle Mayor 1, 28013 Madrid, España'
param tags = {
  costCenter: 'tienda-dev'
}
