// The agency-facing account: uploads, results and the app's tables. Agencies reach it only through the data-only
// role in agency-access.bicep; the Functions host's own storage is another account (host-storage.bicep).
// No shared keys, no anonymous access, TLS 1.2+, HTTPS only; soft delete and versioning so no upload is ever lost.
param location string
param storageName string
param tags object

@description('Log Analytics workspace that receives queue writes (the blob trigger\'s poison queue lives in this account).')
param workspaceId string

@description('Containers the app uses. The blob triggers listen on inventories and plans.')
var containers = [ 'inventories', 'plans', 'results' ]

@description('Tables the app uses (it also creates any that are missing, at start and at first use).')
var tables = [ 'Agencies', 'Submissions', 'Findings', 'AgencyStatus', 'Reminders', 'HostDiffs' ]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
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
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 365 }
    containerDeleteRetentionPolicy: { enabled: true, days: 365 }
    changeFeed: { enabled: true, retentionInDays: 365 }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in containers: {
  parent: blobService
  name: name
  properties: { publicAccess: 'None' }
}]

// The blob extension writes poison messages to a queue in the triggering blob's account (webjobs-blobtrigger-poison).
// Queue writes go to Log Analytics so an alert can watch that queue by name (storage metrics have no queue dimension).
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

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for name in tables: {
  parent: tableService
  name: name
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
