// Operators hear about three things: function executions that failed, uploads whose processing failed five times
// (a message in the blob trigger's poison queue), and events Event Grid gave up delivering (dead-lettered).
param location string
param baseName string
param tags object
param operatorEmail string
param insightsId string
param workspaceId string
param topicId string

@description('The blob extension\'s poison queue (HostQueueNames.BlobTriggerPoisonQueue in the WebJobs SDK).')
var poisonQueue = 'webjobs-blobtrigger-poison'

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${baseName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'kdirective'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: operatorEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource functionFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${baseName}-function-failures'
  location: location
  tags: tags
  properties: {
    displayName: 'KDirective: function executions failed'
    description: 'A blob trigger or the reminder timer failed. Check Application Insights failures.'
    severity: 2
    enabled: true
    scopes: [ insightsId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where success == false | summarize failures = count()'
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: { actionGroups: [ operators.id ] }
  }
}

// Storage metrics have no per-queue dimension and the host's own trigger queues see every upload, so this watches
// the poison queue by name: both accounts send queue writes (StorageWrite) to the workspace.
resource poisonBlobs 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${baseName}-poison-blobs'
  location: location
  tags: tags
  properties: {
    displayName: 'KDirective: an upload is in the poison queue'
    description: 'Processing an upload failed five times and the blob extension wrote it to ${poisonQueue}. Check the function failures for that blob.'
    severity: 1
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'StorageQueueLogs | where OperationName == "PutMessage" and Uri contains "/${poisonQueue}/" | summarize poisoned = count()'
          timeAggregation: 'Total'
          metricMeasureColumn: 'poisoned'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: { actionGroups: [ operators.id ] }
  }
}

resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${baseName}-dead-lettered-events'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid gave up delivering an upload event to the function app (webhook refused or unreachable); the event is in the host account\'s dead-letter container and the upload was not processed.'
    severity: 1
    enabled: true
    scopes: [ topicId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [ { actionGroupId: operators.id } ]
  }
}
