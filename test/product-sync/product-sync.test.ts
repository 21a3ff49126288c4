// Product Sync end to end: real dev server, real worker and activities, both simulators, both
// databases. One catalog's life: adoption and first sync, a quiet day, a changed day, a dry run,
// and a run that would deactivate too much and waits for an operator.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { quarantine } from '../../db/schema';
import { memoryLimiter } from '../../src/autotask/limits';
import { ConnectorStore } from '../../src/connector/store';
import { mergeSettings } from '../../src/connector/settings';
import { startSandbox, type Sandbox } from '../../src/sim';
import { approveDeactivationUpdate, progressQuery, type ProductSyncResult } from '../../src/workflows/product-sync';
import { saveConnectedConnector } from '../helpers/connector';
import { testDatabases } from '../helpers/db';
import { createTestEnv, createTestWorker, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';

const SKUS = 450;
const CONNECTOR = 'ps';

/** Autotask writes (creates and updates) the simulator received. */
function writes(sandbox: Sandbox): number {
  return sandbox.autotask.sim.totalRequests((k) => /^(POST|PATCH|PUT) /.test(k) && !k.includes('/query'));
}

describe.each(testDatabases())('Product Sync on $driver', ({ open }) => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let sandbox: Sandbox;
  let store: ConnectorStore;

  beforeAll(async () => {
    env = await createTestEnv();
    database = await open();
    sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 11 }, rateLimit: false } });
    store = await saveConnectedConnector(database, testKeyRing(), sandbox, CONNECTOR);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
    await env?.teardown();
  });
  afterEach(() => expect(sandbox.takeViolations()).toEqual([]));

  async function sync(name: string, dryRun = false): Promise<ProductSyncResult> {
    const taskQueue = uniqueTaskQueue(name);
    const worker = await createTestWorker(env, database, taskQueue, { limiter: memoryLimiter() });
    return worker.runUntil(env.client.workflow.execute('productSyncWorkflow', { workflowId: `ps-${taskQueue}`, taskQueue, args: [{ connectorId: CONNECTOR, dryRun }] }));
  }

  /** Catalog products that are good and active (neither bad nor discontinued). */
  function goodProducts(count: number) {
    const out = [];
    for (let i = 0; out.length < count; i++) {
      if (!sandbox.ingram.catalog.badKind(i) && !sandbox.ingram.catalog.isDiscontinued(i) && !sandbox.ingram.catalog.badKind(i + 1)) out.push(sandbox.ingram.catalog.product(i, 0));
    }
    return out;
  }

  it('adopts existing products, creates the rest once, quarantines bad records', async () => {
    // An MSP already sells three of these products, entered by hand with the vendor part number.
    const existing = goodProducts(3);
    const existingIds = sandbox.autotask.seed(
      'Products',
      existing.map((p) => ({ name: `Hand-made ${p.mpn}`, vendorProductNumber: p.mpn, isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId })),
    );

    const first = await sync('first');
    expect(first.status).toBe('completed');
    expect(first.counters.adopted).toBe(3);
    const products = sandbox.autotask.records('Products');
    expect(products.length).toBe(first.counters.created + 3);
    for (const [i, id] of existingIds.entries()) expect(products.find((p) => p.id === id)!.sku).toBe(existing[i].sku);
    // Exactly one Autotask product per SKU, each with the distributor as vendor.
    const skus = products.map((p) => p.sku as string);
    expect(new Set(skus).size).toBe(skus.length);
    expect(sandbox.autotask.records('ProductVendors').length).toBe(products.length);
    expect(sandbox.autotask.records('ProductVendors').every((v) => v.vendorID === sandbox.vendorCompanyId)).toBe(true);

    const bad = sandbox.ingram.catalog.badRecords(0);
    expect(bad.length).toBeGreaterThan(0);
    const rows = await database.db.select().from(quarantine).where(eq(quarantine.runId, first.runId));
    expect(rows.length).toBe(first.counters.quarantined);
    for (const b of bad.filter((x) => x.kind !== 'duplicate-sku')) {
      expect(rows.some((r) => r.recordKey === b.sku || r.reason.includes(b.sku))).toBe(true);
    }
    expect(rows.every((r) => r.reason.length > 5)).toBe(true);
    expect(first.counters.created + first.counters.adopted + first.counters.quarantined + first.counters.skipped).toBe(first.counters.processed);
  });

  it('writes nothing to Autotask when the catalog did not change', async () => {
    const before = writes(sandbox);
    const second = await sync('quiet');
    expect(second.counters).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
    expect(second.counters.unchanged).toBe(sandbox.autotask.records('Products').length);
    expect(writes(sandbox) - before).toBe(0);
  });

  it('after a day of price and stock changes writes only the changed SKUs', async () => {
    sandbox.ingram.catalog.day = 1;
    const before = writes(sandbox);
    const run = await sync('day1');
    expect(run.status).toBe('completed');
    expect(run.counters.updated).toBeGreaterThan(0);
    expect(run.counters.updated).toBeLessThan(SKUS * 0.2);
    // At most one product PATCH and one vendor PATCH per changed SKU, plus creates for new SKUs.
    expect(writes(sandbox) - before).toBeLessThanOrEqual(2 * (run.counters.updated + run.counters.created));
    const sample = run.samples.updates[0];
    expect(Object.keys(sample.changes).length).toBeGreaterThan(0);
  });

  it('dry run plans without writing anything', async () => {
    sandbox.ingram.catalog.day = 2;
    const before = writes(sandbox);
    const plan = await sync('dry', true);
    expect(plan.status).toBe('dry_run');
    expect(plan.counters.updated).toBeGreaterThan(0);
    expect(plan.samples.updates.length).toBeGreaterThan(0);
    expect(writes(sandbox) - before).toBe(0);
    // The real run then does what the plan said.
    const real = await sync('day2');
    expect(real.counters.updated).toBe(plan.counters.updated);
    expect(real.counters.created).toBe(plan.counters.created);
  });

  it('waits for approval before deactivating more than the guard share', async () => {
    await store.updateSettings(CONNECTOR, mergeSettings((await store.get(CONNECTOR)).settings, { productSync: { deactivationGuardShare: 0.001 } }));
    sandbox.ingram.catalog.day = 8; // a week of churn: some SKUs are gone
    const taskQueue = uniqueTaskQueue('guard');
    const worker = await createTestWorker(env, database, taskQueue, { limiter: memoryLimiter() });
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('productSyncWorkflow', { workflowId: `ps-${taskQueue}`, taskQueue, args: [{ connectorId: CONNECTOR }] });
      let progress = await handle.query(progressQuery);
      for (let i = 0; i < 200 && progress.status !== 'awaiting_approval'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        progress = await handle.query(progressQuery);
      }
      expect(progress.status).toBe('awaiting_approval');
      expect(progress.deactivation!.candidates).toBeGreaterThan(0);
      const activeBefore = sandbox.autotask.records('Products').filter((p) => p.isActive).length;
      await new Promise((r) => setTimeout(r, 300));
      // Nothing was deactivated while waiting.
      expect(sandbox.autotask.records('Products').filter((p) => p.isActive).length).toBe(activeBefore);
      await handle.executeUpdate(approveDeactivationUpdate, { args: [{ approve: true }] });
      return (await handle.result()) as ProductSyncResult;
    });
    expect(result.status).toBe('completed');
    expect(result.counters.deactivated).toBe(result.deactivation!.candidates);
    const gone = sandbox.autotask.records('Products').filter((p) => !p.isActive);
    expect(gone.length).toBeGreaterThanOrEqual(result.counters.deactivated);
  });
});
