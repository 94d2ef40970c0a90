// Second pass only (main.bicep deploys this module when createEventSubscriptions is true, after the code runs): the
// webhook URL carries the host's blobs_extension system key, read here with listKeys. Because this whole module is
// a conditional deployment, ARM never evaluates that listKeys on the first pass, when the key does not exist yet.
// Events that cannot be delivered are dead-lettered to the host's account, written with the app's identity.
param topicName string
param functionAppName string
param identityId string
param deadLetterStorageId string
param deadLetterContainer string

var triggers = [
  { container: 'inventories', function: 'InventoryUploaded' }
  { container: 'plans', function: 'PlanUploaded' }
]

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: topicName
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host's keys have no resource type in Bicep's type index, so they are read with listKeys on its id.
var hostKeysId = '${app.id}/host/default'

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = [for trigger in triggers: {
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
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identityId
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageId
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}]
