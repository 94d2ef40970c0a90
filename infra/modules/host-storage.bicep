// The Functions host's own account (AzureWebJobsStorage): host keys, the deployment package, the blob trigger's
// internal queues and Event Grid dead letters. Only the app's identity has a role here; no agency role touches it,
// so no agency can delete the package the app starts from or the keys the Event Grid webhook authenticates with.
param location string
param storageName string
param tags object
param deploymentContainer string
param deadLetterContainer string

@description('Log Analytics workspace that receives queue writes (the poison queue falls back to this account).')
param workspaceId string

@description('Days a replaced deployment package (a previous blob version) is kept before the lifecycle rule deletes it.')
param packageVersionRetentionDays int = 30

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in [ deploymentContainer, deadLetterContainer ]: {
  parent: blobService
  name: name
  properties: { publicAccess: 'None' }
}]

// Every deployment overwrites the package; versioning keeps the old one, and this rule expires it.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-replaced-deployment-packages'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${deploymentContainer}/' ]
            }
            actions: {
              version: { delete: { daysAfterCreationGreaterThan: packageVersionRetentionDays } }
            }
          }
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queueWrites 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'queue-writes'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [ { category: 'StorageWrite', enabled: true } ]
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
