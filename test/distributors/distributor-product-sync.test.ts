// Product Sync end to end from each distributor (Ingram Micro, TD SYNNEX), the same tests for both:
// real dev server, worker and activities, the sandbox with that distributor connected. Adoption and
// first sync, a quiet run, a changed day, a dry run, and a churn that waits for approval. The catalog
// drivers (catalog-drivers.ts) say what each simulated catalog holds.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { quarantine } from '../../db/schema';
import { memoryLimiter } from '../../src/autotask/limits';
import { mergeSettings } from '../../src/connector/settings';
import type { Sandbox } from '../../src/sim';
import { approveDeactivationUpdate, progressQuery, type ProductSyncResult } from '../../src/workflows/product-sync';
import { useEngine } from '../helpers/engine';
import { CATALOG_DRIVERS } from './catalog-drivers';

/** Autotask writes (creates and updates) the simulator received. */
function writes(sandbox: Sandbox): number {
  return sandbox.autotask.sim.totalRequests((k) => /^(POST|PATCH|PUT) /.test(k) && !k.includes('/query'));
}

/** Autotask products (fields and UDF values) by SKU, as JSON: what a run changed is what differs between two of these. */
function productsBySku(sandbox: Sandbox): Map<string, string> {
  const udfs = sandbox.autotask.store.table('Products').udfValues;
  return new Map(sandbox.autotask.records('Products').map((p) => [p.sku as string, JSON.stringify([p, [...(udfs.get(p.id) ?? [])]])]));
}

describe.each(CATALOG_DRIVERS)('Product Sync from $kind', (driver) => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });

  async function setup(connectorId: string) {
    const sandbox = await engine.startSandbox(driver.sandbox);
    const store = await engine.connect(connectorId, { sandbox });
    const start = (dryRun = false) =>
      engine.client.workflow.start('productSyncWorkflow', { workflowId: `ps-${connectorId}-${randomUUID()}`, taskQueue: engine.taskQueue, args: [{ connectorId, dryRun }] });
    const sync = async (dryRun = false) => (await (await start(dryRun)).result()) as ProductSyncResult;
    return { sandbox, store, start, sync };
  }

  it('adopts existing products by part number, creates the rest once, quarantines bad records', async () => {
    const { sandbox, sync } = await setup(`adopt-${driver.kind}`);
    const existing = driver.goodProducts(sandbox, 3);
    const existingIds = sandbox.autotask.seed(
      'Products',
      existing.map((p) => ({ name: `Hand-made ${p.mpn}`, vendorProductNumber: p.mpn, isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId })),
    );

    const first = await sync();
    expect(first.status).toBe('completed');
    expect(first.counters.adopted).toBe(3);
    const products = sandbox.autotask.records('Products');
    expect(products.length).toBe(first.counters.created + 3);
    for (const [i, id] of existingIds.entries()) expect(products.find((p) => p.id === id)!.sku).toBe(existing[i].sku);
    // Exactly one Autotask product per SKU, each with this distributor as vendor.
    const skus = products.map((p) => p.sku as string);
    expect(new Set(skus).size).toBe(skus.length);
    expect(sandbox.autotask.records('ProductVendors').length).toBe(products.length);
    expect(sandbox.autotask.records('ProductVendors').every((v) => v.vendorID === sandbox.vendorCompanyIds[driver.kind])).toBe(true);

    const bad = driver.quarantined(sandbox);
    expect(bad.length).toBeGreaterThan(0);
    const rows = await engine.database.db.select().from(quarantine).where(eq(quarantine.runId, first.runId));
    expect(rows.length).toBe(first.counters.quarantined);
    // Unreadable lines are kept with their text: the SKU (or MPN) is in it.
    for (const key of bad) expect(rows.some((r) => r.recordKey === key || r.reason.includes(key) || JSON.stringify(r.record ?? null).includes(key))).toBe(true);
    expect(skus.some((s) => bad.includes(s))).toBe(false);
    expect(rows.every((r) => r.reason.length > 5)).toBe(true);
    // Every record read ends one way; unreadable lines are quarantined without being processed.
    expect(first.counters.created + first.counters.adopted + first.counters.quarantined + first.counters.skipped).toBe(first.counters.processed + driver.unreadable(sandbox));
  });

  it('writes nothing to Autotask when the catalog did not change', async () => {
    const { sandbox, sync } = await setup(`quiet-${driver.kind}`);
    await sync();
    const before = writes(sandbox);
    const second = await sync();
    expect(second.counters).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
    expect(second.counters.unchanged).toBe(sandbox.autotask.records('Products').length);
    expect(writes(sandbox) - before).toBe(0);
  });

  it('after a day of price and stock changes writes only the changed SKUs', async () => {
    const { sandbox, sync } = await setup(`day1-${driver.kind}`);
    await sync();
    const expected = driver.diff(sandbox, 1);
    expect(expected.changed.length).toBeGreaterThan(0); // the seed changes some, so the run has work
    await driver.setDay(sandbox, 1);
    const productsBefore = productsBySku(sandbox);
    const before = writes(sandbox);
    const run = await sync();
    expect(run.status).toBe('completed');
    expect(run.counters).toMatchObject({ updated: expected.changed.length, created: expected.added.length, deactivated: expected.gone.length });
    const after = productsBySku(sandbox);
    const touched = [...after].filter(([sku, json]) => productsBefore.get(sku) !== json).map(([sku]) => sku).sort();
    expect(touched).toEqual([...expected.changed, ...expected.added, ...expected.gone].sort());
    // At most one product PATCH and one vendor PATCH per changed SKU, plus creates for new SKUs.
    expect(writes(sandbox) - before).toBeLessThanOrEqual(2 * (run.counters.updated + run.counters.created) + run.counters.deactivated);
    for (const sample of run.samples.updates) expect(expected.changed).toContain(sample.sku);
  });

  it('dry run plans without writing anything, and the real run does what it planned', async () => {
    const { sandbox, sync } = await setup(`dry-${driver.kind}`);
    await sync();
    const expected = driver.diff(sandbox, 2);
    await driver.setDay(sandbox, 2);
    const before = writes(sandbox);
    const plan = await sync(true);
    expect(plan.status).toBe('dry_run');
    expect(plan.counters).toMatchObject({ updated: expected.changed.length, created: expected.added.length });
    expect(plan.samples.updates.every((u) => expected.changed.includes(u.sku))).toBe(true);
    expect(writes(sandbox) - before).toBe(0);
    const real = await sync();
    expect(real.counters.updated).toBe(plan.counters.updated);
    expect(real.counters.created).toBe(plan.counters.created);
  });

  it('waits for approval before deactivating more than the guard share', async () => {
    const connectorId = `guard-${driver.kind}`;
    const { sandbox, store, start, sync } = await setup(connectorId);
    await sync();
    await store.updateSettings(connectorId, mergeSettings((await store.get(connectorId)).settings, { productSync: { deactivationGuardShare: 0.001 } }));
    const gone = await driver.churn(sandbox);
    expect(gone.length).toBeGreaterThan(0);
    const handle = await start();
    let progress = await handle.query(progressQuery);
    for (let i = 0; i < 200 && progress.status !== 'awaiting_approval'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      progress = await handle.query(progressQuery);
    }
    expect(progress.status).toBe('awaiting_approval');
    expect(progress.deactivation!.candidates).toBe(gone.length);
    const activeBefore = sandbox.autotask.records('Products').filter((p) => p.isActive).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(sandbox.autotask.records('Products').filter((p) => p.isActive).length).toBe(activeBefore);
    await handle.executeUpdate(approveDeactivationUpdate, { args: [{ approve: true }] });
    const result = (await handle.result()) as ProductSyncResult;
    expect(result.status).toBe('completed');
    expect(result.counters.deactivated).toBe(gone.length);
    expect(sandbox.autotask.records('Products').filter((p) => !p.isActive).map((p) => p.sku).sort()).toEqual(gone);
  });
});
