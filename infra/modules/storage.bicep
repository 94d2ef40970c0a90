// The directive's data: uploads, results, tables, and the function app's deployment packages.
// No shared keys, no anonymous access, TLS 1.2+, HTTPS only; soft delete and versioning so no upload is ever lost.
param location string
param storageName string
param tags object
param deploymentContainer string

@description('Containers the app uses. The blob triggers listen on inventories and plans.')
var containers = [ 'inventories', 'plans', 'results', deploymentContainer ]

@description('Tables the app uses (it also creates any that are missing at start-up).')
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

// Queues hold only the blob triggers' poison messages (deliveries come from Event Grid): an alert watches them.
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
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
