// Distributor stock in Autotask's Inventory (productSync.inventory), the same tests for Ingram Micro and
// TD SYNNEX (one on PGlite, the other on PostgreSQL): the location activation finds or creates (once), items carrying the
// distributor's quantity on hand, a quiet run without inventory requests, a changed day touching only the
// changed items (through stocked items, never a PATCH of quantityOnHand), lost answers, a refused write
// quarantined, and nothing at all while the setting is off or in a dry run. Expected quantities come from
// the simulators' own generators.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { quarantine } from '../../db/schema';
import { createCatalogActivities } from '../../src/activities/catalog';
import { memoryLimiter } from '../../src/autotask/limits';
import { connect, reconnect } from '../../src/client/connectors';
import { ConnectorClientCache } from '../../src/connector/clients';
import { mergeSettings } from '../../src/connector/settings';
import { ProductSyncStore } from '../../src/product-sync/store';
import type { Sandbox } from '../../src/sim';
import type { ConnectorView } from '../../src/workflows/messages/connector';
import type { ProductSyncResult } from '../../src/workflows/product-sync';
import { testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';
import { testKeyRing } from '../helpers/temporal';
import { CATALOG_DRIVERS, type CatalogDriver } from './catalog-drivers';
import { ConnectorStore } from '../../src/connector/store';

const LOCATION: Record<string, string> = { ingram: 'Ingram Micro stock', 'td-synnex': 'TD SYNNEX stock' };
const INVENTORY_ON = { productSync: { inventory: { enabled: true } } };

/** The distributor's quantity on hand by SKU on `day`, from its simulator's generator. */
function expectedStock(driver: CatalogDriver, sandbox: Sandbox, day: number): Map<string, number> {
  const out = new Map<string, number>();
  if (driver.kind === 'ingram') {
    const catalog = sandbox.ingram.catalog;
    for (const i of catalog.present(day)) {
      const p = catalog.product(i, day);
      // A bad record (e.g. a second listing of another SKU) is quarantined, never written.
      if (!p.bad) out.set(p.sku, p.warehouses.reduce((n, w) => n + w.quantity, 0));
    }
  } else {
    const catalog = sandbox.tdSynnex.catalog;
    for (let i = 0; i < catalog.settings.skus; i++) {
      const r = catalog.record(i, day);
      if (!r.bad) out.set(r.sku, r.quantity);
    }
  }
  return out;
}

/** Requests to the inventory item and stock endpoints (the location lookup is not one of them). */
const stockRequests = (sandbox: Sandbox, pattern = /InventoryItems|InventoryProducts|InventoryStockedItems/) => sandbox.autotask.sim.totalRequests((k) => pattern.test(k));

function locations(sandbox: Sandbox, name: string) {
  return sandbox.autotask.records('InventoryLocations').filter((l) => String(l.locationName).toLowerCase() === name.toLowerCase());
}

/** Quantity on hand by SKU of the items at the location. */
function itemsBySku(sandbox: Sandbox, locationId: number): Map<string, { id: number; quantityOnHand: number }> {
  const products = new Map(sandbox.autotask.records('Products').map((p) => [p.id, p.sku as string]));
  const out = new Map<string, { id: number; quantityOnHand: number }>();
  for (const i of sandbox.autotask.records('InventoryItems')) {
    if (i.inventoryLocationID !== locationId) continue;
    const sku = products.get(i.productID as number)!;
    expect(out.has(sku)).toBe(false); // one item per product and location
    out.set(sku, { id: i.id, quantityOnHand: i.quantityOnHand as number });
  }
  return out;
}

// Each distributor once, on one database each (Ingram on PGlite, TD SYNNEX on PostgreSQL): both databases
// and both distributors are covered without running every test four times.
const [pglite, postgres] = testDatabases();
const CASES = CATALOG_DRIVERS.map((driver, i) => {
  const db = i % 2 === 0 ? pglite : postgres;
  return { driver, db, name: `${driver.kind} on ${db.driver}` };
});

describe.each(CASES)('Distributor stock in Autotask inventory: $name', ({ driver, db }) => {
  const engine = useEngine({ database: db, worker: { limiter: memoryLimiter() } });

  /** A connector on a sandbox of its own: stored as activation leaves it, or (`activate`) through the real activation workflow. */
  async function setup(prefix: string, settings: Record<string, unknown> = INVENTORY_ON, { activate: throughWorkflow = false } = {}) {
    const connectorId = `inv-${prefix}-${driver.kind}-${randomUUID().slice(0, 8)}`;
    const sandbox = await engine.startSandbox(driver.sandbox);
    let store: ConnectorStore;
    let activation: ConnectorView | undefined;
    if (throughWorkflow) {
      activation = await connect(engine.client, engine.taskQueue, testKeyRing(), sandbox.connectRequest(connectorId, settings));
      store = new ConnectorStore(engine.database, testKeyRing());
    } else {
      store = await engine.connect(connectorId, { sandbox });
      await store.updateSettings(connectorId, mergeSettings((await store.get(connectorId)).settings, settings));
    }
    const sync = async (dryRun = false) => {
      const handle = await engine.client.workflow.start('productSyncWorkflow', { workflowId: `ps-${connectorId}-${randomUUID()}`, taskQueue: engine.taskQueue, args: [{ connectorId, dryRun }] });
      return (await handle.result()) as ProductSyncResult;
    };
    const connectors = new ConnectorStore(engine.database, testKeyRing());
    const activities = createCatalogActivities({ clients: new ConnectorClientCache(connectors, false), connectors, sync: new ProductSyncStore(engine.database) });
    const activate = () => activities.ensureInventoryLocation({ connectorId, integrationId: driver.kind });
    const enable = async (on: boolean) => store.updateSettings(connectorId, mergeSettings((await store.get(connectorId)).settings, { productSync: { inventory: { enabled: on } } }));
    return { connectorId, sandbox, store, sync, activate, enable, activation };
  }

  /** Every linked product has one item at the location, carrying the distributor's quantity of `day`. */
  function expectStock(sandbox: Sandbox, locationId: number, day: number) {
    const expected = expectedStock(driver, sandbox, day);
    const items = itemsBySku(sandbox, locationId);
    const linked = sandbox.autotask.records('Products').map((p) => p.sku as string).filter((sku) => expected.has(sku));
    expect(linked.length).toBeGreaterThan(0);
    expect([...items.keys()].sort()).toEqual(linked.sort());
    for (const [sku, item] of items) expect({ sku, quantity: item.quantityOnHand }).toEqual({ sku, quantity: expected.get(sku) });
    for (const i of sandbox.autotask.records('InventoryItems').filter((x) => x.inventoryLocationID === locationId)) expect([i.quantityMinimum, i.quantityMaximum]).toEqual([0, 0]);
    return items;
  }

  it('activation finds or creates one location; items carry the quantities; a quiet run sends no inventory request', async () => {
    const { connectorId, sandbox, sync, activate, activation } = await setup('first', INVENTORY_ON, { activate: true });
    const inventoryCheck = (view: ConnectorView) => view.integrations.find((i) => i.id === driver.kind)!.checks.find((c) => c.check === 'inventory');
    expect(inventoryCheck(activation!)).toMatchObject({ ok: true, message: expect.stringMatching(new RegExp(`^Created inventory location "${LOCATION[driver.kind]}"`)) });
    const status = await reconnect(engine.client, connectorId);
    expect(status.status).toBe('connected');
    expect(inventoryCheck(status)).toMatchObject({ ok: true, message: expect.stringMatching(new RegExp(`^Found inventory location "${LOCATION[driver.kind]}"`)) });
    expect(await activate()).toMatch(new RegExp(`^Found inventory location "${LOCATION[driver.kind]}"`));
    const [location] = locations(sandbox, LOCATION[driver.kind]);
    expect(locations(sandbox, LOCATION[driver.kind])).toHaveLength(1);
    expect(location).toMatchObject({ isActive: true, isDefault: false });

    const first = await sync();
    expect(first.status).toBe('completed');
    expectStock(sandbox, location.id, 0);
    expect(locations(sandbox, LOCATION[driver.kind])).toHaveLength(1);

    const before = stockRequests(sandbox);
    const second = await sync();
    expect(second.status).toBe('completed');
    expect(stockRequests(sandbox) - before).toBe(0);
    expect(sandbox.autotask.records('InventoryLocations')).toHaveLength(1);
  });

  it('a day of stock changes updates only the changed items, through stocked items, even when an answer is lost', async () => {
    const { sandbox, sync } = await setup('day');
    await sync();
    const [location] = locations(sandbox, LOCATION[driver.kind]); // created by Product Sync itself: the setting was on without activation
    const before = itemsBySku(sandbox, location.id);
    const day1 = expectedStock(driver, sandbox, 1);
    const up = [...before].filter(([sku, i]) => day1.has(sku) && day1.get(sku)! > i.quantityOnHand).map(([sku]) => sku);
    const down = [...before].filter(([sku, i]) => day1.has(sku) && day1.get(sku)! < i.quantityOnHand).map(([sku]) => sku);
    expect(up.length + down.length).toBeGreaterThan(0);
    await driver.setDay(sandbox, 1);
    // The first stock addition happens, and its answer is lost: the quantity is read again, not sent twice.
    sandbox.autotask.sim.setFaults({ script: [{ match: 'POST /atservicesrest/V1.0/InventoryProducts/', action: 'reset', when: 'after' }] });
    const adds = stockRequests(sandbox, /^POST .*StockedItemsAdd/);
    const removes = stockRequests(sandbox, /^POST .*StockedItemsRemove/);
    const run = await sync();
    expect(run.status).toBe('completed');
    const after = expectStock(sandbox, location.id, 1);
    const touched = [...before].filter(([sku, i]) => after.get(sku)?.quantityOnHand !== i.quantityOnHand).map(([sku]) => sku).sort();
    expect(touched).toEqual([...up, ...down].sort());
    expect(stockRequests(sandbox, /^POST .*StockedItemsAdd/) - adds).toBe(up.length);
    expect(stockRequests(sandbox, /^POST .*StockedItemsRemove/) - removes).toBeGreaterThanOrEqual(down.length);
    expect(stockRequests(sandbox, /^(PATCH|PUT) .*InventoryItems/)).toBe(0);
  });

  it('a lost InventoryItems create answer is looked up by product and location, not sent twice', async () => {
    const { sandbox, sync, enable } = await setup('lost', {});
    await sync();
    await enable(true);
    // The location query of the page's items answers (empty, as it is); then the first item create happens and its answer is lost.
    const emptyPage = { items: [], pageDetails: { count: 0, requestCount: 500, prevPageUrl: null, nextPageUrl: null } };
    sandbox.autotask.sim.setFaults({
      script: [
        { match: 'POST /atservicesrest/V1.0/InventoryItems', action: { status: 200, body: emptyPage }, when: 'after' },
        { match: 'POST /atservicesrest/V1.0/InventoryItems', action: 'reset', when: 'after' },
      ],
    });
    const creates = () => stockRequests(sandbox, /^POST \S*InventoryItems$/);
    const run = await sync();
    expect(run.status).toBe('completed');
    const [location] = locations(sandbox, LOCATION[driver.kind]);
    const items = expectStock(sandbox, location.id, 0);
    expect(creates()).toBe(items.size);
  });

  it('a stock write Autotask refuses is quarantined and the run goes on', async () => {
    const { sandbox, sync } = await setup('refused');
    await sync();
    const [location] = locations(sandbox, LOCATION[driver.kind]);
    const before = itemsBySku(sandbox, location.id);
    const day1 = expectedStock(driver, sandbox, 1);
    const down = [...before].filter(([sku, i]) => day1.has(sku) && day1.get(sku)! < i.quantityOnHand).map(([sku]) => sku);
    expect(down.length).toBeGreaterThan(0);
    // A technician reserved every unit of one item: Autotask cannot remove reserved units.
    const [reservedSku] = down;
    for (const s of sandbox.autotask.records('InventoryStockedItems')) {
      if (s.inventoryProductID === before.get(reservedSku)!.id) sandbox.autotask.store.get('InventoryStockedItems', s.id)!.reservedUnits = s.onHandUnits;
    }
    await driver.setDay(sandbox, 1);
    const run = await sync();
    expect(run.status).toBe('completed');
    const rows = await engine.database.db.select().from(quarantine).where(and(eq(quarantine.runId, run.runId), eq(quarantine.recordKey, reservedSku)));
    expect(rows).toHaveLength(1);
    expect(rows[0].reason).toMatch(/inventory write .*cannot be removed/);
    const after = itemsBySku(sandbox, location.id);
    expect(after.get(reservedSku)!.quantityOnHand).toBe(before.get(reservedSku)!.quantityOnHand);
    for (const sku of down.slice(1)) expect(after.get(sku)!.quantityOnHand).toBe(day1.get(sku));
  });

  it('writes nothing to inventory while the setting is off, and a dry run creates no location', async () => {
    const { sandbox, sync, activate, enable } = await setup('off', {});
    expect(await activate()).toMatch(/not written to Autotask inventory/);
    const run = await sync();
    expect(run.status).toBe('completed');
    expect(stockRequests(sandbox, /Inventory/)).toBe(0);
    expect(sandbox.autotask.records('InventoryLocations')).toHaveLength(0);

    await enable(true);
    await driver.setDay(sandbox, 1);
    const plan = await sync(true);
    expect(plan.status).toBe('dry_run');
    expect(stockRequests(sandbox, /Inventory/)).toBe(0);
    expect(sandbox.autotask.records('InventoryLocations')).toHaveLength(0);
  });
});
