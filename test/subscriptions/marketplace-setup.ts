// What the marketplace-side Subscription Sync tests share: a migrated database, a sandbox with the
// CloudBlue and Pax8 simulators (no distributors), a connected connector with both marketplaces,
// the activities built as src/activities/index.ts builds them, and a notifier that records.
import type { Database } from '../../db';
import { marketplaceActivities } from '../../src/activities/subscriptions/marketplace';
import { ConnectorClientCache } from '../../src/connector/clients';
import type { Notification, Notifier } from '../../src/notifications';
import { startSandbox, type Sandbox } from '../../src/sim';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { saveConnectedConnector } from '../helpers/connector';
import type { TestDatabase } from '../helpers/db';
import { testKeyRing } from '../helpers/temporal';

/** Integration ids as saveConnectedConnector stores them (the kind). */
export const CLOUDBLUE = 'cloudblue';
export const PAX8 = 'pax8';

const DAY_MS = 86_400_000;
/** `yyyy-mm-dd`, `days` from today (the activities read the real clock). */
export const day = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

/** A database and sandbox for a whole file (starting them is the slow part). */
export interface MarketplaceEnv {
  database: Database;
  sandbox: Sandbox;
  /** An active BillingCodes row of the Recurring Contract use type (what a Service needs). */
  recurringCodeId: number;
  stop(): Promise<void>;
}

/** One test's connector (a fresh id: its tasks, cursors and mappings start empty) on empty marketplaces. */
export interface MarketplaceSetup extends MarketplaceEnv {
  connectorId: string;
  subscriptions: SubscriptionStore;
  notes: Notification[];
  activities: ReturnType<typeof marketplaceActivities>;
}

export async function openMarketplaceEnv(driver: TestDatabase): Promise<MarketplaceEnv> {
  const database = await driver.open();
  // The simulated marketplaces start 60 days ago, so orders can be dated within the first-check window and before it.
  const sandbox = await startSandbox({
    integrations: [CLOUDBLUE, PAX8], ingram: false, tdSynnex: false,
    cloudblue: { subscriptions: 0, rateLimit: false, start: day(-60) }, pax8: { rateLimit: false, start: day(-60) },
  });
  const [recurringCodeId] = sandbox.autotask.seed('BillingCodes', [{ name: 'Recurring services', useType: 4, isActive: true }]);
  return {
    database, sandbox, recurringCodeId,
    async stop() {
      const violations = sandbox.takeViolations();
      await sandbox.stop();
      await database.close();
      if (violations.length) throw new Error(`contract violations:\n${violations.join('\n')}`);
    },
  };
}

let connectors = 0;

export async function connect(env: MarketplaceEnv, settings: Record<string, unknown> = {}): Promise<MarketplaceSetup> {
  env.sandbox.cloudblue.reset(day(-60));
  env.sandbox.pax8.reset();
  const connectorId = `subs-${++connectors}`;
  const store = await saveConnectedConnector(env.database, testKeyRing(), env.sandbox, connectorId, settings);
  const subscriptions = new SubscriptionStore(env.database);
  const notes: Notification[] = [];
  const notifier: Notifier = { notify: async (n) => void notes.push(n) };
  const activities = marketplaceActivities({ clients: new ConnectorClientCache(store, false), connectors: store, subscriptions, notifier });
  return { ...env, connectorId, subscriptions, notes, activities };
}

/** Removes an Autotask record as if someone deleted it in Autotask (the API cannot delete companies or services). */
export function deleteRecord(sandbox: Sandbox, entity: string, id: number): void {
  const table = sandbox.autotask.store.table(entity);
  table.rows.delete(id);
  table.ids.splice(table.ids.indexOf(id), 1);
}
