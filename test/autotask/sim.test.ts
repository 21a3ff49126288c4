// The simulator's own behaviour over raw HTTP: what Autotask answers, in Autotask's shapes.
import type { AutotaskSim } from '../../src/autotask/sim';
import { product, raw, REFS, resetSim, startSim, USER } from './helpers';

let at: AutotaskSim;

beforeAll(async () => {
  at = await startSim();
});
afterAll(() => at.stop());
beforeEach(() => resetSim(at));
afterEach(() => {
  expect(at.sim.takeViolations()).toEqual([]);
});

const V = '/atservicesrest/V1.0';

describe('zone, version and auth', () => {
  it('answers ZoneInformation with its own URL, and 500 for an unknown user', async () => {
    const ok = await raw(at, 'GET', `${V}/ZoneInformation?user=${encodeURIComponent(USER.username)}`);
    expect(ok).toMatchObject({ status: 200, body: { url: at.zoneUrl, ci: 1 } });
    expect(at.zoneUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/atservicesrest\/$/);
    const bad = await raw(at, 'GET', `${V}/ZoneInformation?user=nobody@example.com`);
    expect(bad).toEqual({ status: 500, body: { errors: ['Zone information could not be determined'] } });
    expect((await raw(at, 'GET', '/atservicesrest/versionInformation')).body).toEqual({ apiVersions: ['1.0'] });
  });

  it('answers 401 to an unknown user or a wrong secret, and 500 to a bad integration code', async () => {
    expect((await raw(at, 'GET', `${V}/Products/1`, undefined, { UserName: 'x@example.com' })).status).toBe(401);
    expect(await raw(at, 'GET', `${V}/Products/1`, undefined, { Secret: 'nope' })).toEqual({ status: 401, body: undefined });
    expect(await raw(at, 'GET', `${V}/Products/1`, undefined, { ApiIntegrationCode: 'nope' })).toEqual({ status: 500, body: { errors: ['IntegrationCode is invalid.'] } });
  });

  it('answers 403 when the user lacks access to an entity', async () => {
    at.addUser({ ...USER, permissions: { Products: { query: false } } });
    const res = await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'gte', field: 'id', value: 0 }] });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toMatch(/Permission Denied/);
  });
});

describe('queries', () => {
  beforeEach(() => {
    at.seed('Products', Array.from({ length: 1200 }, (_, i) => product(i + 1)));
  });

  it('requires a filter and maxRecords within 1..500', async () => {
    expect((await raw(at, 'POST', `${V}/Products/query`, { filter: [] })).status).toBe(500);
    const big = await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'gte', field: 'id', value: 0 }], maxRecords: 501 });
    expect(big.status).toBe(500);
    expect(big.body.errors[0]).toMatch(/MaxRecords/);
  });

  it('pages 500 at a time with pageDetails, and the GET ?search= form works too', async () => {
    const first = await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'gte', field: 'id', value: 0 }] });
    expect(first.body.items).toHaveLength(500);
    expect(first.body.pageDetails).toMatchObject({ count: 500, requestCount: 500, prevPageUrl: null });
    const next = new URL(first.body.pageDetails.nextPageUrl);
    expect((await raw(at, 'GET', next.pathname + next.search)).status).toBe(405);
    const second = await raw(at, 'POST', next.pathname + next.search, { filter: [{ op: 'gte', field: 'id', value: 0 }] });
    expect(second.body.items[0].id).toBe(501);
    const third = new URL(second.body.pageDetails.nextPageUrl);
    const last = await raw(at, 'POST', third.pathname + third.search, { filter: [{ op: 'gte', field: 'id', value: 0 }] });
    expect(last.body.pageDetails).toMatchObject({ count: 200, nextPageUrl: null });
    const search = encodeURIComponent(JSON.stringify({ filter: [{ op: 'eq', field: 'sku', value: 'SKU-7' }] }));
    expect((await raw(at, 'GET', `${V}/Products/query?search=${search}`)).body.items.map((p: { id: number }) => p.id)).toEqual([7]);
    expect((await raw(at, 'GET', `${V}/Products/query/count?search=${search}`)).body).toEqual({ queryCount: 1 });
  });

  it('finds products by an indexed field (sku) as a full scan would: any case, after a PATCH moved it, with id walks and counts', async () => {
    const q = (filter: unknown[]) => raw(at, 'POST', `${V}/Products/query`, { filter });
    const ids = (res: { body: { items: Array<{ id: number }> } }) => res.body.items.map((p) => p.id);
    expect(ids(await q([{ op: 'in', field: 'SKU', value: ['sku-12', 'SKU-1100', 'SKU-99999'] }]))).toEqual([12, 1100]);
    expect(ids(await q([{ op: 'in', field: 'sku', value: ['SKU-12', 'SKU-1100'] }, { op: 'gt', field: 'id', value: 12 }]))).toEqual([1100]);
    expect((await raw(at, 'PATCH', `${V}/Products`, { id: 12, sku: 'RENAMED-12' })).status).toBe(200);
    expect(ids(await q([{ op: 'eq', field: 'sku', value: 'SKU-12' }]))).toEqual([]);
    expect(ids(await q([{ op: 'eq', field: 'sku', value: 'renamed-12' }]))).toEqual([12]);
    const search = encodeURIComponent(JSON.stringify({ filter: [{ op: 'in', field: 'sku', value: ['SKU-1', 'SKU-2', 'RENAMED-12'] }] }));
    expect((await raw(at, 'GET', `${V}/Products/query/count?search=${search}`)).body).toEqual({ queryCount: 3 });
  });

  it('allows one UDF condition per query', async () => {
    at.addUdf('Products', 'A');
    at.addUdf('Products', 'B');
    const two = await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'eq', field: 'A', value: 'x', udf: true }, { op: 'or', items: [{ op: 'eq', field: 'B', value: 'y', udf: true }] }] });
    expect(two.status).toBe(500);
    expect(two.body.errors[0]).toMatch(/one user-defined field/);
    expect((await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'exist', field: 'A', udf: true }] })).status).toBe(200);
  });

  it('rejects null for a boolean and an unknown operator', async () => {
    expect((await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'eq', field: 'isActive', value: 'yes' }] })).status).toBe(500);
    expect((await raw(at, 'POST', `${V}/Products/query`, { filter: [{ op: 'like', field: 'sku', value: 'x' }] })).status).toBe(500);
  });

  it('answers 200 {"item": null} for a missing id', async () => {
    expect(await raw(at, 'GET', `${V}/Products/99999`)).toEqual({ status: 200, body: { item: null } });
  });
});

describe('writes', () => {
  it('returns {itemId} with 200; required fields give 500 {"errors":[...]}; read-only fields are ignored', async () => {
    const created = await raw(at, 'POST', `${V}/Products`, { ...product(1), createdTime: '2001-01-01T00:00:00Z' });
    expect(created).toEqual({ status: 200, body: { itemId: 1 } });
    // Read-only and stored in Autotask's form: UTC without an offset.
    expect(at.records('Products')[0].createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(at.records('Products')[0].createdTime).not.toBe('2001-01-01T00:00:00Z');
    const missing = await raw(at, 'POST', `${V}/Products`, { name: 'x' });
    expect(missing.status).toBe(500);
    expect(missing.body.errors[0]).toMatch(/isActive/);
    const picklist = await raw(at, 'POST', `${V}/Products`, { ...product(2), periodType: 9 });
    expect(picklist.status).toBe(500);
    const long = await raw(at, 'POST', `${V}/Products`, { ...product(2), name: 'x'.repeat(101) });
    expect(long.body.errors[0]).toMatch(/maximum length of 100/);
  });

  it('only takes child writes through the parent path', async () => {
    const [productId] = at.seed('Products', [product(1)]);
    const rootWrite = await raw(at, 'POST', `${V}/ProductVendors`, { productID: productId, vendorID: REFS.vendor, isDefault: true, isActive: true });
    expect(rootWrite.status).toBe(405);
    // The spec has no POST /ProductVendors: the checker reports the client's mistake.
    expect(at.sim.takeViolations()).toEqual([expect.stringContaining('POST /atservicesrest/V1.0/ProductVendors: no such operation')]);
    const ok = await raw(at, 'POST', `${V}/Products/${productId}/Vendors`, { vendorID: REFS.vendor, isDefault: true, isActive: true });
    expect(ok.status).toBe(200);
    expect(at.records('ProductVendors')[0].productID).toBe(productId);
    expect((await raw(at, 'GET', `${V}/Products/${productId}/Vendors`)).body.items).toHaveLength(1);
    expect((await raw(at, 'POST', `${V}/Products/4242/Vendors`, { vendorID: REFS.vendor, isDefault: true, isActive: true })).status).toBe(404);
  });

  it('PATCH needs the id in the body and changes only what it names; PUT nulls the rest', async () => {
    const [id] = at.seed('Products', [product(1, { description: 'keep me' })]);
    expect((await raw(at, 'PATCH', `${V}/Products`, { unitPrice: 1 })).status).toBe(500);
    await raw(at, 'PATCH', `${V}/Products`, { id, unitPrice: 1 });
    expect(at.store.get('Products', id)).toMatchObject({ unitPrice: 1, description: 'keep me' });
    await raw(at, 'PUT', `${V}/Products`, { id, name: 'n', isActive: true, isSerialized: false, productBillingCodeID: REFS.materialCode, periodType: 1 });
    expect(at.store.get('Products', id)).toMatchObject({ description: null, unitPrice: null, name: 'n' });
    expect((await raw(at, 'PUT', `${V}/Products`, { id, name: 'n' })).status).toBe(500);
  });

  it('serves entityInformation, fields with picklists, and UDFs added at runtime', async () => {
    const info = await raw(at, 'GET', `${V}/ContractServiceAdjustments/entityInformation`);
    expect(info.body.info).toMatchObject({ canCreate: true, canQuery: false, canUpdate: false, canDelete: false });
    const fields = (await raw(at, 'GET', `${V}/PurchaseOrders/entityInformation/fields`)).body.fields;
    const status = fields.find((x: { name: string }) => x.name === 'status');
    expect(status).toMatchObject({ isRequired: true, isPickList: true, dataType: 'integer' });
    expect(status.picklistValues.map((p: { value: string; label: string }) => `${p.value} ${p.label}`)).toEqual(expect.arrayContaining(['1 New', '2 Submitted', '3 Received Partial', '4 Received Full', '5 Cancel']));
    const created = await raw(at, 'POST', `${V}/UserDefinedFieldDefinitions`, { name: 'Source', udfType: 6, dataType: 1 });
    expect(created.status).toBe(200);
    expect((await raw(at, 'GET', `${V}/Products/entityInformation/userDefinedFields`)).body.fields.map((x: { name: string }) => x.name)).toEqual(['Source']);
  });
});

describe('limits', () => {
  afterEach(() => {
    at.limits.options.threadLimit = 3;
    at.limits.options.hourlyLimit = 10_000;
    at.api.behaviour.latencyMs = 0;
  });

  it('refuses the 4th concurrent request on an endpoint for one integration code with 429', async () => {
    at.api.behaviour.latencyMs = 50;
    const body = { filter: [{ op: 'gte', field: 'id', value: 0 }] };
    const results = await Promise.all(Array.from({ length: 5 }, () => raw(at, 'POST', `${V}/Products/query`, body)));
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(2);
    expect(refused[0].body.errors[0]).toMatch(/thread threshold of 3 threads has been exceeded/);
    // Another endpoint has its own three threads.
    const mixed = await Promise.all([
      ...Array.from({ length: 3 }, () => raw(at, 'POST', `${V}/Products/query`, body)),
      ...Array.from({ length: 3 }, () => raw(at, 'POST', `${V}/Companies/query`, body)),
    ]);
    expect(mixed.every((r) => r.status === 200)).toBe(true);
  });

  it('adds latency above 50% and 75% of the hourly limit, refuses at 100%, and reports usage', async () => {
    at.limits.options.hourlyLimit = 100;
    at.limits.options.usageLatencyMs = [150, 300];
    const time = async () => {
      const t = Date.now();
      const res = await raw(at, 'GET', `${V}/ThresholdInformation`);
      return { ms: Date.now() - t, res };
    };
    expect((await time()).ms).toBeLessThan(140);
    at.limits.setUsage(55);
    expect((await time()).ms).toBeGreaterThanOrEqual(145);
    at.limits.setUsage(80);
    const slow = await time();
    expect(slow.ms).toBeGreaterThanOrEqual(290);
    expect(slow.res.body).toEqual({ externalRequestThreshold: 100, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 81 });
    at.limits.setUsage(100);
    const refused = await raw(at, 'GET', `${V}/Products/1`);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatch(/requests per hour/);
    at.limits.options.usageLatencyMs = [500, 1000];
  });

  it('forgets requests older than a (scaled) hour', async () => {
    at.limits.options.clockScale = 3_600_000; // an hour per millisecond
    at.limits.setUsage(50);
    await new Promise((r) => setTimeout(r, 5));
    expect(at.limits.usage()).toBe(0);
    at.limits.options.clockScale = 1;
  });
});

describe('admin API', () => {
  it('seeds users, entities and UDFs, and shows records and counts', async () => {
    const admin = (method: string, path: string, body?: unknown) => raw(at, method, `/__admin${path}`, body);
    expect((await admin('POST', '/users', { username: 'b@example.com', secret: 's', integrationCode: 'c' })).body.secret).toBe('[redacted]');
    expect((await admin('POST', '/udfs', { entity: 'Products', name: 'Source' })).status).toBe(200);
    expect((await admin('POST', '/entities/Products', [product(1, { userDefinedFields: [{ name: 'Source', value: 'x' }] })])).body).toEqual({ ids: [1] });
    const records = (await admin('GET', '/entities/Products')).body;
    expect(records[0]).toMatchObject({ id: 1, sku: 'SKU-1', userDefinedFields: [{ name: 'Source', value: 'x' }] });
    await raw(at, 'GET', `${V}/Products/1`);
    expect((await admin('GET', '/counts')).body).toEqual({ 'GET /V1.0/Products/{id}': 1 });
    expect((await admin('GET', '/limits')).body).toMatchObject({ hourlyLimit: 10_000, usage: 1 });
  });
});
