// The simulator answers as the live Autotask API does (and the client copes): references checked,
// one default vendor, UTC date-times without offset, numeric Number UDFs, case-insensitive query
// bodies, GET-query paging, prevPageUrl, id required in includeFields across pages, `{"item": null}`,
// userDefinedFields always present, and 405 for operations the API does not have.
import { toAutotaskDates, toAutotaskDateTime, fromAutotaskDateTime } from '../../src/autotask/dates';
import type { AutotaskSim } from '../../src/autotask/sim';
import { clearZoneCache, clientFor, product, raw, REFS, resetSim, startSim } from './helpers';

let at: AutotaskSim;

beforeAll(async () => {
  at = await startSim();
});
afterAll(() => at.stop());
beforeEach(() => {
  clearZoneCache();
  resetSim(at);
});
afterEach(() => {
  expect(at.sim.takeViolations()).toEqual([]);
});

const V = '/atservicesrest/V1.0';
const ALL = { op: 'gte', field: 'id', value: 0 };

describe('references', () => {
  it('rejects ids that do not exist (or are inactive where Autotask requires active) with 500 {"errors":[…]}', async () => {
    const missing = await raw(at, 'POST', `${V}/Products`, product(1, { productBillingCodeID: 999 }));
    expect(missing).toEqual({ status: 500, body: { errors: ['Value does not reference an existing entity for productBillingCodeID.'] } });
    const inactive = await raw(at, 'POST', `${V}/Products`, product(1, { productBillingCodeID: REFS.inactiveCode }));
    expect(inactive.status).toBe(500);
    expect(inactive.body.errors[0]).toMatch(/productBillingCodeID.*inactive/);
    expect((await raw(at, 'POST', `${V}/PurchaseOrders`, { vendorID: 4242, status: 1, shipToName: 'HQ', shipToAddress1: '1 Main' })).status).toBe(500);
    expect((await raw(at, 'POST', `${V}/Services`, { name: 'S', unitPrice: 1, periodType: 2, billingCodeID: 4242 })).status).toBe(500);
    expect(at.records('Products')).toHaveLength(0);

    const [id] = at.seed('Products', [product(1)]);
    const patch = await raw(at, 'PATCH', `${V}/Products`, { id, productBillingCodeID: 999 });
    expect(patch.body.errors[0]).toMatch(/does not reference an existing entity for productBillingCodeID/);
    expect((await raw(at, 'POST', `${V}/Products/${id}/Vendors`, { vendorID: 4242, isDefault: false, isActive: true })).status).toBe(500);
  });

  it('the client classifies a dangling reference as validation', async () => {
    const err = await clientFor(at).products.create(product(1, { productBillingCodeID: 999 })).catch((e) => e);
    expect(err).toMatchObject({ kind: 'validation', status: 500, source: 'autotask' });
  });
});

describe('one default vendor per product', () => {
  it('makes the first vendor the default, moves the flag to a later default one, mirrors it in defaultVendorID, and refuses a duplicate vendor', async () => {
    const [other] = at.seed('Companies', [{ companyName: 'Other vendor', companyType: 7, phone: '1', ownerResourceID: REFS.resource, isActive: true }]);
    const client = clientFor(at);
    const productId = await client.products.create(product(1));
    const first = await client.productVendors.create(productId, { vendorID: REFS.vendor, isDefault: false, isActive: true });
    expect((await client.productVendors.get(first))?.isDefault).toBe(true);
    expect((await client.products.get(productId))?.defaultVendorID).toBe(REFS.vendor);
    const second = await client.productVendors.create(productId, { vendorID: other, isDefault: true, isActive: true });
    const rows = await client.productVendors.forParent(productId);
    expect(rows.map((v) => [v.id, v.isDefault])).toEqual([[first, false], [second, true]]);
    expect((await client.products.get(productId))?.defaultVendorID).toBe(other);
    const dup = await client.productVendors.create(productId, { vendorID: other, isDefault: false, isActive: true }).catch((e) => e);
    expect(dup).toMatchObject({ kind: 'validation', status: 500 });
  });
});

describe('date-times', () => {
  it('the client sends UTC without an offset (dates stay dates) and reads both forms', () => {
    expect(toAutotaskDateTime('2026-03-01T10:00:00+02:00')).toBe('2026-03-01T08:00:00.000');
    expect(toAutotaskDateTime(new Date('2026-03-01T08:00:00Z'))).toBe('2026-03-01T08:00:00.000');
    expect(toAutotaskDateTime('2026-03-01')).toBe('2026-03-01');
    expect(toAutotaskDates({ a: '2026-03-01T10:00:00Z', b: 'x', c: 1 })).toEqual({ a: '2026-03-01T10:00:00.000', b: 'x', c: 1 });
    expect(fromAutotaskDateTime('2016-03-30T13:10:35.563')?.toISOString()).toBe('2016-03-30T13:10:35.563Z');
    expect(fromAutotaskDateTime('2016-03-30T13:10:35Z')?.toISOString()).toBe('2016-03-30T13:10:35.000Z');
  });

  it('the simulator stores and returns UTC in Autotask\'s format whatever offset was sent; a date alone is midnight', async () => {
    const send = (submitDateTime: string) => raw(at, 'POST', `${V}/PurchaseOrders`, { vendorID: REFS.vendor, status: 1, shipToName: 'HQ', shipToAddress1: '1 Main', submitDateTime });
    const a = (await send('2026-03-01T10:00:00+02:00')).body.itemId;
    const b = (await send('2026-03-01')).body.itemId;
    const c = (await send('2026-03-01T08:00:00.5')).body.itemId;
    const got = async (id: number) => (await raw(at, 'GET', `${V}/PurchaseOrders/${id}`)).body.item.submitDateTime;
    expect(await got(a)).toBe('2026-03-01T08:00:00.000');
    expect(await got(b)).toBe('2026-03-01T00:00:00.000');
    expect(await got(c)).toBe('2026-03-01T08:00:00.500');
    expect((await raw(at, 'GET', `${V}/PurchaseOrders/${a}`)).body.item.createDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    // Queries compare date-times in the same form, whatever offset the filter value has.
    const q = await raw(at, 'POST', `${V}/PurchaseOrders/query`, { filter: [{ op: 'gte', field: 'submitDateTime', value: '2026-03-01T09:00:00+01:00' }] });
    expect(q.body.items.map((x: { id: number }) => x.id)).toEqual([a, c]);
    expect((await send('next tuesday')).status).toBe(500);
    expect(at.sim.takeViolations()).toEqual([expect.stringContaining('must match format "date-time"')]); // our bad request
  });

  it('the client converts Date values and offsets before sending', async () => {
    const client = clientFor(at);
    const id = await client.purchaseOrders.create({ vendorID: REFS.vendor, status: 1, shipToName: 'HQ', shipToAddress1: '1 Main', submitDateTime: new Date('2026-05-05T05:05:05.005Z') as unknown as string });
    expect(at.store.get('PurchaseOrders', id)?.submitDateTime).toBe('2026-05-05T05:05:05.005');
  });
});

describe('queries', () => {
  it('compares Number UDFs numerically', async () => {
    at.addUdf('Products', 'Seats', { dataType: 2 });
    at.seed('Products', [9, 10, 100, 2.5].map((n, i) => product(i + 1, { userDefinedFields: [{ name: 'Seats', value: String(n) }] })));
    const ids = async (filter: unknown) => (await raw(at, 'POST', `${V}/Products/query`, { filter: [filter] })).body.items.map((p: { id: number }) => p.id);
    expect(await ids({ op: 'gt', field: 'Seats', value: 9, udf: true })).toEqual([2, 3]);
    expect(await ids({ op: 'lt', field: 'Seats', value: '10', udf: true })).toEqual([1, 4]);
    expect(await ids({ op: 'eq', field: 'Seats', value: 10.0, udf: true })).toEqual([2]);
    expect(await ids({ op: 'in', field: 'Seats', value: [100, 9], udf: true })).toEqual([1, 3]);
    const bad = await raw(at, 'POST', `${V}/Products`, product(5, { userDefinedFields: [{ name: 'Seats', value: 'many' }] }));
    expect(bad.status).toBe(500);
  });

  it('reads query bodies case-insensitively (Filter, IncludeFields, MaxRecords; Op, Field, Value, Items, UDF)', async () => {
    at.addUdf('Products', 'Source');
    at.seed('Products', [product(1), product(2, { userDefinedFields: [{ name: 'Source', value: 'td' }] }), product(3)]);
    const res = await raw(at, 'POST', `${V}/Products/query`, {
      Filter: [{ Op: 'or', Items: [{ Op: 'eq', Field: 'sku', Value: 'SKU-1' }, { OP: 'eq', FIELD: 'Source', VALUE: 'td', UDF: true }] }],
      IncludeFields: ['Id', 'Sku'],
      MaxRecords: 5,
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: number; sku: string }) => [p.id, p.sku])).toEqual([[1, 'SKU-1'], [2, 'SKU-2']]);
    expect(res.body.pageDetails.requestCount).toBe(5);
  });

  it('pages GET queries with GET: nextPageUrl carries the search and a cursor; prevPageUrl from the second page on', async () => {
    at.seed('Products', Array.from({ length: 5 }, (_, i) => product(i + 1)));
    const search = encodeURIComponent(JSON.stringify({ filter: [ALL], maxRecords: 2 }));
    const first = await raw(at, 'GET', `${V}/Products/query?search=${search}`);
    expect(first.body.items.map((p: { id: number }) => p.id)).toEqual([1, 2]);
    expect(first.body.pageDetails.prevPageUrl).toBeNull();
    const next = new URL(first.body.pageDetails.nextPageUrl);
    expect(next.searchParams.get('search')).toBe(JSON.stringify({ filter: [ALL], maxRecords: 2 }));
    const second = await raw(at, 'GET', next.pathname + next.search);
    expect(second.body.items.map((p: { id: number }) => p.id)).toEqual([3, 4]);
    const prev = new URL(second.body.pageDetails.prevPageUrl);
    expect((await raw(at, 'GET', prev.pathname + prev.search)).body.items.map((p: { id: number }) => p.id)).toEqual([1, 2]);
    const third = new URL(second.body.pageDetails.nextPageUrl);
    const last = await raw(at, 'GET', third.pathname + third.search);
    expect(last.body.items.map((p: { id: number }) => p.id)).toEqual([5]);
    expect(last.body.pageDetails.nextPageUrl).toBeNull();
    expect(last.body.pageDetails.prevPageUrl).not.toBeNull();
  });

  it('sets prevPageUrl on the second page of a POST query, followed with POST and the same body', async () => {
    at.seed('Products', Array.from({ length: 5 }, (_, i) => product(i + 1)));
    const body = { filter: [ALL], maxRecords: 2 };
    const first = await raw(at, 'POST', `${V}/Products/query`, body);
    const next = new URL(first.body.pageDetails.nextPageUrl);
    const second = await raw(at, 'POST', next.pathname + next.search, body);
    expect(second.body.pageDetails.prevPageUrl).toMatch(/\/query\/next\?paging=/);
    const prev = new URL(second.body.pageDetails.prevPageUrl);
    expect((await raw(at, 'POST', prev.pathname + prev.search, body)).body.items.map((p: { id: number }) => p.id)).toEqual([1, 2]);
  });

  it('requires id among includeFields when results span pages; the client always sends it', async () => {
    at.seed('Products', Array.from({ length: 3 }, (_, i) => product(i + 1)));
    const without = await raw(at, 'POST', `${V}/Products/query`, { filter: [ALL], includeFields: ['sku'], maxRecords: 2 });
    expect(without.status).toBe(500);
    expect(without.body.errors[0]).toMatch(/id/);
    expect((await raw(at, 'POST', `${V}/Products/query`, { filter: [ALL], includeFields: ['sku'], maxRecords: 5 })).status).toBe(200);
    const client = clientFor(at);
    expect((await client.products.query(undefined, { includeFields: ['sku'], maxRecords: 2 })).items.map((p) => p.id)).toEqual([1, 2]);
    const walked: number[] = [];
    for await (const page of client.products.pages({ includeFields: ['sku'], pageSize: 2 })) walked.push(...page.items.map((p) => p.id));
    expect(walked).toEqual([1, 2, 3]);
  });

  it('always carries userDefinedFields ([] without values) on records of an entity with UDFs, includeFields results too', async () => {
    at.addUdf('Products', 'Source');
    at.seed('Products', [product(1), product(2, { userDefinedFields: [{ name: 'Source', value: 'x' }] })]);
    const all = await raw(at, 'POST', `${V}/Products/query`, { filter: [ALL] });
    expect(all.body.items.map((p: { userDefinedFields: unknown }) => p.userDefinedFields)).toEqual([[], [{ name: 'Source', value: 'x' }]]);
    const some = await raw(at, 'POST', `${V}/Products/query`, { filter: [ALL], includeFields: ['id', 'sku'] });
    expect(some.body.items[0]).toEqual({ id: 1, sku: 'SKU-1', userDefinedFields: [] });
    expect((await raw(at, 'GET', `${V}/Products/1`)).body.item.userDefinedFields).toEqual([]);
    // An entity without UDFs has none.
    expect((await raw(at, 'GET', `${V}/BillingCodes/${REFS.materialCode}`)).body.item).not.toHaveProperty('userDefinedFields');
  });
});

describe('gets and undeclared operations', () => {
  it('answers a missing id with 200 {"item": null}, which the client returns as null', async () => {
    expect(await raw(at, 'GET', `${V}/Products/424242`)).toEqual({ status: 200, body: { item: null } });
    expect(await clientFor(at).products.get(424242)).toBeNull();
  });

  it('answers 405 for an operation the API does not have (GET /Contracts/{id}/ServiceAdjustments/{id})', async () => {
    const res = await raw(at, 'GET', `${V}/Contracts/1/ServiceAdjustments/1`);
    expect(res).toEqual({ status: 405, body: { Message: "The requested resource does not support http method 'GET'." } });
    expect(at.sim.takeViolations()).toEqual([expect.stringContaining('no such operation')]);
  });
});
