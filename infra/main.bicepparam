// Example parameters. The SendGrid key is never written here: azd reads it from the environment at deploy time
// (azd env set SENDGRID_API_KEY ...), and the template stores it only in Key Vault.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'kdirective')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastus2')
param emailFrom = 'bod-notifications@example.gov'
param operatorEmail = 'kdirective-operators@example.gov'
param dashboardClientId = readEnvironmentVariable('KDIRECTIVE_DASHBOARD_CLIENT_ID', '00000000-0000-0000-0000-00000000da5b')
param sendGridApiKey = readEnvironmentVariable('SENDGRID_API_KEY', '')
param createEventSubscriptions = bool(readEnvironmentVariable('KDIRECTIVE_EVENT_SUBSCRIPTIONS', 'false'))

// One Entra group per agency uploads for it (object ids are examples).
param agencyUploaders = [
  { agency: 'doc', principalId: '00000000-0000-0000-0000-00000000d0c1', principalType: 'Group' }
  { agency: 'treas', principalId: '00000000-0000-0000-0000-0000000007e1', principalType: 'Group' }
  { agency: 'dhs', principalId: '00000000-0000-0000-0000-00000000d451', principalType: 'Group' }
]
