// KDirective: the vendor-ban directive pipeline (BOD 17-01 by default) on Azure Functions Flex Consumption.
// Identity-only access everywhere: no storage keys, no connection strings, the SendGrid key only in Key Vault.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Environment name (azd sets it); part of every resource name.')
param environmentName string

param location string = resourceGroup().location

@description('Directive name, used in email subjects.')
param directiveName string = 'BOD 17-01'

@description('The banned vendor, as emails name it.')
param directiveVendor string = 'Kaspersky'

@description('Issue date (YYYY-MM-DD); milestone days count from it.')
param directiveIssuedOn string = '2017-09-13'

@description('Time zone in which a due date ends at 23:59:59 (IANA id).')
param directiveTimeZone string = 'America/New_York'

@description('Product catalog: empty for the built-in one, or blob:<container>/<name> in the data account (a container agencies cannot write).')
param directiveCatalog string = ''

param inventoryDays int = 30
param planDays int = 60
param implementationDays int = 90
param statusEveryDays int = 30

@description('NCRONTAB schedule of the reminder timer (UTC). 13:00 UTC is 08:00 or 09:00 in Washington.')
param reminderSchedule string = '0 0 13 * * *'

@description('Days before a due date on which reminders go out, comma-separated.')
param reminderDaysBefore string = '14,7,3,1'

param overdueEveryDays int = 7

@description('Sender address of every email (a SendGrid verified sender).')
param emailFrom string

param emailFromName string = 'BOD 17-01 Notifications'

@secure()
@description('SendGrid API key, stored in Key Vault. Leave empty to keep the secret already there. Never put it in a parameter file.')
param sendGridApiKey string = ''

@description('sendgrid: email goes through SendGrid and the app refuses to start without the key. outbox: chosen explicitly, every email is an .eml file on the instance (trials only).')
@allowed([ 'sendgrid', 'outbox' ])
param emailDelivery string = 'sendgrid'

@description('Operator address for failure and poison-blob alerts.')
param operatorEmail string

@description('NCRONTAB schedule of the weekly operator digest (UTC), sent to operatorEmail. Mondays 12:00 UTC.')
param digestSchedule string = '0 0 12 * * 1'

@description('The dashboard\'s Entra app registration (client) id: sign-in and the audience of its tokens.')
param dashboardClientId string

@description('App role of the dashboard\'s app registration whose holders see every agency.')
param dashboardOperatorRole string = 'Dashboard.Operator'

@description('Optional Entra group (object id) whose members are operators too.')
param dashboardOperatorGroupId string = ''

@description('Per-agency upload principals: [{ agency, principalId, principalType }] (Entra object ids).')
param agencyUploaders array = []

@description('Second pass, after the code is deployed and the host reports its blobs_extension key: create the Event Grid subscriptions.')
param createEventSubscriptions bool = false

param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var baseName = '${environmentName}-${suffix}'
var tags = { 'azd-env-name': environmentName, application: 'kdirective' }
var deploymentContainer = 'deploymentpackage'
var deadLetterContainer = 'eventgrid-deadletter'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, baseName: baseName, tags: tags }
}

// The agency-facing account (uploads, results, tables) and the host's own account (keys, package, queues, dead letters).
module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { location: location, storageName: 'st${take(suffix, 20)}', tags: tags, workspaceId: monitoring.outputs.workspaceId }
}

module hostStorage 'modules/host-storage.bicep' = {
  name: 'host-storage'
  params: {
    location: location
    storageName: 'sth${take(suffix, 20)}'
    tags: tags
    deploymentContainer: deploymentContainer
    deadLetterContainer: deadLetterContainer
    workspaceId: monitoring.outputs.workspaceId
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { location: location, baseName: baseName, tags: tags }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { location: location, vaultName: 'kv-${take(suffix, 20)}', tags: tags, sendGridApiKey: sendGridApiKey }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    baseName: baseName
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    hostQueueEndpoint: hostStorage.outputs.queueEndpoint
    hostTableEndpoint: hostStorage.outputs.tableEndpoint
    dataBlobEndpoint: storage.outputs.blobEndpoint
    dataQueueEndpoint: storage.outputs.queueEndpoint
    dataTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    insightsConnectionString: monitoring.outputs.connectionString
    sendGridSecretUri: vault.outputs.sendGridSecretUri
    sendGridEnabled: emailDelivery == 'sendgrid'
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    settings: {
      'Directive:Name': directiveName
      'Directive:Vendor': directiveVendor
      'Directive:IssuedOn': directiveIssuedOn
      'Directive:TimeZone': directiveTimeZone
      'Directive:InventoryDays': inventoryDays
      'Directive:PlanDays': planDays
      'Directive:ImplementationDays': implementationDays
      'Directive:StatusEveryDays': statusEveryDays
      'Directive:MinCoverage': '0.9'
      'Directive:Catalog': directiveCatalog
      'Reminders:Schedule': reminderSchedule
      'Reminders:DaysBefore': reminderDaysBefore
      'Reminders:OverdueEveryDays': overdueEveryDays
      'Reminders:StaleClaimMinutes': 30
      'Email:From': emailFrom
      'Email:FromName': emailFromName
      'Email:Outbox': '/tmp/outbox'
      'Email:OperatorTo': operatorEmail
      'Digest:Schedule': digestSchedule
      'Digest:DashboardUrl': 'https://func-${baseName}.azurewebsites.net/'
      'Dashboard:TenantId': tenant().tenantId
      'Dashboard:ClientId': dashboardClientId
      'Dashboard:OperatorRole': dashboardOperatorRole
      'Dashboard:OperatorGroupId': dashboardOperatorGroupId
      'Dashboard:Instance': environment().authentication.loginEndpoint
      'SendGrid:Required': emailDelivery == 'sendgrid'
      'SendGrid:MaxAttempts': 5
      'SendGrid:BaseDelay': '00:00:02'
      'SendGrid:MaxDelay': '00:01:00'
    }
  }
}

module appRoles 'modules/app-roles.bicep' = {
  name: 'app-roles'
  params: {
    principalId: identity.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    dataStorageName: storage.outputs.name
    vaultName: vault.outputs.name
    insightsName: monitoring.outputs.insightsName
  }
}

module agencyAccess 'modules/agency-access.bicep' = {
  name: 'agency-access'
  params: { storageName: storage.outputs.name, agencyUploaders: agencyUploaders, roleSuffix: baseName }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    location: location
    baseName: baseName
    tags: tags
    storageId: storage.outputs.id
    identityId: identity.outputs.id
  }
}

// The second pass. As a conditional module, its listKeys of the host key is never evaluated while the flag is false.
module eventSubscriptions 'modules/event-subscriptions.bicep' = if (createEventSubscriptions) {
  name: 'event-subscriptions'
  params: {
    topicName: eventGrid.outputs.topicName
    functionAppName: functionApp.outputs.name
    identityId: identity.outputs.id
    deadLetterStorageId: hostStorage.outputs.id
    deadLetterContainer: deadLetterContainer
  }
  dependsOn: [ appRoles ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    baseName: baseName
    tags: tags
    operatorEmail: operatorEmail
    insightsId: monitoring.outputs.insightsId
    workspaceId: monitoring.outputs.workspaceId
    topicId: eventGrid.outputs.topicId
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_HOST_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_EVENTGRID_TOPIC_NAME string = eventGrid.outputs.topicName
