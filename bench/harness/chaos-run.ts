// One run of the chaos scenario (issue 11) on a fresh sandbox: Product Sync of the catalog, then
// purchase orders through the Submit Order scan until the distributor has shipped them, then
// Subscription Sync of CloudBlue orders and the customer export (./chaos-phases.ts) — with or
// without every simulator injecting faults, SIGKILLs of the worker, and the simulators' real
// limits. Shared by `npm run bench -- chaos`, test/chaos/chaos.test.ts and real-limits.test.ts.
// The harness plays the distributor's warehouse: it ships every order once it exists, so the final
// state does not depend on when a poll happened to look.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { orderLinks } from '../../db/schema/orders';
import { memoryLimiter, type LimitSettings } from '../../src/autotask/limits';
import { connectInput } from '../../src/client/connectors';
import { createDataConverter } from '../../src/client/connection';
import type { AutotaskTransportOptions } from '../../src/connector/clients';
import { mergeSettings } from '../../src/connector/settings';
import { ConnectorStore } from '../../src/connector/store';
import type { KeyRing } from '../../src/crypto/keys';
import { requestObserver } from '../../src/http/observe';
import { startSandbox, type Sandbox } from '../../src/sim';
import { duplicates, injectChaos, injectedFaults, sandboxState, type Duplicates, type SandboxState } from '../../src/sim/chaos';
import { seededRandom } from '../../src/sim/kit/random';
import { seedSandboxPurchaseOrders } from '../../src/sim/sandbox-orders';
import { submitOrderTemplate } from '../../src/templates/submit-order';
import { workflowIds } from '../../src/workflows/ids';
import type { CustomerExportResult } from '../../src/workflows/messages/export';
import type { ProductSyncResult } from '../../src/workflows/product-sync';
import { createWorker } from '../../src/worker';
import {
  changeExported, driveSubscriptions, EXPORT_TARGET, exportPass, MARKETPLACE, marketplaceStart, seedExport, seedSubscriptions, type SubscriptionOutcome,
} from './chaos-phases';

/** The simulators' real limits, on a clock that makes Autotask's hour last `hourMs`. */
export interface RealLimits {
  /** Autotask requests per (scaled) hour for the database. */
  hourlyLimit: number;
  /** Real milliseconds one Autotask hour lasts. */
  hourMs: number;
  /** Concurrent requests per endpoint (Autotask: 3). */
  threadLimit: number;
  /** Autotask's processing time per request, held inside a thread (so threads overlap). */
  autotaskLatencyMs: number;
  /** Ingram GETs per endpoint per minute (60, documented). */
  ingramGetsPerMinute: number;
}

/**
 * Autotask's hourly limit scaled to 1,000 requests in 20 s (the engine's default half share is 25 a
 * second, less than it manages unpaced), 3 threads per endpoint; Ingram's 60 GETs a minute per
 * endpoint as documented.
 */
export const REAL_LIMITS: RealLimits = { hourlyLimit: 1_000, hourMs: 20_000, threadLimit: 3, autotaskLatencyMs: 20, ingramGetsPerMinute: 60 };

export type WorkerMode =
  | { kind: 'in-process'; connection: NativeConnection }
  /** A worker per child process (SIGKILL needs one); the database must be PostgreSQL. */
  | { kind: 'child'; address: string; keySpec: string; databaseUrl: string; bundlePath: string };

export interface ChaosRunOptions {
  /** Connector id, task queue and workflow ids derive from it: unique per run. */
  name: string;
  skus: number;
  pos: number;
  /** CloudBlue subscriptions through Sales, Change, Billing and Cancellation orders (default 0: no subscriptions phase). */
  subscriptions?: number;
  /** Companies with contracts for the customer export, a full then an incremental pass (default 0: no export phase). */
  companies?: number;
  seed: number;
  faults: boolean;
  /** Off, or the simulators' real limits (see RealLimits). */
  limits: false | RealLimits;
  /** Worker SIGKILLs at random moments (child workers only). */
  kills: number;
  client: Client;
  database: Database;
  ring: KeyRing;
  worker: WorkerMode;
  /** Per phase (default 10 minutes). */
  deadlineMs?: number;
  /** The engine's request timeout for both APIs (default 3 s: the simulators answer in milliseconds). */
  timeoutMs?: number;
  /** Processing time per request in every simulator (default 0; real limits: their Autotask latency). */
  latencyMs?: number;
  /** The distributor's catalog page size (default: the integration's default, 100). */
  catalogPageSize?: number;
  checkContract?: boolean;
  log?: (line: string) => void;
}

export interface ChaosRunReport {
  name: string;
  completed: boolean;
  /** Why not completed, and anything else that went wrong. */
  problems: string[];
  productSync: { status: string; counters: ProductSyncResult['counters'] | null; elapsedMs: number };
  orders: { states: Record<string, number>; elapsedMs: number; errors: string[] };
  subscriptions: (Omit<SubscriptionOutcome, 'taskIds'> & { elapsedMs: number }) | null;
  export: { full: CustomerExportResult | null; incremental: CustomerExportResult | null; documents: number; repeatedDeliveries: number; elapsedMs: number } | null;
  elapsedMs: number;
  duplicates: Duplicates;
  /** Retries the engine's clients made inside a request, by `vendor kind`. */
  retries: Record<string, number>;
  /** Activity attempts after the first, by activity type (work redone above the request). */
  activityRetries: Record<string, number>;
  /** Why activity attempts failed or timed out, by `type: reason` (what escaped the request-level retries). */
  activityFailures: Record<string, number>;
  /** Answers the engine got, by `vendor status` (non-2xx only) . */
  responses: Record<string, number>;
  injected: Record<string, Record<string, number>>;
  requests: { autotask: number; ingram: number; cloudblue: number; webhook: number; perRecord: number };
  autotaskLimits: { threadRejections: number; hourlyRejections: number; peakConcurrency: number; peakUsage: number };
  kills: number;
  contractViolations: string[];
  state: SandboxState;
}

/** How often a worker process prints its tally (`TALLY {json}`). */
export const TALLY_EVERY_MS = 500;

/**
 * Retries and non-2xx answers the engine's clients report (src/http/observe.ts), and every Autotask
 * request's time from its thread permit to its answer (how long it held one of Autotask's threads).
 */
export class RequestTally {
  retries: Record<string, number> = {};
  responses: Record<string, number> = {};
  autotask = { requests: 0, ms: 0 };

  listen(): () => void {
    return requestObserver.subscribe({
      retry: (e) => bump(this.retries, `${e.vendor} ${e.kind}`),
      request: (e) => {
        if (e.status === 'error' || e.status >= 300) bump(this.responses, `${e.vendor} ${e.status}`);
        if (e.vendor === 'autotask') {
          this.autotask.requests++;
          this.autotask.ms += e.ms;
        }
      },
    });
  }

  add(other: { retries: Record<string, number>; responses: Record<string, number> }): void {
    for (const [k, v] of Object.entries(other.retries)) bump(this.retries, k, v);
    for (const [k, v] of Object.entries(other.responses)) bump(this.responses, k, v);
  }
}

const bump = (m: Record<string, number>, k: string, n = 1) => void (m[k] = (m[k] ?? 0) + n);
const SHIPPED = ['shipped', 'delivered', 'closed'];
const STUCK = ['error', 'rejected', 'cancelled'];

export async function runChaos(o: ChaosRunOptions): Promise<ChaosRunReport> {
  const log = o.log ?? (() => undefined);
  const deadlineMs = o.deadlineMs ?? 600_000;
  const timeoutMs = o.timeoutMs ?? 3_000;
  const random = seededRandom(o.seed * 7919 + 17);
  const subscriptionCount = o.subscriptions ?? 0;
  const companyCount = o.companies ?? 0;
  const problems: string[] = [];
  const limits = o.limits;
  const sandbox = await startSandbox({
    autotask: limits
      ? { hourlyLimit: limits.hourlyLimit, clockScale: 3_600_000 / limits.hourMs, threadLimit: limits.threadLimit, latencyMs: o.latencyMs ?? limits.autotaskLatencyMs, checkContract: o.checkContract ?? true }
      : { hourlyLimit: 1_000_000_000, latencyMs: o.latencyMs ?? 0, checkContract: o.checkContract ?? true },
    ingram: {
      catalog: { skus: o.skus, seed: o.seed },
      rateLimit: limits ? { limit: limits.ingramGetsPerMinute, windowMs: 60_000 } : false,
      msPerStep: 0,
      checkContract: o.checkContract ?? true,
    },
    cloudblue: { subscriptions: 0, start: marketplaceStart(), rateLimit: limits ? undefined : false, checkContract: o.checkContract ?? true },
  });
  const peak = { usage: 0 };
  const sampler = setInterval(() => (peak.usage = Math.max(peak.usage, sandbox.autotask.limits.usage())), 100);
  const tally = new RequestTally();
  const connectorId = o.name;
  const taskQueue = `chaos-${o.name}`;
  const limiterSettings: Partial<LimitSettings> = limits ? { hourMs: limits.hourMs } : {};
  const transport: AutotaskTransportOptions = { timeoutMs };
  const workers = new WorkerPool(o, taskQueue, limiterSettings, transport, tally, log);
  const loops: Array<{ stop(): Promise<void> }> = [];
  try {
    const phases = [...(subscriptionCount ? [MARKETPLACE] : []), ...(companyCount ? [EXPORT_TARGET] : [])];
    await saveConnector(o.database, o.ring, sandbox, connectorId, { timeoutMs, pos: o.pos, catalogPageSize: o.catalogPageSize, phases });
    const subscriptionPlan = subscriptionCount ? await seedSubscriptions(sandbox, o.database, connectorId, subscriptionCount, o.seed) : null;
    const exportPlan = companyCount ? seedExport(sandbox, companyCount, o.seed) : null;
    if (o.faults) injectChaos(sandbox, o.seed);
    sandbox.ingram.server.faults.latencyMs = o.latencyMs ?? 0;
    sandbox.cloudblue.server.faults.latencyMs = o.latencyMs ?? 0;
    sandbox.webhook.sim.faults.latencyMs = o.latencyMs ?? 0;
    const killAt = killPlan(o, random);
    let kills = 0;
    loops.push(every(50, async () => {
      const next = killAt[kills];
      if (!next || !workers.child) return;
      const progress = {
        catalog: () => sandbox.autotask.records('Products').length,
        orders: () => sandbox.ingram.orders.list().length,
        subscriptions: () => sandbox.autotask.records('ContractServiceAdjustments').length + sandbox.autotask.records('ContractCharges').length,
        export: () => sandbox.webhook.documents().length,
      }[next.phase]();
      if (progress < next.after) return;
      kills++;
      log(`SIGKILL #${kills} (${next.phase}, at ${progress})`);
      await workers.restart();
    }));
    // The warehouse: every order the distributor has is shipped in full.
    loops.push(every(100, async () => {
      for (const order of sandbox.ingram.orders.list()) {
        if (!order.cancelled && order.lines.some((l) => l.shipments.reduce((n, s) => n + s.quantity, 0) < l.quantity)) sandbox.ingram.orders.advance(order.ingramOrderNumber, 'ship');
      }
    }));

    const result = await workers.run(async () => {
      const started = Date.now();
      const sync = await withDeadline(
        o.client.workflow.execute('productSyncWorkflow', {
          workflowId: `chaos-sync-${o.name}`, taskQueue, args: [{ connectorId }],
        }) as Promise<ProductSyncResult>,
        deadlineMs, 'Product Sync',
      ).catch((err: Error) => {
        problems.push(`Product Sync: ${err.message}`);
        return null;
      });
      const syncMs = Date.now() - started;
      log(`Product Sync ${sync?.status ?? 'failed'} in ${syncMs} ms`);
      if (sync?.status !== 'completed') problems.push(`Product Sync ended ${sync?.status ?? 'with an error'}${sync?.message ? `: ${sync.message}` : ''}`);

      const ordersStarted = Date.now();
      const poIds = seedOrders(sandbox, o.pos, problems);
      if (poIds.length) {
        await withDeadline(
          o.client.workflow.execute('orderScanWorkflow', { workflowId: `${submitOrderTemplate.workflowId(connectorId, 'ingram')}/chaos`, taskQueue, args: [{ connectorId, integrationId: 'ingram', trigger: 'manual' }] }),
          deadlineMs, 'Submit Order scan',
        ).catch((err: Error) => problems.push(`Submit Order scan: ${err.message}`));
      }
      const states = await waitForOrders(o.database, connectorId, poIds.length, ordersStarted + deadlineMs);
      const ordersMs = Date.now() - ordersStarted;
      log(`orders ${JSON.stringify(states)} in ${ordersMs} ms`);

      const subscriptionsStarted = Date.now();
      const subscriptions = subscriptionPlan
        ? await withDeadline(driveSubscriptions(sandbox, o.database, o.client, taskQueue, subscriptionPlan, { deadline: subscriptionsStarted + deadlineMs, log }, problems), deadlineMs + 60_000, 'Subscription Sync')
          .catch((err: Error) => void problems.push(`Subscription Sync: ${err.message}`))
        : undefined;
      const subscriptionsMs = Date.now() - subscriptionsStarted;
      if (subscriptions) log(`subscriptions ${JSON.stringify(subscriptions.tasks)} in ${subscriptionsMs} ms`);

      const exportStarted = Date.now();
      const passes: { full: CustomerExportResult | null; incremental: CustomerExportResult | null } = { full: null, incremental: null };
      if (exportPlan) {
        const pass = (kind: 'full' | 'incremental') => withDeadline(exportPass(o.client, taskQueue, connectorId, `chaos-export-${kind}-${o.name}`), deadlineMs, `export (${kind} pass)`)
          .catch((err: Error) => void problems.push(`export (${kind} pass): ${err.message}${err.cause ? ` ← ${(err.cause as Error).message}` : ''}`));
        passes.full = (await pass('full')) ?? null;
        changeExported(sandbox, exportPlan, o.seed);
        passes.incremental = (await pass('incremental')) ?? null;
        for (const [kind, r] of Object.entries(passes)) if (r && (r.customers.dead || r.contracts.dead)) problems.push(`export (${kind} pass): ${r.customers.dead + r.contracts.dead} documents dead-lettered`);
        log(`export ${passes.full?.summary ?? 'failed'} | ${passes.incremental?.summary ?? 'failed'} in ${Date.now() - exportStarted} ms`);
      }
      const exportMs = Date.now() - exportStarted;
      return { sync, syncMs, poIds, states, ordersMs, subscriptions, subscriptionsMs, passes, exportMs, elapsedMs: Date.now() - started };
    });
    for (const loop of loops.splice(0)) await loop.stop();

    const shipped = SHIPPED.reduce((n, s) => n + (result.states[s] ?? 0), 0);
    if (shipped !== result.poIds.length) problems.push(`${shipped} of ${result.poIds.length} orders shipped (${JSON.stringify(result.states)})`);
    if (kills < o.kills) problems.push(`only ${kills} of ${o.kills} SIGKILLs happened`);
    const errors = await orderErrors(o.database, connectorId);
    const { retries: activityRetries, failures: activityFailures } = await activityAttempts(o.client, [
      `chaos-sync-${o.name}`, ...result.poIds.map((id) => workflowIds.order(connectorId, id)), ...(result.subscriptions?.taskIds ?? []),
      ...(exportPlan ? [`chaos-export-full-${o.name}`, `chaos-export-incremental-${o.name}`] : []),
    ]);
    const dup = duplicates(sandbox);
    const autotaskRequests = sandbox.autotask.sim.totalRequests();
    const ingramRequests = sandbox.ingram.server.totalRequests();
    const cloudblueRequests = sandbox.cloudblue.server.totalRequests();
    const webhookRequests = sandbox.webhook.sim.totalRequests();
    const records = o.skus + o.pos + subscriptionCount + companyCount;
    const { taskIds: _taskIds, ...subscriptionReport } = result.subscriptions ?? { taskIds: [] };
    const limitSnapshot = sandbox.autotask.limits.snapshot();
    return {
      name: o.name,
      completed: problems.length === 0,
      problems,
      productSync: { status: result.sync?.status ?? 'failed', counters: result.sync?.counters ?? null, elapsedMs: result.syncMs },
      orders: { states: result.states, elapsedMs: result.ordersMs, errors },
      subscriptions: result.subscriptions ? { ...(subscriptionReport as Omit<SubscriptionOutcome, 'taskIds'>), elapsedMs: result.subscriptionsMs } : null,
      export: exportPlan ? { ...result.passes, documents: sandbox.webhook.documents().length, repeatedDeliveries: sandbox.webhook.duplicates(), elapsedMs: result.exportMs } : null,
      elapsedMs: result.elapsedMs,
      duplicates: dup,
      retries: sortKeys(tally.retries),
      activityRetries,
      activityFailures,
      responses: sortKeys(tally.responses),
      injected: injectedFaults(sandbox),
      requests: {
        autotask: autotaskRequests, ingram: ingramRequests, cloudblue: cloudblueRequests, webhook: webhookRequests,
        perRecord: round((autotaskRequests + ingramRequests + cloudblueRequests + webhookRequests) / Math.max(1, records)),
      },
      autotaskLimits: {
        threadRejections: limitSnapshot.threadRejections,
        hourlyRejections: limitSnapshot.hourlyRejections,
        peakConcurrency: Math.max(0, ...Object.values(limitSnapshot.peakConcurrency)),
        peakUsage: peak.usage,
      },
      kills,
      contractViolations: sandbox.takeViolations(),
      state: sandboxState(sandbox),
    };
  } finally {
    clearInterval(sampler);
    for (const loop of loops) await loop.stop();
    await workers.stop();
    await sandbox.stop();
  }
}

/** What `connect` and activation would have stored: a connected connector on this sandbox. */
async function saveConnector(database: Database, ring: KeyRing, sandbox: Sandbox, connectorId: string, { timeoutMs, pos, catalogPageSize, phases }: { timeoutMs: number; pos: number; catalogPageSize?: number; phases: string[] }): Promise<void> {
  const store = new ConnectorStore(database, ring);
  const request = sandbox.connectRequest(connectorId, {}, ['ingram', ...phases]);
  request.integrations = request.integrations?.map((i) => ({ ...i, settings: { ...i.settings, timeoutMs, ...(catalogPageSize ? { pageSize: catalogPageSize } : {}) } }));
  await store.save({ connectorId, ...connectInput(ring, request) });
  const saved = await store.get(connectorId);
  await store.updateSettings(connectorId, mergeSettings(saved.settings, {
    productSync: { billingCodeId: sandbox.billingCodeId },
    orders: {
      submitStatus: { values: [1], labels: ['New'], confirmed: true, confirmedBy: 'chaos harness' },
      pollSeconds: { initial: 0.5, max: 2, backoff: 2 },
      trackUntil: 'shipped',
      maxStartsPerScan: Math.max(1000, pos),
    },
    // The first Check Changes reaches back over the simulated months (./chaos-phases.ts).
    subscriptions: { firstCheckDays: 200 },
  }));
  await store.setVendorCompany(connectorId, 'ingram', sandbox.vendorCompanyId, 'Ingram Micro');
  for (const kind of ['ingram', ...phases]) await store.setIntegrationStatus(connectorId, kind, 'connected', undefined, []);
  const udfs = (await store.get(connectorId)).settings.productSync.udfs;
  const existing = new Set(sandbox.autotask.store.udfDefinitions('Products').map((u) => u.name));
  for (const name of Object.values(udfs)) if (!existing.has(name)) sandbox.autotask.addUdf('Products', name);
  await store.setStatus(connectorId, 'connected', undefined, []);
}

/** POs for orderable SKUs (stocked, priced, physical) that Product Sync created, the same in every run. */
function seedOrders(sandbox: Sandbox, pos: number, problems: string[]): number[] {
  if (!pos) return [];
  const catalog = sandbox.ingram.catalog;
  const products = new Map(sandbox.autotask.records('Products').map((p) => [String(p.sku), p.id]));
  const productIds: number[] = [];
  for (let i = 0; productIds.length < pos * 2 && i < catalog.settings.skus; i++) {
    const p = catalog.product(i);
    if (!catalog.isPresent(i) || p.bad || p.discontinued || p.digital || !(p.cost > 0) || !p.warehouses.some((w) => w.quantity > 0)) continue;
    const id = products.get(p.sku);
    if (id === undefined) problems.push(`no Autotask product for orderable SKU ${p.sku}`);
    else productIds.push(id);
  }
  return productIds.length ? seedSandboxPurchaseOrders(sandbox, { count: pos, productIds }) : [];
}

/** Waits until every PO's order is shipped or stuck (error, rejected, cancelled); returns counts per state. */
async function waitForOrders(database: Database, connectorId: string, count: number, deadline: number): Promise<Record<string, number>> {
  let states: Record<string, number> = {};
  while (count > 0) {
    const rows = await database.db.select({ state: orderLinks.state, n: sql<number>`count(*)::int` }).from(orderLinks).where(eq(orderLinks.connectorId, connectorId)).groupBy(orderLinks.state);
    states = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    const settled = [...SHIPPED, ...STUCK].reduce((n, s) => n + (states[s] ?? 0), 0);
    if (settled >= count || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return states;
}

async function orderErrors(database: Database, connectorId: string): Promise<string[]> {
  const rows = await database.db.select({ po: orderLinks.purchaseOrderId, state: orderLinks.state, error: orderLinks.lastError })
    .from(orderLinks).where(and(eq(orderLinks.connectorId, connectorId), sql`${orderLinks.lastError} is not null`));
  return rows.map((r) => `PO ${r.po} (${r.state}): ${r.error}`);
}

/** Activity attempts after the first in these workflows' histories, by type, and why attempts failed. */
async function activityAttempts(client: Client, workflowIdList: string[]): Promise<{ retries: Record<string, number>; failures: Record<string, number> }> {
  const retries: Record<string, number> = {};
  const failures: Record<string, number> = {};
  for (const id of workflowIdList) {
    const history = await client.workflow.getHandle(id).fetchHistory().catch(() => null);
    const types = new Map<string, string>();
    for (const e of history?.events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '?');
      const started = e.activityTaskStartedEventAttributes;
      // Only an activity's last attempt is in the history: its number, and why the one before failed.
      if (started && (started.attempt ?? 1) > 1) bump(retries, types.get(String(started.scheduledEventId)) ?? '?', (started.attempt ?? 1) - 1);
      const failure = started?.lastFailure;
      if (started && failure) {
        const reason = failure.timeoutFailureInfo ? `timed out (${failure.timeoutFailureInfo.timeoutType ?? '?'})` : (failure.cause?.message ?? failure.message ?? '?').replace(/\d+/g, '#').slice(0, 160);
        bump(failures, `${types.get(String(started.scheduledEventId)) ?? '?'}: ${reason}`);
      }
      // An attempt that failed for good (not retryable, or retries spent).
      const final = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
      if (final?.failure) bump(failures, `${types.get(String(final.scheduledEventId)) ?? '?'} (final): ${(final.failure.cause?.message ?? final.failure.message ?? '?').replace(/\d+/g, '#').slice(0, 160)}`);
    }
  }
  return { retries: sortKeys(retries), failures: sortKeys(failures) };
}

const PHASES = ['catalog', 'orders', 'subscriptions', 'export'] as const;
interface KillPoint { phase: (typeof PHASES)[number]; after: number }

/**
 * Where the SIGKILLs land, drawn from the seed: products created, distributor orders placed, contract
 * adjustments and charges written, documents delivered. One kill per phase that runs (in the order
 * catalog, orders, subscriptions, export), any beyond in the catalog.
 */
function killPlan(o: ChaosRunOptions, random: () => number): KillPoint[] {
  const at = (n: number) => 1 + Math.floor(random() * Math.max(1, n - 1));
  const runs = { catalog: true, orders: o.pos > 1, subscriptions: (o.subscriptions ?? 0) > 0, export: (o.companies ?? 0) > 1 };
  const chosen: Array<KillPoint['phase']> = [];
  for (const phase of PHASES) if (runs[phase] && chosen.length < o.kills) chosen.push(phase);
  while (chosen.length < o.kills) chosen.push('catalog');
  const plan = chosen.map((phase): KillPoint => ({
    phase,
    after: phase === 'catalog' ? Math.round(o.skus * 0.7 * (0.1 + random() * 0.8))
      : phase === 'orders' ? at(o.pos)
        // About two writes per subscription; the export's documents: a customer and a contract or so per company.
        : phase === 'subscriptions' ? at(o.subscriptions ?? 0) : at(o.companies ?? 0),
  }));
  return plan.sort((a, b) => (a.phase === b.phase ? a.after - b.after : PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase)));
}

/** The worker: in this process, or one child process at a time (killed and replaced on demand). */
class WorkerPool {
  child?: ChildProcess;
  private stopped = false;
  private restarting = Promise.resolve();
  private readonly childTallies: Array<{ retries: Record<string, number>; responses: Record<string, number> }> = [];

  constructor(
    private readonly o: ChaosRunOptions,
    private readonly taskQueue: string,
    private readonly limiter: Partial<LimitSettings>,
    private readonly transport: AutotaskTransportOptions,
    private readonly tally: RequestTally,
    private readonly log: (line: string) => void,
  ) {}

  async run<T>(body: () => Promise<T>): Promise<T> {
    const mode = this.o.worker;
    if (mode.kind === 'in-process') {
      const stop = this.tally.listen();
      try {
        const worker = await createWorker({
          connection: mode.connection,
          namespace: 'default',
          taskQueue: this.taskQueue,
          dataConverter: createDataConverter(this.o.ring),
          deps: { database: this.o.database, ring: this.o.ring, temporal: this.o.client, taskQueue: this.taskQueue, limiter: memoryLimiter(this.limiter), autotask: this.transport },
        });
        return await worker.runUntil(body());
      } finally {
        stop();
      }
    }
    await this.spawn();
    try {
      return await body();
    } finally {
      for (const t of this.childTallies) this.tally.add(t);
    }
  }

  async restart(): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      const child = this.child;
      this.child = undefined;
      if (child) await kill(child);
      if (!this.stopped) await this.spawn();
    }).catch((err: Error) => this.log(`worker restart failed: ${err.message}`));
    return this.restarting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.restarting;
    const child = this.child;
    this.child = undefined;
    if (child) await kill(child);
  }

  private async spawn(): Promise<void> {
    const mode = this.o.worker;
    if (mode.kind !== 'child') return;
    if (this.o.database.driver !== 'postgres') throw new Error('worker processes need PostgreSQL (embedded PGlite lives in one process)');
    // node itself (not a wrapper script), so SIGKILL hits the process that runs the worker.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'chaos-worker.ts')], {
      env: {
        ...process.env,
        CHAOS_TEMPORAL_ADDRESS: mode.address,
        CHAOS_TASK_QUEUE: this.taskQueue,
        CHAOS_DATABASE_URL: mode.databaseUrl,
        CHAOS_DATABASE_SCHEMA: this.o.database.schemaName,
        CHAOS_KEY_SPEC: mode.keySpec,
        CHAOS_BUNDLE: mode.bundlePath,
        CHAOS_LIMITER: JSON.stringify(this.limiter),
        CHAOS_AUTOTASK: JSON.stringify(this.transport),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tally = { retries: {}, responses: {} };
    this.childTallies.push(tally);
    await new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line === 'READY') resolve();
        else if (line.startsWith('TALLY ')) Object.assign(tally, JSON.parse(line.slice(6)));
      });
      child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    child.removeAllListeners('exit');
    this.child = child;
    // A worker that dies on its own is replaced too (the run would otherwise wait for its deadline).
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.log(`worker ${child.pid} exited (${code ?? signal}); starting another`);
      void this.restart();
    });
    this.log(`worker ${child.pid} ready`);
  }
}

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** Runs `fn` every `ms` (never overlapping) until stopped. */
function every(ms: number, fn: () => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await fn().catch((err: Error) => console.error(`chaos harness: ${err.message}`));
      await new Promise((r) => setTimeout(r, ms));
    }
  })();
  return { stop: async () => { stopped = true; await loop; } };
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}


const round = (x: number) => Math.round(x * 100) / 100;
const sortKeys = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
