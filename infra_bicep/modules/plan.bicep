// The Linux App Service plan both web apps (and their staging slots) share, with CPU-based
// autoscale in prod. Slots need Standard or above: dev runs S1, prod P1v3 across zones.

param name string
param location string
param tags object
@description('Plan SKU name (S1, P1v3, ...).')
param skuName string
@description('Instances at rest; in prod at least 2 so the health check can replace one and zones balance.')
param capacity int
param zoneRedundant bool
@description('Autoscale bounds; maximum 0 turns autoscale off.')
param autoscaleMaximum int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  #checkov:skip=CKV_AZURE_211:the SKU is per environment (S1 in dev, P1v3 in prod): dev only needs slots, not Premium
  #checkov:skip=CKV_AZURE_225:zone redundancy is per environment: on in prod (P1v3, 3 instances), Standard S1 in dev cannot spread across zones
  name: name
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
  }
}

resource autoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = if (autoscaleMaximum > 0) {
  name: 'autoscale-${name}'
  location: location
  tags: tags
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'cpu-and-http-queue'
        capacity: {
          minimum: string(capacity)
          default: string(capacity)
          maximum: string(autoscaleMaximum)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT5M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 70
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'HttpQueueLength'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT5M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 20
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT15M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 30
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT15M'
            }
          }
        ]
      }
    ]
  }
}

output id string = plan.id
output name string = plan.name
