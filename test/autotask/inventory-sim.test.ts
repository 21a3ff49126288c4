// The simulator's inventory rules (src/autotask/sim/rules/inventory.ts), through the real client: one
// item per product and location, required fields, an active location, minimum/maximum, read-only fields
// ignored on update (quantityOnHand above all: since Autotask 2022.1 it changes only through stocked
// items), and StockedItemsAdd/Remove moving the quantity.
import type { AutotaskClient } from '../../src/autotask/client';
import type { AutotaskSim } from '../../src/autotask/sim';
import { clientFor, product, REFS, resetSim, startSim } from './helpers';

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Autotask simulator: inventory items and stock', () => {
  let at: AutotaskSim;
  let client: AutotaskClient;
  let raw: AutotaskClient;
  let productId: number;
  let location: number;

  beforeAll(async () => {
    at = await startSim();
  });
  afterAll(() => at.stop());
  beforeEach(async () => {
    resetSim(at);
    client = clientFor(at);
    raw = clientFor(at, { checkWrites: false }); // the simulator's own answers, not the client's pre-checks
    productId = await client.products.create(product(1));
    location = await client.inventoryLocations.create({ locationName: 'TD SYNNEX stock', isActive: true });
  });
  afterEach(() => expect(at.sim.takeViolations()).toEqual([]));

  const item = (extra: Record<string, unknown> = {}) => ({ productID: productId, inventoryLocationID: location, quantityOnHand: 5, quantityMinimum: 0, quantityMaximum: 0, ...extra });
  const quantity = async (id: number) => (await client.inventoryItems.get(id))!.quantityOnHand;

  it('takes one item per product and location, with every required field, at an active location', async () => {
    const id = await client.inventoryItems.create(item());
    expect(await quantity(id)).toBe(5);
    expect(await caught(raw.inventoryItems.create(item({ quantityOnHand: 1 })))).toMatchObject({ kind: 'validation', status: 500 });
    const { quantityMaximum: _omit, ...noMaximum } = item();
    const other = await client.products.create(product(2));
    expect((await caught(raw.inventoryItems.create({ ...noMaximum, productID: other }))).details[0]).toContain('quantityMaximum');
    expect(await caught(raw.inventoryItems.create(item({ productID: other, quantityMinimum: 2, quantityMaximum: 1 })))).toMatchObject({ kind: 'validation' });
    const inactive = await client.inventoryLocations.create({ locationName: 'Old shelf', isActive: false });
    expect((await caught(raw.inventoryItems.create(item({ productID: other, inventoryLocationID: inactive })))).details[0]).toMatch(/active inventory location/);
    expect(at.records('InventoryItems')).toHaveLength(1);
  });

  it('ignores quantityOnHand, productID and inventoryLocationID on update', async () => {
    const id = await client.inventoryItems.create(item());
    const other = await client.products.create(product(2));
    await raw.inventoryItems.update({ id, quantityOnHand: 50, productID: other, quantityMaximum: 10 });
    expect(await client.inventoryItems.get(id)).toMatchObject({ quantityOnHand: 5, productID: productId, inventoryLocationID: location, quantityMaximum: 10 });
  });

  it('adds and removes stock through stocked items, never more than is on hand and unreserved', async () => {
    const id = await client.inventoryItems.create(item());
    await client.inventoryStockedItemsAdd.create(id, { quantityBeingAdded: 3, unitCost: 9.5, vendorID: REFS.vendor, reasonForUpdate: 'test' });
    expect(await quantity(id)).toBe(8);
    const stocked = (await client.inventoryStockedItems.query({ op: 'eq', field: 'inventoryProductID', value: id })).items;
    expect(stocked.map((s) => s.onHandUnits).sort()).toEqual([3, 5]);
    const first = stocked.find((s) => s.onHandUnits === 5)!;
    await client.inventoryStockedItemsRemove.create(id, { inventoryStockedItemID: first.id, quantityBeingRemoved: 4 });
    expect(await quantity(id)).toBe(4);
    expect(await caught(raw.inventoryStockedItemsRemove.create(id, { inventoryStockedItemID: first.id, quantityBeingRemoved: 2 }))).toMatchObject({ kind: 'validation' });
    at.store.get('InventoryStockedItems', first.id)!.reservedUnits = 1;
    expect(await caught(raw.inventoryStockedItemsRemove.create(id, { inventoryStockedItemID: first.id, quantityBeingRemoved: 1 }))).toMatchObject({ kind: 'validation' });
    expect(await caught(raw.inventoryStockedItemsAdd.create(id, { quantityBeingAdded: 0 }))).toMatchObject({ kind: 'validation' });
    expect(await caught(raw.inventoryStockedItemsAdd.create(id + 1000, { quantityBeingAdded: 1 }))).toMatchObject({ kind: 'not_found' });
    expect(await quantity(id)).toBe(4);
  });
});
