// Product Sync end to end: real dev server, real worker and activities, both simulators, both
// databases. One catalog's life: adoption and first sync, a quiet day, a changed day, a dry run,
// and a run that would deactivate too much and waits for an operator.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { quarantine } from '../../db/schema';
import { memoryLimiter } from '../../src/autotask/limits';
import { mergeSettings } from '../../src/connector/settings';
import { SAMPLE_LIMIT } from '../../src/product-sync/counters';
import { BAD_RECORD_KINDS } from '../../src/distributors/ingram/sim/catalog';
import type { Sandbox } from '../../src/sim';
import { approveDeactivationUpdate, progressQuery, type ProductSyncResult } from '../../src/workflows/product-sync';
import { testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';

// Seed 2's 250 SKUs hold every kind of bad record, and a week of churn removes some.
const SANDBOX = { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 250, seed: 2 }, rateLimit: false as const } };

/** Autotask writes (creates and updates) the simulator received. */
function writes(sandbox: Sandbox): number {
  return sandbox.autotask.sim.totalRequests((k) => /^(POST|PATCH|PUT) /.test(k) && !k.includes('/query'));
}

/** Autotask products (fields and UDF values) by SKU, as JSON: what a run changed is what differs between two of these. */
function productsBySku(sandbox: Sandbox): Map<string, string> {
  const udfs = sandbox.autotask.store.table('Products').udfValues;
  return new Map(sandbox.autotask.records('Products').map((p) => [p.sku as string, JSON.stringify([p, [...(udfs.get(p.id) ?? [])]])]));
}

/**
 * What the simulated catalog says happened between two days, for the SKUs Autotask holds: listed
 * both days with another price, stock or backorder ETA (`changed`), no longer listed (`gone`);
 * and the good SKUs that appeared (`added`).
 */
function catalogDiff(sandbox: Sandbox, from: number, to: number) {
  const catalog = sandbox.ingram.catalog;
  const held = new Set(sandbox.autotask.records('Products').map((p) => p.sku as string));
  const offer = (i: number, day: number) => {
    const p = catalog.product(i, day);
    return JSON.stringify([p.cost, p.msrp, p.promo, p.warehouses]);
  };
  const changed: string[] = [];
  const gone: string[] = [];
  const added: string[] = [];
  for (const i of new Set([...catalog.present(from), ...catalog.present(to)])) {
    const before = catalog.isPresent(i, from);
    const after = catalog.isPresent(i, to);
    const sku = catalog.skuOf(i);
    if (before && held.has(sku)) {
      if (!after) gone.push(sku);
      else if (offer(i, from) !== offer(i, to)) changed.push(sku);
    } else if (!before && after && !catalog.badKind(i) && !catalog.isDiscontinued(i)) added.push(sku);
  }
  return { changed: changed.sort(), gone: gone.sort(), added: added.sort() };
}

describe.each(testDatabases())('Product Sync on $driver', (db) => {
  const engine = useEngine({ database: db, worker: { limiter: memoryLimiter() } });

  /** A catalog of the test's own: a fresh sandbox and a connected connector on it. */
  async function setup(connectorId: string) {
    const sandbox = await engine.startSandbox(SANDBOX);
    const store = await engine.connect(connectorId, { sandbox });
    const start = (dryRun = false) =>
      engine.client.workflow.start('productSyncWorkflow', { workflowId: `ps-${connectorId}-${randomUUID()}`, taskQueue: engine.taskQueue, args: [{ connectorId, dryRun }] });
    const sync = async (dryRun = false) => (await (await start(dryRun)).result()) as ProductSyncResult;
    return { sandbox, store, start, sync };
  }

  /** Catalog products that are good and active (neither bad nor discontinued). */
  function goodProducts(sandbox: Sandbox, count: number) {
    const out = [];
    for (let i = 0; out.length < count; i++) {
      if (!sandbox.ingram.catalog.badKind(i) && !sandbox.ingram.catalog.isDiscontinued(i) && !sandbox.ingram.catalog.badKind(i + 1)) out.push(sandbox.ingram.catalog.product(i, 0));
    }
    return out;
  }

  it('adopts existing products, creates the rest once, quarantines bad records', async () => {
    const { sandbox, sync } = await setup('ps-adopt');
    // An MSP already sells three of these products, entered by hand with the vendor part number.
    const existing = goodProducts(sandbox, 3);
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
    // Exactly one Autotask product per SKU, each with the distributor as vendor.
    const skus = products.map((p) => p.sku as string);
    expect(new Set(skus).size).toBe(skus.length);
    expect(sandbox.autotask.records('ProductVendors').length).toBe(products.length);
    expect(sandbox.autotask.records('ProductVendors').every((v) => v.vendorID === sandbox.vendorCompanyId)).toBe(true);

    const bad = sandbox.ingram.catalog.badRecords(0);
    expect(new Set(bad.map((b) => b.kind)).size).toBe(BAD_RECORD_KINDS.length); // so the loop below checks every kind
    const rows = await engine.database.db.select().from(quarantine).where(eq(quarantine.runId, first.runId));
    expect(rows.length).toBe(first.counters.quarantined);
    for (const b of bad.filter((x) => x.kind !== 'duplicate-sku')) {
      expect(rows.some((r) => r.recordKey === b.sku || r.reason.includes(b.sku))).toBe(true);
    }
    expect(rows.every((r) => r.reason.length > 5)).toBe(true);
    expect(first.counters.created + first.counters.adopted + first.counters.quarantined + first.counters.skipped).toBe(first.counters.processed);
  });

  it('writes nothing to Autotask when the catalog did not change', async () => {
    const { sandbox, sync } = await setup('ps-quiet');
    await sync();
    const before = writes(sandbox);
    const second = await sync();
    expect(second.counters).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
    expect(second.counters.unchanged).toBe(sandbox.autotask.records('Products').length);
    expect(writes(sandbox) - before).toBe(0);
  });

  it('after a day of price and stock changes writes only the changed SKUs', async () => {
    const { sandbox, sync } = await setup('ps-day1');
    await sync();
    sandbox.ingram.catalog.day = 1;
    const expected = catalogDiff(sandbox, 0, 1);
    expect(expected.changed.length).toBeGreaterThan(0); // the seed changes some, so the run has work
    const productsBefore = productsBySku(sandbox);
    const before = writes(sandbox);
    const run = await sync();
    expect(run.status).toBe('completed');
    expect(run.counters).toMatchObject({ updated: expected.changed.length, created: expected.added.length, deactivated: expected.gone.length });
    // Exactly the changed, new and gone SKUs' products differ afterwards.
    const after = productsBySku(sandbox);
    const touched = [...after].filter(([sku, json]) => productsBefore.get(sku) !== json).map(([sku]) => sku).sort();
    expect(touched).toEqual([...expected.changed, ...expected.added, ...expected.gone].sort());
    // At most one product PATCH and one vendor PATCH per changed SKU, plus creates for new SKUs.
    expect(writes(sandbox) - before).toBeLessThanOrEqual(2 * (run.counters.updated + run.counters.created) + run.counters.deactivated);
    for (const sample of run.samples.updates) {
      expect(expected.changed).toContain(sample.sku);
      expect(Object.keys(sample.changes).length).toBeGreaterThan(0);
    }
  });

  it('dry run plans without writing anything', async () => {
    const { sandbox, sync } = await setup('ps-dry');
    await sync();
    sandbox.ingram.catalog.day = 2;
    const expected = catalogDiff(sandbox, 0, 2);
    const before = writes(sandbox);
    const plan = await sync(true);
    expect(plan.status).toBe('dry_run');
    expect(plan.counters).toMatchObject({ updated: expected.changed.length, created: expected.added.length });
    expect(plan.samples.updates.map((u) => u.sku).every((sku) => expected.changed.includes(sku))).toBe(true);
    expect(plan.samples.updates).toHaveLength(Math.min(SAMPLE_LIMIT, expected.changed.length));
    expect(writes(sandbox) - before).toBe(0);
    // The real run then does what the plan said.
    const real = await sync();
    expect(real.counters.updated).toBe(plan.counters.updated);
    expect(real.counters.created).toBe(plan.counters.created);
  });

  it('waits for approval before deactivating more than the guard share', async () => {
    const { sandbox, store, start, sync } = await setup('ps-guard');
    await sync();
    await store.updateSettings('ps-guard', mergeSettings((await store.get('ps-guard')).settings, { productSync: { deactivationGuardShare: 0.001 } }));
    sandbox.ingram.catalog.day = 8; // a week of churn: some SKUs are gone
    const { gone } = catalogDiff(sandbox, 0, 8);
    expect(gone.length).toBeGreaterThan(0); // the seed's churn removes some, so the guard has work
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
    // Nothing was deactivated while waiting.
    expect(sandbox.autotask.records('Products').filter((p) => p.isActive).length).toBe(activeBefore);
    await handle.executeUpdate(approveDeactivationUpdate, { args: [{ approve: true }] });
    const result = (await handle.result()) as ProductSyncResult;
    expect(result.status).toBe('completed');
    expect(result.counters.deactivated).toBe(gone.length);
    expect(sandbox.autotask.records('Products').filter((p) => !p.isActive).map((p) => p.sku).sort()).toEqual(gone);
  });
});
