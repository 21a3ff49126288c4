// `npm start`'s sandbox: fresh simulators, a connector named `sandbox` connected to them through the
// real activation workflow (Ingram Micro and TD SYNNEX as distributors, CloudBlue as the marketplace),
// and Product Sync enabled for both distributors. The simulators keep no state between starts,
// so the sandbox connector's links and runs are reset each time.
import { and, eq, isNotNull } from 'drizzle-orm';
import { actionLog, orderLinks, productLinks, quarantine, syncRuns } from '../../db/schema';
import { connect, enableTemplate, submitStatus } from '../client/connectors';
import { describeSimulators, startSandbox, type Sandbox } from '../sim';
import { seedSandboxPurchaseOrders } from '../sim/sandbox-orders';
import { SubscriptionStore } from '../subscriptions/store';
import type { Runtime } from './engine';
import {
  describeSandboxSubscriptions, endSandboxSubscriptionWorkflows, mapSandboxSubscriptions, resetSandboxSubscriptions, sandboxMarketOptions, SANDBOX_MARKETPLACE, seedSandboxSubscriptions,
} from './sandbox-subscriptions';

export const SANDBOX_CONNECTOR = 'sandbox';
/** The sandbox's distributors, in the order their Product Sync runs: a product TD SYNNEX also sells is matched by MPN, not duplicated. */
export const SANDBOX_DISTRIBUTORS = ['ingram', 'td-synnex'] as const;
/** The distributor whose products the demo purchase orders buy. */
const ORDER_DISTRIBUTOR = 'ingram';

export interface SandboxConnector {
  sandbox: Sandbox;
  connectorId: string;
  status: string;
  statusMessage?: string;
}

export async function startSandboxConnector(runtime: Runtime, options: { skus: number; log: (line: string) => void }): Promise<SandboxConnector> {
  const today = new Date().toISOString().slice(0, 10);
  const sandbox = await startSandbox({
    // A generous simulated hourly limit: the sandbox is a demo, not a rate-limit exercise.
    autotask: { hourlyLimit: 10_000_000 },
    ingram: { catalog: { skus: options.skus }, rateLimit: false, msPerStep: 2000 },
    tdSynnex: { catalog: { skus: options.skus } },
    // Subscription Sync's demo: a month of CloudBlue activity up to today (./sandbox-subscriptions.ts).
    cloudblue: sandboxMarketOptions(today),
    integrations: [...SANDBOX_DISTRIBUTORS, SANDBOX_MARKETPLACE],
  });
  const db = runtime.database.db;
  for (const table of [productLinks, syncRuns, quarantine, orderLinks]) await db.delete(table).where(eq(table.connectorId, SANDBOX_CONNECTOR));
  await db.delete(actionLog).where(eq(actionLog.connectorId, SANDBOX_CONNECTOR));
  await endSandboxSubscriptionWorkflows(runtime.client, SANDBOX_CONNECTOR);
  await resetSandboxSubscriptions(runtime.database, SANDBOX_CONNECTOR);
  const subscriptions = seedSandboxSubscriptions(sandbox, { today });
  await mapSandboxSubscriptions(new SubscriptionStore(runtime.database), SANDBOX_CONNECTOR, subscriptions);
  options.log(`Sandbox: Autotask simulator ${sandbox.autotask.url}`);
  for (const line of describeSimulators(sandbox)) options.log(`Sandbox: ${line}`);
  options.log(`Sandbox: ${describeSandboxSubscriptions(subscriptions, SANDBOX_CONNECTOR)}`);
  const view = await connect(runtime.client, runtime.config.taskQueue, runtime.ring, sandbox.connectRequest(SANDBOX_CONNECTOR));
  if (view.status === 'connected') for (const d of SANDBOX_DISTRIBUTORS) await enableTemplate(runtime.client, SANDBOX_CONNECTOR, 'product-sync', d);
  options.log(`Sandbox connector "${SANDBOX_CONNECTOR}": ${view.status}${view.statusMessage ? ` — ${view.statusMessage}` : ''}`);
  current = { sandbox, connectorId: SANDBOX_CONNECTOR, status: view.status, statusMessage: view.statusMessage };
  return current;
}

/**
 * After the sandbox's first Product Sync: a few purchase orders for linked products, and the order
 * templates enabled, so Submit Order and Get Order Status run them through the lifecycle.
 */
export async function startSandboxOrders(runtime: Runtime, options: { count: number; log: (line: string) => void }): Promise<number[]> {
  const { sandbox } = current ?? {};
  if (!sandbox) return [];
  const linked = await runtime.database.db
    .select({ id: productLinks.autotaskProductId })
    .from(productLinks)
    .where(and(eq(productLinks.connectorId, SANDBOX_CONNECTOR), eq(productLinks.integrationId, ORDER_DISTRIBUTOR), eq(productLinks.isActive, true), isNotNull(productLinks.autotaskProductId)))
    .limit(20);
  const productIds = linked.map((r) => r.id!);
  if (!productIds.length) return [];
  // The demo POs are marked ready to order ("Submitted", 2 in the simulator's picklist) and the sandbox
  // confirms activation's proposal, as an operator does with `templates enable submit-order --yes`.
  const poIds = seedSandboxPurchaseOrders(sandbox, { count: options.count, productIds, status: 2 });
  const chosen = await submitStatus(runtime.client, SANDBOX_CONNECTOR, { confirm: true, by: 'sandbox' });
  for (const template of ['submit-order', 'get-order-status'] as const) {
    // Product Sync's completion reaches the connector workflow as a signal; give it a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        await enableTemplate(runtime.client, SANDBOX_CONNECTOR, template, ORDER_DISTRIBUTOR);
        break;
      } catch (err) {
        if (attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
  options.log(`Sandbox: purchase orders ${poIds.join(', ')} created; Submit Order (PO status "${chosen.labels.join(', ')}") and Get Order Status enabled`);
  return poIds;
}

let current: SandboxConnector | undefined;
