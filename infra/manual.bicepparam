// Parameters for a deployment by hand, without azd (azd reads main.parameters.json: only that format resolves
// `azd env set-secret` references). The environment name and location have no defaults on purpose: resource names
// derive from them, so a redeployment must give the same ones as the first, or it builds a second stack.
//   AZURE_ENV_NAME=prod AZURE_LOCATION=eastus2 KDIRECTIVE_EMAIL_FROM=... KDIRECTIVE_OPERATOR_EMAIL=... \
//   KDIRECTIVE_DASHBOARD_CLIENT_ID=<app registration client id> SENDGRID_API_KEY=... az deployment group create -g <rg> -n kdirective -f infra/main.bicep -p infra/manual.bicepparam
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME')
param location = readEnvironmentVariable('AZURE_LOCATION')
param emailFrom = readEnvironmentVariable('KDIRECTIVE_EMAIL_FROM')
param operatorEmail = readEnvironmentVariable('KDIRECTIVE_OPERATOR_EMAIL')
param dashboardClientId = readEnvironmentVariable('KDIRECTIVE_DASHBOARD_CLIENT_ID')
param emailDelivery = readEnvironmentVariable('KDIRECTIVE_EMAIL_DELIVERY', 'sendgrid')
param sendGridApiKey = readEnvironmentVariable('SENDGRID_API_KEY', '')
param createEventSubscriptions = bool(readEnvironmentVariable('KDIRECTIVE_EVENT_SUBSCRIPTIONS', 'false'))

// One Entra group per agency, e.g. { agency: 'doc', principalId: '<object id of the group>', principalType: 'Group' }.
param agencyUploaders = []
