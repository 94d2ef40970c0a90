// Blob events reach the function through Event Grid (Flex Consumption supports only the Event Grid blob trigger).
// The webhook needs the host's blobs_extension system key, which exists only after the code is deployed, so the
// subscriptions are created by a second pass (createSubscriptions = true, run by azd's postdeploy hook).
param location string
param baseName string
param tags object
param storageId string
param functionAppName string
param createSubscriptions bool

var triggers = [
  { container: 'inventories', function: 'InventoryUploaded' }
  { container: 'plans', function: 'PlanUploaded' }
]

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${baseName}'
  location: location
  tags: tags
  properties: {
    source: storageId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host's keys have no resource type in Bicep's type index, so they are read with listKeys on its id.
var hostKeysId = '${app.id}/host/default'

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = [for trigger in triggers: if (createSubscriptions) {
  parent: topic
  name: '${trigger.container}-to-${toLower(trigger.function)}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${trigger.function}&code=${listKeys(hostKeysId, '2024-04-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/${trigger.container}/blobs/'
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.api'
          values: [ 'PutBlob', 'PutBlockList', 'CopyBlob', 'FlushWithClose' ]
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}]

output topicName string = topic.name
