// Alerts to the action group: 5xx on each web app, any message moved to a -poison queue,
// database CPU and storage (Azure SQL and the PostgreSQL warehouse), failed Function runs.

param prefix string
param location string
param tags object
param actionGroupId string
param webAppIds array
param sqlDatabaseId string
param postgresServerId string
param insightsId string
param functionAppName string
@description('5xx responses per app in 5 minutes that raise the alert.')
param http5xxThreshold int

var metricAlerts = [
  {
    name: 'sql-cpu'
    scope: sqlDatabaseId
    namespace: 'Microsoft.Sql/servers/databases'
    metric: 'cpu_percent'
    threshold: 80
    severity: 2
  }
  {
    name: 'sql-storage'
    scope: sqlDatabaseId
    namespace: 'Microsoft.Sql/servers/databases'
    metric: 'storage_percent'
    threshold: 85
    severity: 2
  }
  {
    name: 'warehouse-cpu'
    scope: postgresServerId
    namespace: 'Microsoft.DBforPostgreSQL/flexibleServers'
    metric: 'cpu_percent'
    threshold: 80
    severity: 3
  }
  {
    name: 'warehouse-storage'
    scope: postgresServerId
    namespace: 'Microsoft.DBforPostgreSQL/flexibleServers'
    metric: 'storage_percent'
    threshold: 85
    severity: 2
  }
]

resource http5xx 'Microsoft.Insights/metricAlerts@2018-03-01' = [for (appId, i) in webAppIds: {
  name: 'alert-${prefix}-http5xx-${i}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Server errors (5xx) on ${last(split(appId, '/'))}'
    severity: 1
    enabled: true
    scopes: [
      appId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'http5xx'
          metricNamespace: 'Microsoft.Web/sites'
          metricName: 'Http5xx'
          operator: 'GreaterThan'
          threshold: http5xxThreshold
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}]

resource databaseAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for alert in metricAlerts: {
  name: 'alert-${prefix}-${alert.name}'
  location: 'global'
  tags: tags
  properties: {
    description: '${alert.metric} above ${alert.threshold}%'
    severity: alert.severity
    enabled: true
    scopes: [
      alert.scope
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: alert.metric
          metricNamespace: alert.namespace
          metricName: alert.metric
          operator: 'GreaterThan'
          threshold: alert.threshold
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroupId
      }
    ]
  }
}]

// Storage metrics have no per-queue dimension, so a poisoned message is caught where the
// Functions host says it moved one: "... MaxDequeueCount ... Moving message to queue 'x-poison'".
resource poisonMessages 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'alert-${prefix}-poison-queue'
  location: location
  tags: tags
  properties: {
    description: 'A queue message failed 5 times and is now in a -poison queue (re-drive it from the backoffice)'
    severity: 2
    enabled: true
    scopes: [
      insightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "-poison" and message has "Moving message"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}

resource functionFailures 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'alert-${prefix}-function-failures'
  location: location
  tags: tags
  properties: {
    description: 'Function executions failed (a task raised, a timer failed)'
    severity: 2
    enabled: true
    scopes: [
      insightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where cloud_RoleName =~ "${functionAppName}" and success == false'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 2
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroupId
      ]
    }
  }
}
