// The chaos run's later phases (bench/harness/chaos-run.ts): Subscription Sync of CloudBlue orders
// into Autotask contract services, and the customer export to the webhook receiver. Each has a seed
// step (records written straight into the simulators and the engine's mappings, before the worker
// runs, the same in every run of a seed) and a drive step (the engine does the work through its
// workflows, under whatever faults the simulators inject).
import type { Client } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { subscriptionTasks } from '../../db/schema/subscriptions';
import { simNow } from '../../src/autotask/sim/dates';
import { checkSubscriptions } from '../../src/client/subscriptions';
import { addDays, addMonths, type Market } from '../../src/marketplaces/cloudblue/sim/market';
import type { Sandbox } from '../../src/sim';
import { seededRandom } from '../../src/sim/kit/random';
import { workflowIds } from '../../src/workflows/ids';
import { seedSubscriptionBook } from './subscription-book';
import type { CustomerExportResult } from '../../src/workflows/messages/export';

export const MARKETPLACE = 'cloudblue';
export const EXPORT_TARGET = 'webhook';
/** Subscriptions per customer, each of a different product (so each has a contract service of its own). */
const PER_CUSTOMER = 5;
/** Months 0…3, the last one the current: sales in 0, changes up in 1, changes down or cancellations in 2. */
const MONTHS = 4;
const SETTLED = ['synced', 'error', 'action_required', 'ignored'];

/** The first simulated month (the marketplace simulator starts the day before). */
export const firstSubscriptionMonth = () => addMonths(`${new Date().toISOString().slice(0, 7)}-01`, -(MONTHS - 1));
export const marketplaceStart = () => addDays(firstSubscriptionMonth(), -1);

type Action = { date: string; run: (market: Market, date: string) => void };

export interface SubscriptionPlan {
  scope: { connectorId: string; integrationId: string };
  actions: Action[];
  monthStart: (m: number) => string;
  today: string;
}

/**
 * Customers (Autotask companies with a monthly recurring contract, mapped), one Autotask service per
 * product (mapped), and the marketplace orders of `n` subscriptions over the months, drawn from the seed.
 */
export async function seedSubscriptions(sandbox: Sandbox, database: Database, connectorId: string, n: number, seed: number): Promise<SubscriptionPlan> {
  const today = new Date().toISOString().slice(0, 10);
  const firstMonth = firstSubscriptionMonth();
  const monthStart = (m: number) => addMonths(firstMonth, m);
  const scope = { connectorId, integrationId: MARKETPLACE };
  const { products, customers } = await seedSubscriptionBook(sandbox, database, scope, { customers: Math.ceil(n / PER_CUSTOMER), firstMonth });

  // One order per subscription a month at most: Sales, Change up then down (seats) or monthly usage, Cancellation for a share.
  const rnd = seededRandom(seed * 104_729 + 3);
  const pick = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const dayIn = (m: number) => addDays(monthStart(m), pick(1, 26));
  const actions: Action[] = [];
  for (let j = 0; j < n; j++) {
    const customer = customers[Math.floor(j / PER_CUSTOMER)];
    // Stepping by 2 through the 9 products: 5 different ones per customer, always one usage-billed.
    const product = products[(Math.floor(j / PER_CUSTOMER) + 2 * (j % PER_CUSTOMER)) % products.length];
    const usage = !!product.offer.usage;
    const quantity = usage ? 1 : pick(2, 20);
    const subscription: { id?: string } = {};
    actions.push({ date: dayIn(0), run: (mk, date) => (subscription.id = mk.purchase(customer.id, product.id, quantity, date).subscription.id) });
    // A share cancelled, the last always (so even a handful of subscriptions has a Cancellation).
    const cancel = rnd() < 0.3 || j === n - 1;
    if (!usage) {
      const delta = pick(1, 5);
      actions.push({ date: dayIn(1), run: (mk, date) => mk.changeQuantity(subscription.id!, +delta, date) });
      const less = Math.min(quantity + delta - 1, pick(1, 3));
      if (!cancel) actions.push({ date: dayIn(2), run: (mk, date) => mk.changeQuantity(subscription.id!, -less, date) });
    } else {
      // Usage each month it runs, rated on the 1st of the next (a Billing order); the current month's is not rated yet.
      for (let m = 0; m <= (cancel ? 1 : 2); m++) {
        const amount = pick(10, 500);
        actions.push({ date: addDays(monthStart(m + 1), -1), run: (mk) => mk.recordUsage(subscription.id!, amount, addDays(monthStart(m), 14)) });
      }
    }
    if (cancel) actions.push({ date: dayIn(2), run: (mk, date) => mk.cancel(subscription.id!, date) });
  }
  actions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { scope, actions, monthStart, today };
}

export interface SubscriptionOutcome {
  checks: number;
  /** Marketplace orders by type. */
  orders: Record<string, number>;
  tasks: Record<string, number>;
  notSynced: string[];
  taskIds: string[];
}

/**
 * Month by month: the month's orders happen, the market moves to the next month's 1st (renewals and
 * rated usage), a Check Changes with automatic processing makes tasks, and they settle before the next.
 * `activityTimeoutMs` shortens the tasks' activity timeouts (default 2 minutes), so an activity a
 * killed worker held is tried again soon, as Product Sync's heartbeat timeout does in the chaos run.
 */
export async function driveSubscriptions(
  sandbox: Sandbox, database: Database, client: Client, taskQueue: string, plan: SubscriptionPlan,
  { deadline, activityTimeoutMs, log }: { deadline: number; activityTimeoutMs?: number; log: (line: string) => void }, problems: string[],
): Promise<SubscriptionOutcome> {
  const market = sandbox.cloudblue.market;
  let next = 0;
  let checks = 0;
  for (let m = 0; m < MONTHS; m++) {
    const end = m + 1 < MONTHS ? plan.monthStart(m + 1) : plan.today;
    while (next < plan.actions.length && plan.actions[next].date < end) {
      const a = plan.actions[next++];
      if (a.date > market.today) market.advanceTo(a.date);
      a.run(market, a.date);
    }
    if (end > market.today) market.advanceTo(end);
    const started = Date.now();
    const check = await checkSubscriptions(client, taskQueue, plan.scope, { auto: true, ...(activityTimeoutMs ? { activityTimeoutMs } : {}) });
    const checked = Date.now();
    checks++;
    const settled = await settle(database, plan.scope.connectorId, deadline);
    log(`subscriptions month ${m + 1}/${MONTHS}: ${check.createdCount} task(s), check ${checked - started} ms, settled in ${Date.now() - checked} ms`);
    if (!settled) {
      problems.push(`subscriptions: tasks of month ${m + 1} still open at the deadline`);
      break;
    }
  }
  const rows = await database.db.select({ taskId: subscriptionTasks.taskId, type: subscriptionTasks.type, state: subscriptionTasks.state, reason: subscriptionTasks.reason })
    .from(subscriptionTasks).where(eq(subscriptionTasks.connectorId, plan.scope.connectorId));
  const notSynced = rows.filter((r) => r.state !== 'synced').map((r) => `${r.taskId} ${r.type} ${r.state}: ${r.reason ?? ''}`);
  if (notSynced.length) problems.push(`subscriptions: ${notSynced.length} of ${rows.length} tasks not synced (${notSynced.slice(0, 3).join('; ')})`);
  return { checks, orders: tally(market.orders.map((o) => o.type)), tasks: tally(rows.map((r) => `${r.type} ${r.state}`)), notSynced, taskIds: rows.map((r) => workflowIds.subscriptionTask(plan.scope.connectorId, MARKETPLACE, r.taskId)) };
}

/** Waits until no task of the connector is open; false at the deadline. */
async function settle(database: Database, connectorId: string, deadline: number): Promise<boolean> {
  for (;;) {
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(subscriptionTasks)
      .where(and(eq(subscriptionTasks.connectorId, connectorId), sql`${subscriptionTasks.state} not in (${sql.join(SETTLED.map((s) => sql`${s}`), sql`, `)})`));
    if (Number(row.n) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface ExportPlan {
  companyIds: number[];
  contractIds: number[];
  contactIds: number[];
}

/** `companies` customers (a share inactive or not customers), one or two contacts each, a contract each and a share with a second. */
export function seedExport(sandbox: Sandbox, companies: number, seed: number): ExportPlan {
  const at = sandbox.autotask;
  const rnd = seededRandom(seed * 7_907 + 11);
  const owner = at.records('Resources')[0]?.id ?? null;
  if (!at.store.udfDefinitions('Contracts').some((u) => u.name === 'Vendor')) at.addUdf('Contracts', 'Vendor');
  const companyIds = at.seed('Companies', Array.from({ length: companies }, (_, i) => ({
    companyName: `Export customer ${i}`, companyType: rnd() < 0.9 ? 1 : 2, isActive: rnd() < 0.95, phone: `+1 555 ${i}`, ownerResourceID: owner,
    address1: rnd() < 0.7 ? `${i} Main St` : null, city: 'Springfield', webAddress: rnd() < 0.5 ? `c${i}.example` : null,
  })));
  const contactIds = at.seed('Contacts', companyIds.flatMap((companyID, i) => Array.from({ length: 1 + (rnd() < 0.3 ? 1 : 0) }, (_, j) => ({
    companyID, firstName: `First${j}`, lastName: `Last${i}`, isActive: 1, primaryContact: j === 0, emailAddress: `p${j}@c${i}.example`,
  }))));
  const contractIds = at.seed('Contracts', companyIds.flatMap((companyID, i) => Array.from({ length: 1 + (rnd() < 0.2 ? 1 : 0) }, (_, j) => ({
    companyID, contractName: `Export contract ${i}/${j}`, contractType: 1, status: 1, startDate: '2026-01-01T00:00:00Z', endDate: '2026-12-31T00:00:00Z',
    timeReportingRequiresStartAndStopTimes: 0, estimatedCost: Math.round(rnd() * 100_000) / 100, userDefinedFields: rnd() < 0.3 ? [{ name: 'Vendor', value: 'Microsoft' }] : [],
  }))));
  return { companyIds, contractIds, contactIds };
}

/** What a user's edits do between two passes: 5% of companies, contacts and contracts change (the field and its change date). */
export function changeExported(sandbox: Sandbox, plan: ExportPlan, seed: number): void {
  const at = sandbox.autotask;
  const rnd = seededRandom(seed * 6_151 + 5);
  const some = (ids: number[]) => ids.filter(() => rnd() < 0.05);
  for (const [i, id] of some(plan.companyIds).entries()) Object.assign(at.store.get('Companies', id)!, { phone: `+1 777 ${i}`, lastTrackedModifiedDateTime: simNow() });
  for (const [i, id] of some(plan.contactIds).entries()) Object.assign(at.store.get('Contacts', id)!, { emailAddress: `changed${i}@example.com`, lastModifiedDate: simNow() });
  for (const [i, id] of some(plan.contractIds).entries()) Object.assign(at.store.get('Contracts', id)!, { estimatedCost: 1 + i, lastModifiedDateTime: simNow() });
}

/** One polling pass of the customer export (the first is full: first enable). */
export async function exportPass(client: Client, taskQueue: string, connectorId: string, workflowId: string): Promise<CustomerExportResult> {
  return client.workflow.execute('customerExportWorkflow', { workflowId, taskQueue, args: [{ connectorId, integrationId: EXPORT_TARGET, trigger: 'manual' }] });
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}
