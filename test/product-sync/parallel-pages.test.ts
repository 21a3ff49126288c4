// Product Sync in page lanes (productSync.parallelPages): a worker with the engine's PostgreSQL limiter
// reads the catalog in three lanes at once. Every product is written once, Autotask ends as after a
// run in one lane, vanished products are deactivated after a full walk, and the simulator never
// refused a request for Autotask's threads. (Several limiter instances — worker processes — on one
// database: test/autotask/limits.test.ts; several worker processes in lanes: `npm run bench -- parallel`.)
import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { postgresLimiter } from '../../src/autotask/limits-pg';
import { mergeSettings } from '../../src/connector/settings';
import { addCounters } from '../../src/product-sync/counters';
import { ProductSyncStore } from '../../src/product-sync/store';
import type { Sandbox, SandboxOptions } from '../../src/sim';
import type { ProductSyncResult } from '../../src/workflows/product-sync';
import { useEngine } from '../helpers/engine';

const SKUS = 600; // six pages of Ingram's 100
// Each request takes a few milliseconds inside its thread, so the lanes' requests overlap.
const SANDBOX: SandboxOptions = { autotask: { hourlyLimit: 100_000_000, latencyMs: 3 }, ingram: { catalog: { skus: SKUS, seed: 2 }, rateLimit: false } };

/** Autotask products by SKU without their ids and times (lanes create them in another order), UDF values included. */
function productsBySku(sandbox: Sandbox): Map<string, string> {
  const udfs = sandbox.autotask.store.table('Products').udfValues;
  return new Map(sandbox.autotask.records('Products').map(({ id, createdTime: _c, lastModifiedTime: _m, ...p }) => [p.sku as string, JSON.stringify([p, [...(udfs.get(id) ?? [])]])]));
}

const creates = (sandbox: Sandbox) => sandbox.autotask.sim.totalRequests((k) => /^POST \S*\/Products$/i.test(k));

describe('Product Sync in page lanes on postgres', () => {
  let workers: Array<{ worker: Worker; run: Promise<void> }> = [];
  let taskQueue = '';
  // Declared before useEngine's: after-all hooks run in declaration order, and the workers must stop before the environment.
  afterAll(async () => {
    for (const w of workers) w.worker.shutdown();
    await Promise.all(workers.map((w) => w.run));
  }, 60_000);
  const engine = useEngine({ database: 'postgres' });

  beforeAll(async () => {
    taskQueue = `lanes-${randomUUID()}`;
    const { worker } = await engine.worker({ taskQueue, limiter: postgresLimiter(engine.database) });
    workers = [{ worker, run: worker.run() }];
  }, 60_000);

  async function setup(connectorId: string, productSync: Record<string, unknown>) {
    const sandbox = await engine.startSandbox(SANDBOX);
    const store = await engine.connect(connectorId, { sandbox });
    await store.updateSettings(connectorId, mergeSettings((await store.get(connectorId)).settings, { productSync: { pagesPerActivity: 1, deactivationGuardShare: 1, ...productSync } }));
    const sync = async () => {
      const handle = await engine.client.workflow.start('productSyncWorkflow', { workflowId: `lanes-${connectorId}-${randomUUID()}`, taskQueue, args: [{ connectorId }] });
      const result = (await handle.result()) as ProductSyncResult;
      return { result, history: await handle.fetchHistory() };
    };
    return { sandbox, sync };
  }

  it('writes every product once and ends where one lane ends, within Autotask threads', async () => {
    const one = await setup('lanes-one', { parallelPages: 1 });
    const three = await setup('lanes-three', { parallelPages: 3 });
    const serial = await one.sync();
    const parallel = await three.sync();

    expect(serial.result.lanes).toBeUndefined();
    expect(parallel.result).toMatchObject({ status: 'completed', endOfCatalog: true, pages: 6 });
    expect(parallel.result.lanes!.map(({ cursor, ended }) => ({ cursor, ended }))).toEqual([{ cursor: null, ended: true }, { cursor: null, ended: true }, { cursor: null, ended: true }]);
    // Each lane's checkpoints stored its own counters in the run's row, the same as the workflow's, and together they are the run's.
    const run = await new ProductSyncStore(engine.database).run(parallel.result.runId);
    expect(run!.laneCounters).toEqual(Object.fromEntries(parallel.result.lanes!.map((l, i) => [i, l.counters])));
    expect(Object.values(run!.laneCounters!).reduce(addCounters)).toEqual(parallel.result.counters);
    expect(parallel.result.counters.created).toBeGreaterThan(0);
    // The three lanes' first page activities are scheduled together, before any completes.
    const events = parallel.history.events ?? [];
    const firstDone = events.findIndex((e) => e.activityTaskCompletedEventAttributes && events.some((s) => s.activityTaskScheduledEventAttributes?.activityType?.name === 'syncCatalogPages' && String(s.eventId) === String(e.activityTaskCompletedEventAttributes!.scheduledEventId)));
    const pageActivities = events.slice(0, firstDone).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'syncCatalogPages');
    expect(pageActivities).toHaveLength(3);

    expect(parallel.result.counters).toEqual(serial.result.counters);
    expect(productsBySku(three.sandbox)).toEqual(productsBySku(one.sandbox));
    const skus = three.sandbox.autotask.records('Products').map((p) => p.sku);
    expect(new Set(skus).size).toBe(skus.length);
    expect(creates(three.sandbox)).toBe(parallel.result.counters.created);
    expect(three.sandbox.autotask.limits.snapshot().threadRejections).toBe(0);
    expect(Math.max(...Object.values(three.sandbox.autotask.limits.snapshot().peakConcurrency))).toBeLessThanOrEqual(3);
  }, 300_000);

  it('deactivates the products gone from the catalog after every lane read its part', async () => {
    const { sandbox, sync } = await setup('lanes-churn', { parallelPages: 3 });
    await sync();
    const held = new Set(sandbox.autotask.records('Products').filter((p) => p.isActive).map((p) => p.sku as string));
    sandbox.ingram.catalog.day = 8; // a week of churn: some SKUs are gone
    const present = new Set(Array.from(sandbox.ingram.catalog.present(8), (i) => sandbox.ingram.catalog.skuOf(i)));
    const gone = [...held].filter((sku) => !present.has(sku)).sort();
    expect(gone.length).toBeGreaterThan(0);
    const { result } = await sync();
    expect(result).toMatchObject({ status: 'completed', endOfCatalog: true });
    expect(result.counters.deactivated).toBe(gone.length);
    expect(sandbox.autotask.records('Products').filter((p) => !p.isActive).map((p) => p.sku).sort()).toEqual(gone);
    expect(sandbox.autotask.limits.snapshot().threadRejections).toBe(0);
  }, 300_000);

  it('reads a catalog larger than the selection limit in one lane', async () => {
    const { sync } = await setup('lanes-limit', { parallelPages: 3, selection: { limit: 150 } });
    const { result } = await sync();
    expect(result.lanes).toBeUndefined();
    expect(result).toMatchObject({ status: 'completed', limitReached: true, endOfCatalog: false });
    expect(result.counters.processed).toBe(150);
  }, 300_000);
});
