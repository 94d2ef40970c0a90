// The Flex Consumption (FC1) function app: .NET 10 isolated worker, a user-assigned identity for every connection,
// and every setting the code reads. Settings are listed here once; a test checks them against the code.
param location string
param baseName string
param tags object
param identityId string
param identityClientId string
param hostBlobEndpoint string
param hostQueueEndpoint string
param hostTableEndpoint string
param dataBlobEndpoint string
param dataQueueEndpoint string
param dataTableEndpoint string
param deploymentContainer string
param insightsConnectionString string
param sendGridSecretUri string

@description('False when the operator chose outbox-only email: then no Key Vault reference is set at all.')
param sendGridEnabled bool
param maximumInstanceCount int
param instanceMemoryMB int

@description('Directive, reminder and email settings, as configuration keys (section:key) and values.')
param settings object

// Both connections are identity-based, and they are two accounts: the host's own (AzureWebJobsStorage), which no
// agency role touches, and the agency-facing one the triggers and the library use (InventoryStorage).
var connectionSettings = [
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: hostBlobEndpoint }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: hostQueueEndpoint }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: hostTableEndpoint }
  { name: 'InventoryStorage__credential', value: 'managedidentity' }
  { name: 'InventoryStorage__clientId', value: identityClientId }
  { name: 'InventoryStorage__blobServiceUri', value: dataBlobEndpoint }
  { name: 'InventoryStorage__queueServiceUri', value: dataQueueEndpoint }
  { name: 'InventoryStorage__tableServiceUri', value: dataTableEndpoint }
]

// Telemetry through Entra ID, and the SendGrid key as a Key Vault reference resolved with the app's identity. If the
// secret is missing, App Service passes the reference text through unresolved; the app then refuses to start.
var platformSettings = [
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'SendGrid__ApiKey', value: sendGridEnabled ? '@Microsoft.KeyVault(SecretUri=${sendGridSecretUri})' : '' }
]

// Each settings key (Section:Key) becomes the app setting Section__Key.
var configurationSettings = map(items(settings), entry => {
  name: replace(entry.key, ':', '__')
  value: string(entry.value)
})

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${baseName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${baseName}'
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    // Flex Consumption rejects several classic siteConfig properties (ftpsState among them); FTP and SCM basic
    // publishing credentials are switched off below instead.
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat(connectionSettings, platformSettings, configurationSettings)
    }
  }
}

resource basicPublishingCredentialsFtp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource basicPublishingCredentialsScm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output name string = app.name
output id string = app.id
output hostName string = app.properties.defaultHostName
