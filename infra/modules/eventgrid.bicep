// The Event Grid system topic on the agency-facing account. Flex Consumption supports only the Event Grid blob
// trigger; the subscriptions that feed it need the host's blobs_extension key, which exists only once the code runs,
// so they live in event-subscriptions.bicep, deployed by the second pass (main.bicep's createEventSubscriptions).
// The topic carries the app's identity, with which it writes dead letters to the host's account.
param location string
param baseName string
param tags object
param storageId string
param identityId string

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${baseName}'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    source: storageId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output topicName string = topic.name
output topicId string = topic.id
