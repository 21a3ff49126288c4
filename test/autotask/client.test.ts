// The client against the simulator over real HTTP; every exchange is checked against the spec.
import { AutotaskError } from '../../src/autotask/errors';
import { f } from '../../src/autotask/query';
import type { AutotaskSim } from '../../src/autotask/sim';
import { clearZoneCache, clientFor, CREDENTIALS, product, REFS, requestCount, seedRefs, startSim, USER } from './helpers';

let at: AutotaskSim;

beforeAll(async () => {
  at = await startSim();
});
afterAll(() => at.stop());
beforeEach(() => {
  clearZoneCache();
  at.store.reset();
  at.api.users.clear();
  at.addUser(USER);
  seedRefs(at);
  at.sim.counts.clear();
});
afterEach(() => {
  expect(at.sim.takeViolations()).toEqual([]);
});

async function caught(p: Promise<unknown>): Promise<AutotaskError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AutotaskError);
    return err as AutotaskError;
  }
  throw new Error('expected an AutotaskError');
}

describe('zone discovery', () => {
  it('discovers the zone once and caches it', async () => {
    const client = clientFor(at);
    expect((await client.zone()).url).toBe(at.zoneUrl);
    await client.products.query();
    await clientFor(at).products.query();
    expect(requestCount(at, /ZoneInformation/)).toBe(1);
  });

  it('uses a configured zone URL without discovery', async () => {
    const client = clientFor(at, { discoveryUrl: 'http://127.0.0.1:1/nowhere', zoneUrl: at.zoneUrl });
    await client.products.query();
    expect(requestCount(at, /ZoneInformation/)).toBe(0);
  });

  it('re-discovers after a 401 when the user moved to another zone, and carries on there', async () => {
    const other = await startSim();
    try {
      const client = clientFor(at, { zoneRecheckMs: 0 });
      other.seed('Products', [product(1, { name: 'In the other zone' })]);
      await client.products.query();
      at.moveUser(USER.username, other.zoneUrl);
      const page = await client.products.query();
      expect(page.items.map((p) => p.name)).toEqual(['In the other zone']);
      expect((await client.zone()).url).toBe(other.zoneUrl);
      expect(requestCount(at, /ZoneInformation/)).toBe(2);
      expect(other.sim.takeViolations()).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('reports zone_moved when a nextPageUrl of the old zone is followed', async () => {
    const other = await startSim();
    try {
      at.seed('Products', [product(1), product(2)]);
      const client = clientFor(at, { zoneRecheckMs: 0 });
      const first = await client.products.query(undefined, { maxRecords: 1 });
      at.moveUser(USER.username, other.zoneUrl);
      const err = await caught(client.products.queryNext(first.pageDetails.nextPageUrl!, undefined, { maxRecords: 1 }));
      expect(err).toMatchObject({ kind: 'transient', reason: 'zone_moved', source: 'autotask', retryable: true });
    } finally {
      await other.stop();
    }
  });
});

describe('authentication', () => {
  it('gives an auth error for a wrong secret in one API request, with no credentials in it', async () => {
    const client = clientFor(at, { credentials: { ...CREDENTIALS, secret: 'wrong-secret-value' } });
    const err = await caught(client.products.query());
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(requestCount(at, /Products/)).toBe(1);
    expect(at.sim.totalRequests()).toBe(2); // + ZoneInformation
    for (const text of [err.message, err.stack ?? '', JSON.stringify(err), String(err), JSON.stringify(err.cause ?? null)]) {
      for (const secret of [USER.secret, 'wrong-secret-value', USER.integrationCode, USER.username]) expect(text).not.toContain(secret);
    }
  });

  it('gives an auth error for a bad integration code (500 "IntegrationCode is invalid.")', async () => {
    const client = clientFor(at, { credentials: { ...CREDENTIALS, integrationCode: 'NOT-THE-CODE' } });
    const err = await caught(client.products.query());
    expect(err).toMatchObject({ kind: 'auth', status: 500 });
    expect(err.message).toContain('IntegrationCode is invalid.');
    expect(err.message).not.toContain('NOT-THE-CODE');
    expect(requestCount(at, /Products/)).toBe(1);
  });

  it('gives an auth error for an unknown user at discovery, in one request', async () => {
    const client = clientFor(at, { credentials: { ...CREDENTIALS, username: 'nobody@example.com' } });
    const err = await caught(client.products.query());
    expect(err).toMatchObject({ kind: 'auth', status: 500 });
    expect(err.message).not.toContain('nobody@example.com');
    expect(at.sim.totalRequests()).toBe(1);
  });

  it('maps a permission failure to permission', async () => {
    at.addUser({ ...USER, permissions: { Products: { create: false } } });
    const client = clientFor(at);
    const info = await client.metadata.info('Products');
    expect(info.userAccessForCreate).toBe('None');
    const err = await caught(client.products.create(product(1)));
    expect(err).toMatchObject({ kind: 'permission', status: 403 });
  });
});

describe('queries', () => {
  beforeEach(() => {
    at.addUdf('Products', 'Source');
    at.addUdf('Products', 'Batch');
    at.seed('Products', Array.from({ length: 30 }, (_, i) => product(i + 1, {
      isActive: i % 3 !== 0,
      manufacturerName: i % 2 ? 'Contoso' : 'Fabrikam',
      userDefinedFields: i < 5 ? [{ name: 'Source', value: 'td-synnex' }] : [],
    })));
  });

  it('supports comparison, string, existence, in and nested and/or filters', async () => {
    const client = clientFor(at);
    const ids = async (...filter: Parameters<typeof f.and>) => (await client.products.query(filter)).items.map((p) => p.id);
    expect(await ids(f.lte('id', 3))).toEqual([1, 2, 3]);
    expect(await ids(f.eq('sku', 'sku-10'))).toEqual([10]);
    expect(await ids(f.beginsWith('name', 'Product 2'), f.noteq('id', 2))).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(await ids(f.endsWith('sku', '-7'))).toEqual([7]);
    expect(await ids(f.contains('name', 'uct 1'), f.lt('id', 12))).toEqual([1, 10, 11]);
    expect(await ids(f.in('id', [4, 5, 99]))).toEqual([4, 5]);
    expect((await ids(f.notIn('id', [1, 2]), f.lte('id', 4)))).toEqual([3, 4]);
    expect(await ids(f.notExist('description'), f.lte('id', 2))).toEqual([1, 2]);
    expect(await ids(f.exist('description'))).toEqual([]);
    expect(await ids(f.or(f.eq('id', 1), f.and(f.eq('manufacturerName', 'contoso'), f.gt('id', 27))))).toEqual([1, 28, 30]);
    expect(await ids(f.eq('isActive', false), f.lte('id', 10))).toEqual([1, 4, 7, 10]);
  });

  it('filters on a UDF and returns UDF values', async () => {
    const client = clientFor(at);
    const page = await client.products.query(f.udf.eq('Source', 'td-synnex'));
    expect(page.items.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
    expect(page.items[0].userDefinedFields).toEqual([{ name: 'Source', value: 'td-synnex' }, { name: 'Batch', value: null }]);
    expect(await client.products.count(f.udf.notExist('Source'))).toBe(25);
  });

  it('rejects a second UDF condition, locally and in the simulator', async () => {
    const client = clientFor(at);
    const local = await caught(client.products.query([f.udf.eq('Source', 'x'), f.or(f.udf.eq('Batch', 'y'), f.eq('id', 1))]));
    expect(local.kind).toBe('validation');
    expect(at.sim.totalRequests()).toBe(0);
  });

  it('returns only includeFields, and counts', async () => {
    const client = clientFor(at);
    const page = await client.products.query(f.lte('id', 2), { includeFields: ['id', 'SKU'] });
    // userDefinedFields comes with every record of an entity that has UDFs.
    expect(page.items).toEqual([{ id: 1, sku: 'SKU-1', userDefinedFields: expect.any(Array) }, { id: 2, sku: 'SKU-2', userDefinedFields: expect.any(Array) }]);
    expect(await client.products.count(f.eq('isActive', true))).toBe(20);
  });

  it('gets by id, and null for a missing id', async () => {
    const client = clientFor(at);
    expect((await client.products.get(3))?.sku).toBe('SKU-3');
    expect(await client.products.get(9999)).toBeNull();
  });

  it('turns an unknown field into a validation error', async () => {
    const err = await caught(clientFor(at).products.query(f.eq('noSuchField', 1)));
    expect(err).toMatchObject({ kind: 'validation', status: 500 });
  });
});

describe('paging', () => {
  beforeEach(() => {
    at.seed('Products', Array.from({ length: 2600 }, (_, i) => product(i + 1)));
  });

  it('walks 2,600 products by id, each exactly once, and resumes from a checkpoint', async () => {
    const client = clientFor(at);
    const seen = new Map<number, number>();
    const checkpoints: number[] = [];
    for await (const page of client.products.pages({ includeFields: ['sku'] })) {
      for (const p of page.items) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
      checkpoints.push(page.lastId);
    }
    expect(seen.size).toBe(2600);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(checkpoints).toEqual([500, 1000, 1500, 2000, 2500, 2600]);
    expect(requestCount(at, /Products\/query/)).toBe(6);

    const resumed: number[] = [];
    for await (const p of client.products.all({ afterId: 2000, filter: f.eq('isActive', true) })) resumed.push(p.id);
    expect(resumed).toEqual(Array.from({ length: 600 }, (_, i) => 2001 + i));
  });

  it('follows nextPageUrl with POST and the same body; GET gets 405', async () => {
    const client = clientFor(at);
    const first = await client.products.query(f.gt('id', 100), { maxRecords: 500 });
    const next = first.pageDetails.nextPageUrl!;
    expect(next).toMatch(/\/query\/next\?paging=/);
    const second = await client.products.queryNext(next, f.gt('id', 100), { maxRecords: 500 });
    expect(second.items[0].id).toBe(601);

    const get = await fetch(next, { headers: { ApiIntegrationCode: USER.integrationCode, UserName: USER.username, Secret: USER.secret } });
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ Message: "The requested resource does not support http method 'GET'." });
  });

  it('never sends credentials to a nextPageUrl on another host', async () => {
    const client = clientFor(at);
    const err = await caught(client.products.queryNext('https://evil.example.com/atservicesrest/V1.0/Products/query/next?paging=x'));
    expect(err.kind).toBe('validation');
    expect(at.sim.totalRequests(((k) => /Products/.test(k)))).toBe(0);
  });

  it('rejects maxRecords outside 1..500', async () => {
    const err = await caught(clientFor(at).products.query(undefined, { maxRecords: 501 }));
    expect(err.kind).toBe('validation');
  });
});

describe('faults', () => {
  it('classifies an injected 503 as transient and repeats a read after a connection reset', async () => {
    at.seed('Products', [product(1)]);
    const client = clientFor(at);
    await client.zone();
    at.sim.faults.script.push({ match: 'POST /atservicesrest/V1.0/Products/query', action: { status: 503 } });
    expect(await caught(client.products.query())).toMatchObject({ kind: 'transient', status: 503, retryable: true });
    at.sim.faults.script.push({ match: 'GET /atservicesrest/V1.0/Products/1', action: 'reset' });
    const retrying = clientFor(at, { readRetries: 1 });
    expect((await retrying.products.get(1))?.id).toBe(1);
  });

  it('does not repeat a write whose connection was lost', async () => {
    const client = clientFor(at);
    await client.metadata.fields('Products');
    at.sim.faults.script.push({ match: 'POST /atservicesrest/V1.0/Products', action: 'reset', when: 'after' });
    const lost = await caught(client.products.create(product(1)));
    expect(lost).toMatchObject({ kind: 'outcome_unknown', reason: 'answer_lost', outcomeUnknown: true, retryable: true });
    expect(lost.message).toMatch(/^Autotask POST Products: /);
    expect(at.records('Products')).toHaveLength(1);
    expect(requestCount(at, /^POST \/V1\.0\/Products$/)).toBe(1);
  });
});

describe('writes', () => {
  it('creates with POST (itemId), patches with id in the body, and PUT nulls what is left out', async () => {
    const client = clientFor(at);
    const id = await client.products.create({ ...product(1), description: 'first', manufacturerName: 'Contoso' });
    expect(id).toBeGreaterThan(0);
    await client.products.update({ id, unitPrice: 99.5 });
    let p = await client.products.get(id);
    expect(p).toMatchObject({ unitPrice: 99.5, description: 'first', manufacturerName: 'Contoso' });

    await client.products.replace({ id, name: 'Replaced', isActive: true, isSerialized: false, productBillingCodeID: REFS.materialCode, periodType: 1 });
    p = await client.products.get(id);
    expect(p).toMatchObject({ name: 'Replaced', description: null, manufacturerName: null, unitPrice: null, sku: null, billingType: 1 });
    expect(requestCount(at, /^PATCH \/V1\.0\/Products$/)).toBe(1);
    expect(requestCount(at, /^PUT \/V1\.0\/Products$/)).toBe(1);
  });

  it('fails fast on a missing required field: no write request is sent', async () => {
    const client = clientFor(at);
    await client.metadata.fields('Products');
    const before = at.sim.totalRequests();
    const { name: _omit, ...noName } = product(1);
    const err = await caught(client.products.create(noName));
    expect(err).toMatchObject({ kind: 'validation', field: 'name' });
    expect(err.message).toContain('Products.name');
    expect(at.sim.totalRequests()).toBe(before);
    expect(requestCount(at, /^POST \/V1\.0\/Products$/)).toBe(0);
  });

  it('checks picklists, lengths, read-only fields and UDF names before sending', async () => {
    const client = clientFor(at);
    at.addUdf('Products', 'Source', { length: 10 });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...product(1), periodType: 42 }, 'periodType'],
      [{ ...product(1), name: 'x'.repeat(101) }, 'name'],
      [{ ...product(1), createdTime: '2026-01-01T00:00:00Z' }, 'createdTime'],
      [{ ...product(1), userDefinedFields: [{ name: 'Nope', value: 'x' }] }, 'userDefinedFields.Nope'],
      [{ ...product(1), userDefinedFields: [{ name: 'Source', value: 'x'.repeat(11) }] }, 'userDefinedFields.Source'],
    ];
    for (const [body, field] of bad) {
      const err = await caught(client.products.create(body));
      expect(err).toMatchObject({ kind: 'validation', field });
    }
    expect(requestCount(at, /^POST \/V1\.0\/Products$/)).toBe(0);
  });

  it('lets the simulator enforce required fields with HTTP 500 {"errors":[...]} when checks are off', async () => {
    const client = clientFor(at, { checkWrites: false });
    const { name: _omit, ...noName } = product(1);
    const err = await caught(client.products.create(noName));
    expect(err).toMatchObject({ kind: 'validation', status: 500 });
    expect(err.details[0]).toContain('name');
  });

  it('writes children through the parent path and reads them at their root', async () => {
    const client = clientFor(at);
    const vendor = REFS.vendor;
    const [location] = at.seed('InventoryLocations', [{ locationName: 'Main', isActive: true }]);
    const productId = await client.products.create(product(1));
    const pvId = await client.productVendors.create(productId, { vendorID: vendor, isDefault: true, isActive: true, vendorPartNumber: 'VP-1' });
    expect((await client.productVendors.forParent(productId)).map((v) => v.id)).toEqual([pvId]);
    await client.productVendors.update(productId, { id: pvId, vendorCost: 12.5 });
    expect((await client.productVendors.get(pvId))?.vendorCost).toBe(12.5);
    expect(requestCount(at, /^POST \/V1\.0\/Products\/\{parentId\}\/Vendors$/)).toBe(1);

    const poId = await client.purchaseOrders.create({ vendorID: vendor, status: 1, shipToName: 'HQ', shipToAddress1: '1 Main St' });
    const itemId = await client.purchaseOrderItems.create(poId, { productID: productId, quantity: 5, unitCost: 10, inventoryLocationID: location });
    await client.purchaseOrderItemReceiving.create(itemId, { quantityNowReceiving: 2 });
    expect((await client.purchaseOrders.get(poId))?.status).toBe(3);
    await client.purchaseOrderItemReceiving.create(itemId, { quantityNowReceiving: 3 });
    expect((await client.purchaseOrders.get(poId))?.status).toBe(4);
    const receipts = await client.purchaseOrderItemReceiving.forParent(itemId);
    expect(receipts.map((r) => r.quantityPreviouslyReceived)).toEqual([0, 2]);
  });

  it('adjusts contract service units through Contracts/{id}/ServiceAdjustments', async () => {
    const client = clientFor(at);
    const [company] = at.seed('Companies', [{ companyName: 'Customer', companyType: 1, phone: '1', ownerResourceID: REFS.resource }]);
    const serviceId = await client.services.create({ name: 'M365 E3', unitPrice: 30, periodType: 2, billingCodeID: REFS.serviceCode });
    const contractId = await client.contracts.create({
      companyID: company, contractName: 'Cloud', contractType: 7, contractPeriodType: 2, status: 1, startDate: '2026-01-01', endDate: '2026-12-31', timeReportingRequiresStartAndStopTimes: 0,
    });
    await client.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: 10, effectiveDate: '2026-02-01T00:00:00Z' });
    await client.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: -3, effectiveDate: '2026-03-01T00:00:00Z' });
    const services = await client.contractServices.forParent(contractId);
    expect(services).toHaveLength(1);
    // Units per period, split at each adjustment's effective date: 10 in February, 7 from March.
    const on = async (date: string) => (await client.contractServiceUnits.query([f.eq('contractServiceID', services[0].id), f.lte('startDate', date), f.gte('endDate', date)])).items.map((u) => u.units);
    expect(await on('2026-02-15')).toEqual([10]);
    expect(await on('2026-03-15T12:00:00+02:00')).toEqual([7]);
  });

  it('creates quote items and contacts through their parents', async () => {
    const client = clientFor(at);
    const [company] = at.seed('Companies', [{ companyName: 'Customer', companyType: 1, phone: '1', ownerResourceID: REFS.resource }]);
    const contactId = await client.contacts.create(company, { firstName: 'Ada', lastName: 'Lovelace', isActive: 1, emailAddress: 'ada@example.com' });
    expect((await client.contacts.get(contactId))?.companyID).toBe(company);
    const oppId = await client.opportunities.create({
      companyID: company, amount: 100, cost: 50, ownerResourceID: REFS.resource, probability: 50, projectedCloseDate: '2026-06-01T00:00:00Z', stage: 1, status: 1, title: 'Deal', useQuoteTotals: true,
    });
    const quoteId = await client.quotes.create({ name: 'Q', opportunityID: oppId, effectiveDate: '2026-01-01T00:00:00Z', expirationDate: '2026-02-01T00:00:00Z', billToLocationID: 1, shipToLocationID: 1, soldToLocationID: 1 });
    const qi = await client.quoteItems.create(quoteId, { quantity: 2, quoteItemType: 1, isOptional: false, lineDiscount: 0, percentageDiscount: 0, unitDiscount: 0, unitPrice: 10 });
    expect((await client.quoteItems.forParent(quoteId)).map((x) => x.id)).toEqual([qi]);
  });

  it('adds a UDF definition at runtime and writes values to it', async () => {
    const client = clientFor(at);
    await client.metadata.userDefinedFields('Products');
    const udfId = await client.createUdfDefinition({ entity: 'Products', name: 'Distributor SKU' });
    expect(udfId).toBeGreaterThan(0);
    expect((await client.metadata.userDefinedFields('Products')).map((x) => x.name)).toEqual(['Distributor SKU']);
    const id = await client.products.create({ ...product(1), userDefinedFields: [{ name: 'Distributor SKU', value: 'TD-123' }] });
    expect((await client.products.query(f.udf.eq('Distributor SKU', 'td-123'))).items.map((p) => p.id)).toEqual([id]);
    const err = await caught(client.createUdfDefinition({ entity: 'Products', name: 'Distributor SKU' }));
    expect(err.kind).toBe('validation');
  });

  it('finds the API user\'s resource by email', async () => {
    const client = clientFor(at);
    const page = await client.resources.query(f.eq('email', USER.resourceEmail));
    expect(page.items).toHaveLength(1);
    expect(await client.thresholdInformation()).toMatchObject({ externalRequestThreshold: 10_000 });
  });
});
