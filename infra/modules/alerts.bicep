// Operators hear about function failures and about uploads that ended in the poison queue.
param location string
param baseName string
param tags object
param operatorEmail string
param insightsId string
param storageName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageName
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

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

resource poisonBlobs 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${baseName}-poison-blobs'
  location: 'global'
  tags: tags
  properties: {
    description: 'Uploads that failed processing five times are in the webjobs-blobtrigger-poison queue (the only queue in this account).'
    severity: 1
    enabled: true
    scopes: [ queues.id ]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'poison-messages'
          metricNamespace: 'Microsoft.Storage/storageAccounts/queueServices'
          metricName: 'QueueMessageCount'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [ { actionGroupId: operators.id } ]
  }
}
