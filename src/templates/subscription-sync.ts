// Subscription Sync: marketplace orders become sync tasks that keep Autotask contract services in step
// (seed 004). The schedule follows `subscriptions.automatic` (the integration's own value, else the
// connector's): every 5 minutes or daily; while it is off the scheduled run does nothing and
// `autotask-bridge subscriptions check` is the way in.
import { subscriptionSettingsFor } from '../subscriptions/settings';
import { workflowIds } from '../workflows/ids';
import { defineTemplate } from './template';

export const subscriptionSyncTemplate = defineTemplate({
  name: 'subscription-sync',
  label: 'Subscription Sync',
  order: 40,
  role: 'marketplace',
  workflowType: 'subscriptionCheckWorkflow',
  workflowId: (connectorId, integrationId) => workflowIds.subscriptionCheck(connectorId, integrationId),
  schedule: (settings, _integrationSettings, integrationId) =>
    subscriptionSettingsFor(settings, integrationId).automatic === 'every5min'
      ? { everyMinutes: 5, catchupWindow: '15 minutes' }
      : { calendars: [{ hour: 6, minute: 0 }], timezone: 'UTC', catchupWindow: '6 hours' },
  access: {
    Companies: ['query'],
    Contracts: ['query'],
    ContractServices: ['query', 'create'],
    ContractServiceUnits: ['query'],
    ContractServiceAdjustments: ['create'],
    // Usage and cancellation fees are posted as contract charges.
    ContractCharges: ['query', 'create'],
    Currencies: ['query'],
    Services: ['query', 'create'],
    BillingCodes: ['query'],
  },
  prerequisites: [],
});
