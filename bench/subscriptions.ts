// `npm run bench -- subscriptions --subscriptions 1000 [--seed 7] [--no-check-contract] [--latency-ms 0] [--history-sample 300]`:
// Subscription Sync over a simulated year. N subscriptions on the CloudBlue simulator go through sales, a change up,
// a change down, monthly usage billing (usage-billed products, which also renew monthly: CloudBlue renewal orders are
// billing tasks too) and cancellation (a share); after each simulated
// month Check Changes runs (the engine: check workflow → one task workflow per order, automatic processing) and
// the month's tasks settle before the next. Then reconciliation of the last month must find no drift, and every
// write intent must have reached the Autotask simulator exactly once. Own Temporal dev server, in-memory PGlite.
// Progress goes to stderr (per simulated month, and every PROGRESS_MS while a month settles); stdout gets the JSON only.
// PGlite runs no autovacuum, so nothing ANALYZEs its tables: without statistics the planner answers a task's
// primary-key lookup by scanning every task of the connector (measured: 5–13 ms instead of 0.04 ms at 3,000
// tasks, and a subscription's queue 8–14 s with an IN subquery). A PostgreSQL deployment's autovacuum
// analyzes as tables grow; the bench does the same (`analyze`) after each check and every PROGRESS_MS.
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { openDatabase } from '../db';
import { migrateDatabase } from '../db/migrate';
import { adjustmentIntents, subscriptionTasks } from '../db/schema/subscriptions';
import { memoryLimiter } from '../src/autotask/limits';
import { connectTemporal, createClient, createDataConverter } from '../src/client/connection';
import { connectInput } from '../src/client/connectors';
import { checkSubscriptions, reconcile } from '../src/client/subscriptions';
import { mergeSettings } from '../src/connector/settings';
import { ConnectorStore } from '../src/connector/store';
import { generateKeySpec, parseKeyRing } from '../src/crypto/keys';
import { addDays, addMonths, type Market } from '../src/marketplaces/cloudblue/sim/market';
import { startDevServer } from '../src/runtime/temporal-dev-server';
import { logger } from '../src/logging';
import { startSandbox } from '../src/sim';
import { seededRandom } from '../src/sim/kit/random';
import { SubscriptionStore } from '../src/subscriptions/store';
import { createWorker } from '../src/worker';
import { workflowIds } from '../src/workflows/ids';
import { contractChecking, numberArg } from './args';
import { seedSubscriptionBook } from './harness/subscription-book';

const MARKETPLACE = 'cloudblue';
/** Subscriptions per customer: each of a different product, so no two share a contract service. */
const PER_CUSTOMER = 5;
/** Months 0…11; nothing changes units after LAST_CHANGE_MONTH, so the last month's units are settled when reconciled. */
const MONTHS = 12;
const LAST_CHANGE_MONTH = 9;
const TERMINAL = ['synced', 'error', 'action_required', 'ignored'] as const;
/**
 * How long a month may take to settle. A task that waits for an earlier task of its subscription and
 * is not told when that one settles looks again every 10 minutes (EARLIER_RECHECK in the task workflow).
 */
const SETTLE_TIMEOUT_MS = 25 * 60_000;
/** Open tasks listed (with their subscription's queue) when no more than this many are left. */
const DESCRIBE_OPEN = 5;
/** A line on stderr this often while a month's tasks settle. */
const PROGRESS_MS = 15_000;

const say = (line: string) => process.stderr.write(`[bench subscriptions] ${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type Action = { date: string; run: (market: Market) => void };

export async function run(args: string[]): Promise<object> {
  const n = numberArg(args, 'subscriptions', 1000);
  const seed = numberArg(args, 'seed', 7);
  const historySample = numberArg(args, 'history-sample', 300);
  const checkContract = contractChecking(args);
  const today = new Date().toISOString().slice(0, 10);
  const firstMonth = addMonths(`${today.slice(0, 7)}-01`, -(MONTHS - 1));
  const monthStart = (m: number) => addMonths(firstMonth, m);

  installForwardingRuntime();
  const server = await startDevServer({ headless: true, port: 0 });
  const database = await openDatabase({ dataDir: 'memory://' });
  const sandbox = await startSandbox({
    autotask: { hourlyLimit: 100_000_000, checkContract, latencyMs: numberArg(args, 'latency-ms', 0) },
    ingram: false,
    tdSynnex: false,
    pax8: false,
    webhook: false,
    cloudblue: { subscriptions: 0, start: addDays(firstMonth, -1), rateLimit: false, checkContract },
    integrations: [MARKETPLACE],
  });
  const market: Market = sandbox.cloudblue.market;
  const at = sandbox.autotask;
  const connection = await connectTemporal(server.address);
  try {
    await migrateDatabase(database);
    const ring = parseKeyRing(generateKeySpec('bench'));
    const client = createClient(connection, 'default', ring);
    const connectorId = 'bench';
    const taskQueue = 'bench-subscriptions';
    const scope = { connectorId, integrationId: MARKETPLACE };

    // A connected connector whose first Check Changes reaches back over the whole simulated year.
    const connectors = new ConnectorStore(database, ring);
    await connectors.save({ connectorId, ...connectInput(ring, sandbox.connectRequest(connectorId, {}, [MARKETPLACE])) });
    const saved = await connectors.get(connectorId);
    await connectors.updateSettings(connectorId, mergeSettings(saved.settings, { subscriptions: { firstCheckDays: 366 } }));
    await connectors.setStatus(connectorId, 'connected', undefined, []);
    await connectors.setIntegrationStatus(connectorId, MARKETPLACE, 'connected', undefined, []);

    // ── Autotask: two currencies, one company + monthly contract per customer, one Service per product ──
    const customerCount = Math.ceil(n / PER_CUSTOMER);
    const { products, customers } = await seedSubscriptionBook(sandbox, database, scope, { customers: customerCount, firstMonth });
    const store = new SubscriptionStore(database);

    // ── The year's activity, per subscription, one event per month at most (no same-day merges) ──
    const rnd = seededRandom(seed);
    const pick = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const dayIn = (m: number) => addDays(monthStart(m), pick(1, 26));
    const actions: Action[] = [];
    /** The date of the action being run (each acts on its own day). */
    let currentDate = firstMonth;
    const planned = { sales: 0, changeUp: 0, changeDown: 0, usage: 0, cancellation: 0 };
    for (let j = 0; j < n; j++) {
      const customer = customers[Math.floor(j / PER_CUSTOMER)];
      const product = products[(Math.floor(j / PER_CUSTOMER) + j) % products.length];
      const usage = !!product.offer.usage;
      const sold = pick(0, 2);
      const quantity = usage ? 1 : pick(2, 20);
      const subscription: { id?: string } = {};
      actions.push({ date: dayIn(sold), run: (mk) => (subscription.id = mk.purchase(customer.id, product.id, quantity, currentDate).subscription.id) });
      planned.sales++;
      let last = sold;
      let cancelAt: number | null = null;
      if (!usage) {
        const up = last + pick(1, 2);
        const delta = pick(1, 5);
        actions.push({ date: dayIn(up), run: (mk) => mk.changeQuantity(subscription.id!, +delta, currentDate) });
        planned.changeUp++;
        const down = up + pick(1, 2);
        const less = Math.min(quantity + delta - 1, pick(1, 3));
        actions.push({ date: dayIn(down), run: (mk) => mk.changeQuantity(subscription.id!, -less, currentDate) });
        planned.changeDown++;
        last = down;
      }
      if (rnd() < 0.3) cancelAt = Math.min(LAST_CHANGE_MONTH, last + pick(1, 3));
      if (cancelAt !== null) {
        actions.push({ date: dayIn(cancelAt), run: (mk) => mk.cancel(subscription.id!, currentDate) });
        planned.cancellation++;
      }
      if (usage) {
        // Usage every month while the subscription runs, rated on the 1st of the next month (the last rated month: MONTHS - 2).
        for (let m = sold; m <= Math.min(MONTHS - 2, cancelAt ?? MONTHS); m++) {
          const amount = pick(10, 500);
          actions.push({ date: addDays(monthStart(m + 1), -1), run: (mk) => mk.recordUsage(subscription.id!, amount, addDays(monthStart(m), 14)) });
          planned.usage++;
        }
      }
    }

    await analyze(database);
    const worker = await createWorker({
      connection: await NativeConnection.connect({ address: server.address }), namespace: 'default', taskQueue, dataConverter: createDataConverter(ring),
      deps: { database, ring, temporal: client, taskQueue, limiter: memoryLimiter() }, maxConcurrentActivityTaskExecutions: 200,
    });
    say(`${n} subscriptions, ${customerCount} customers, ${actions.length} marketplace actions over ${MONTHS} months from ${firstMonth}; worker ready`);
    at.sim.counts.clear();
    const cloudBlueBefore = sandbox.simulators.get(MARKETPLACE)!.takeViolations().length;

    const started = Date.now();
    const months: Array<{ month: string; events: number; tasks: number; ms: number }> = [];
    const result = await worker.runUntil(async () => {
      actions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      let next = 0;
      for (let m = 0; m < MONTHS; m++) {
        const end = m + 1 < MONTHS ? monthStart(m + 1) : today;
        // The month's orders in date order (recording usage on its last day), then to the 1st: last month's usage is rated.
        while (next < actions.length && actions[next].date < end) {
          const a = actions[next++];
          if (a.date > market.today) market.advanceTo(a.date);
          currentDate = a.date;
          a.run(market);
        }
        if (end > market.today) market.advanceTo(end);
        const monthStarted = Date.now();
        const month = monthStart(m).slice(0, 7);
        const check = await checkSubscriptions(client, taskQueue, scope, { auto: true }).catch((err: unknown) => {
          say(`month ${m + 1}/${MONTHS} ${month}: Check Changes failed after ${secs(Date.now() - monthStarted)}: ${describeError(err)}`);
          throw err;
        });
        await analyze(database);
        say(`month ${m + 1}/${MONTHS} ${month}: ${check.events} event(s), ${check.createdCount} task(s) created (check ${secs(Date.now() - monthStarted)})`);
        await settle(database, connectorId, SETTLE_TIMEOUT_MS, async (open) => {
          say(`  ${month}: ${open} task(s) still open after ${secs(Date.now() - monthStarted)}`);
          if (open <= DESCRIBE_OPEN) for (const line of await describeOpen(database, connectorId)) say(`    ${line}`);
          await analyze(database);
        });
        months.push({ month, events: check.events, tasks: check.createdCount, ms: Date.now() - monthStarted });
        const states = await taskStates(database, connectorId);
        const total = Object.values(states).reduce((a, b) => a + b, 0);
        const requests = at.sim.totalRequests();
        say(`month ${m + 1}/${MONTHS} ${month} settled in ${secs(Date.now() - monthStarted)}: tasks ${JSON.stringify(states)}; elapsed ${secs(Date.now() - started)}, ${requests} Autotask requests (${(requests / Math.max(1, total)).toFixed(2)}/task)`);
      }
      say(`all months settled in ${secs(Date.now() - started)}; reconciling and sampling histories`);
      const elapsedMs = Date.now() - started;
      const autotaskRequests = at.sim.totalRequests();
      const reconciled = await reconcile(client, taskQueue, scope, monthStart(MONTHS - 1).slice(0, 7));
      const tasks = await database.db.select({ taskId: subscriptionTasks.taskId, state: subscriptionTasks.state, type: subscriptionTasks.type, reason: subscriptionTasks.reason })
        .from(subscriptionTasks).where(eq(subscriptionTasks.connectorId, connectorId));
      // History length of (a sample of) the task workflows.
      const step = Math.max(1, Math.floor(tasks.length / Math.max(1, historySample)));
      const events: number[] = [];
      for (let i = 0; i < tasks.length; i += step) {
        const history = await client.workflow.getHandle(workflowIds.subscriptionTask(connectorId, MARKETPLACE, tasks[i].taskId)).fetchHistory().catch(() => undefined);
        if (history) events.push(history.events?.length ?? 0);
      }
      return { elapsedMs, autotaskRequests, reconciled, tasks, events };
    }).catch((err: unknown) => {
      say(`failed after ${secs(Date.now() - started)}: ${describeError(err)}`);
      throw err;
    });

    // ── Exactly once: every intent recorded, sent once, and found once in the Autotask simulator ──
    const intents = await database.db.select({ kind: adjustmentIntents.kind, status: adjustmentIntents.status, n: sql<number>`count(*)::int` })
      .from(adjustmentIntents).where(eq(adjustmentIntents.connectorId, connectorId)).groupBy(adjustmentIntents.kind, adjustmentIntents.status);
    const intentsOf = (kind: string, statuses?: string[]) => intents.filter((r) => r.kind === kind && (!statuses || statuses.includes(r.status))).reduce((a, r) => a + Number(r.n), 0);
    const counts = await store.intentCounts(connectorId);
    const inAutotask = { adjustments: at.records('ContractServiceAdjustments').length, charges: at.records('ContractCharges').length };
    const unsettled = await database.db.select({ n: sql<number>`count(*)::int` }).from(subscriptionTasks)
      .where(and(eq(subscriptionTasks.connectorId, connectorId), inArray(subscriptionTasks.state, ['pending', 'planned', 'syncing'])));

    const tasks = result.tasks;
    const byState = tally(tasks.map((t) => t.state));
    const synced = byState.synced ?? 0;
    const ev = [...result.events].sort((a, b) => a - b);
    const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    const intended = counts.intended + counts.sent + counts.confirmed;
    return {
      subscriptions: n,
      customers: customerCount,
      simulatedYear: { from: firstMonth, to: today },
      planned,
      // Renewals: the monthly usage subscriptions renew each month (CloudBlue `renewal` → a billing task).
      marketplaceOrders: tally(market.orders.map((o) => o.type)),
      usageReports: market.reports.length,
      tasks: tasks.length,
      tasksByType: tally(tasks.map((t) => t.type)),
      tasksByState: byState,
      notSynced: tasks.filter((t) => t.state !== 'synced').slice(0, 10).map((t) => ({ taskId: t.taskId, type: t.type, state: t.state, reason: t.reason })),
      stillOpen: Number(unsettled[0]?.n ?? 0),
      elapsedMs: result.elapsedMs,
      tasksPerSec: round((synced / result.elapsedMs) * 1000),
      months,
      autotaskRequests: result.autotaskRequests,
      autotaskRequestsPerTask: round(result.autotaskRequests / Math.max(1, tasks.length)),
      autotaskByEndpoint: at.sim.countsObject(),
      historyEventsPerTask: { sampled: ev.length, mean: round(ev.reduce((a, b) => a + b, 0) / Math.max(1, ev.length), 1), p50: ev[Math.floor(ev.length / 2)], max: ev.at(-1) },
      adjustments: {
        intended,
        sent: counts.sent + counts.confirmed,
        confirmedAfterUncertainty: counts.confirmed,
        stillIntended: counts.intended,
        byKind: { adjustment: intentsOf('adjustment'), charge: intentsOf('charge'), service: intentsOf('service') },
        inAutotask,
        equal: counts.intended === 0 && intentsOf('adjustment') === inAutotask.adjustments && intentsOf('charge') === inAutotask.charges,
      },
      reconciliation: { period: monthStart(MONTHS - 1).slice(0, 7), checked: result.reconciled.checked, drift: result.reconciled.drifts.length, drifts: result.reconciled.drifts.slice(0, 10) },
      contractViolations: sandbox.takeViolations().length + cloudBlueBefore,
      checkContract,
    };
  } finally {
    await connection.close();
    await sandbox.stop();
    await database.close();
    await server.stop();
  }
}

type BenchDatabase = Awaited<ReturnType<typeof openDatabase>>;

/**
 * The Temporal Runtime with the SDK core's own (native) logs forwarded to our logger, which writes to
 * stderr here: left alone, core prints them (e.g. "Workflow task duration exceeded 5 seconds") to
 * stdout, in between the JSON. (installTemporalLogger routes only the TS side's logs.)
 */
function installForwardingRuntime(): void {
  const level = 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: l, message, meta }) => logger[l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : 'info'](meta ?? {}, message)),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: level }) } },
  });
}

/** An error with its causes (said at once: closing the connection afterwards may end the process first). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  return parts.join(' ← ');
}

/** What PostgreSQL's autovacuum does as tables grow (PGlite has none): fresh planner statistics. */
async function analyze(database: BenchDatabase): Promise<void> {
  await database.db.execute(sql`analyze`);
}

/** The open tasks, each with its reason and the tasks of its subscription (why a month does not settle). */
async function describeOpen(database: BenchDatabase, connectorId: string): Promise<string[]> {
  const open = await database.db.select().from(subscriptionTasks)
    .where(and(eq(subscriptionTasks.connectorId, connectorId), sql`${subscriptionTasks.state} not in (${sql.join(TERMINAL.map((s) => sql`${s}`), sql`, `)})`));
  const lines: string[] = [];
  for (const t of open.slice(0, DESCRIBE_OPEN)) {
    lines.push(`${t.taskId} ${t.type} ${t.state} (subscription ${t.subscriptionId}, updated ${t.updatedAt.toISOString()}): ${t.reason ?? ''}`);
    if (!t.subscriptionId) continue;
    const queue = await database.db.select().from(subscriptionTasks)
      .where(and(eq(subscriptionTasks.connectorId, connectorId), eq(subscriptionTasks.subscriptionId, t.subscriptionId)))
      .orderBy(subscriptionTasks.eventCreatedAt, subscriptionTasks.taskId);
    lines.push(`  queue: ${queue.map((q) => `${q.taskId}=${q.state}@${q.eventCreatedAt.toISOString()}/${q.updatedAt.toISOString().slice(11, 19)}`).join(', ')}`);
  }
  return lines;
}

/** Tasks of the connector by state. */
async function taskStates(database: BenchDatabase, connectorId: string): Promise<Record<string, number>> {
  const rows = await database.db.select({ state: subscriptionTasks.state, n: sql<number>`count(*)::int` }).from(subscriptionTasks)
    .where(eq(subscriptionTasks.connectorId, connectorId)).groupBy(subscriptionTasks.state);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Waits until no task of the connector is pending, planned or syncing (automatic processing leaves none planned). */
async function settle(database: BenchDatabase, connectorId: string, timeoutMs: number, progress: (open: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let told = Date.now();
  for (;;) {
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(subscriptionTasks)
      .where(and(eq(subscriptionTasks.connectorId, connectorId), sql`${subscriptionTasks.state} not in (${sql.join(TERMINAL.map((s) => sql`${s}`), sql`, `)})`));
    if (Number(row.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row.n} sync task(s) still open after ${timeoutMs / 1000}s`);
    if (Date.now() - told >= PROGRESS_MS) {
      told = Date.now();
      await progress(Number(row.n));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
