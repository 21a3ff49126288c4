// Subscription Sync activities: the marketplace side (Check Changes, mappings, task state) and the
// Autotask side (contract choice, plan, exactly-once apply, reconciliation). Thin over the clients,
// the pure planner (src/subscriptions) and the store; each returns ids and small summaries.
import type { ConnectorClientCache } from '../../connector/clients';
import type { ConnectorStore } from '../../connector/store';
import type { Notifier } from '../../notifications';
import type { SubscriptionStore } from '../../subscriptions/store';
import { automationActivities } from './automation';
import { contractActivities } from './contracts';
import { importActivities } from './import';
import { marketplaceActivities } from './marketplace';

export interface SubscriptionActivityDeps {
  clients: ConnectorClientCache;
  connectors: ConnectorStore;
  subscriptions: SubscriptionStore;
  notifier: Notifier;
}

export function createSubscriptionActivities(deps: SubscriptionActivityDeps) {
  return {
    ...marketplaceActivities(deps),
    ...contractActivities(deps),
    ...automationActivities(deps),
    ...importActivities(deps),
  };
}
