// The facts cache (src/subscriptions/facts-cache.ts): companies, services and contracts read once per
// TTL, bounded (least recently used goes), never absence or failures, `fresh` reads that always go to
// Autotask and refresh the entry, writes through the client forget the record — and units and contract
// services never cached (counted on the Autotask simulator).
import { describe, expect, it } from '@jest/globals';
import { checkCompany, checkService, contractFacts, serviceFacts, serviceState, serviceUnitRows } from '../../src/subscriptions/autotask';
import { FactsCache, factsCacheOf } from '../../src/subscriptions/facts-cache';
import { testDatabases } from '../helpers/db';
import { event, insertTask, makeCompany, makeContract, makeService, mapCustomerAndProduct, SCOPE, setUpContracts, SETUP_MS, V, type ContractSetup } from './contracts-fixture';

/** A loader that counts its calls and answers what `next` says. */
function loader<T>(next: () => T | null | Promise<T | null>) {
  const l = { calls: 0, load: async () => { l.calls++; return next(); } };
  return l;
}

describe('FactsCache', () => {
  it('reads once per TTL, shares a read in flight, and reads again when the entry is older than the TTL', async () => {
    let now = 1_000;
    const cache = new FactsCache({ ttlMs: 60_000, now: () => now });
    let version = 1;
    const l = loader(() => ({ id: 7, version }));
    const [a, b] = await Promise.all([cache.read('company', 7, l.load), cache.read('company', 7, l.load)]);
    expect(l.calls).toBe(1);
    expect(a).toBe(b);
    version = 2;
    now += 59_999;
    expect(await cache.read('company', 7, l.load)).toEqual({ id: 7, version: 1 });
    now += 1;
    expect(await cache.read('company', 7, l.load)).toEqual({ id: 7, version: 2 });
    expect(l.calls).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, fresh: 0, size: 1 });
  });

  it('keys by kind and id', async () => {
    const cache = new FactsCache();
    const l = loader(() => ({ id: 1 }));
    await cache.read('company', 1, l.load);
    await cache.read('service', 1, l.load);
    await cache.read('contract', 1, l.load);
    await cache.read('contract', 2, l.load);
    expect(l.calls).toBe(4);
  });

  it('a fresh read always loads and refreshes the entry the next cached read takes', async () => {
    const cache = new FactsCache();
    let active = true;
    const l = loader(() => ({ id: 3, active }));
    await cache.read('service', 3, l.load);
    active = false;
    expect(await cache.read('service', 3, l.load)).toEqual({ id: 3, active: true });
    expect(await cache.read('service', 3, l.load, 'fresh')).toEqual({ id: 3, active: false });
    expect(await cache.read('service', 3, l.load)).toEqual({ id: 3, active: false });
    expect(l.calls).toBe(2);
    expect(cache.stats()).toMatchObject({ fresh: 1, hits: 2 });
  });

  it('a fresh read shares a read still in flight, never an answered one', async () => {
    const cache = new FactsCache();
    let answer!: (v: { id: number; v: number }) => void;
    const slow = loader(() => new Promise<{ id: number; v: number }>((resolve) => (answer = resolve)));
    const first = cache.read('company', 4, slow.load);
    const second = cache.read('company', 4, slow.load, 'fresh');
    answer({ id: 4, v: 1 });
    expect(await second).toBe(await first);
    expect(slow.calls).toBe(1);
    const l = loader(() => ({ id: 4, v: 2 }));
    expect(await cache.read('company', 4, l.load, 'fresh')).toEqual({ id: 4, v: 2 });
    expect(l.calls).toBe(1);
  });

  it('never keeps absence or a failed read', async () => {
    const cache = new FactsCache();
    let answer: 'none' | 'fail' | 'found' = 'none';
    const l = loader(() => {
      if (answer === 'fail') throw new Error('Autotask GET Contracts/9: 500');
      return answer === 'none' ? null : { id: 9 };
    });
    expect(await cache.read('contract', 9, l.load)).toBeNull();
    answer = 'fail';
    await expect(cache.read('contract', 9, l.load)).rejects.toThrow(/500/);
    answer = 'found';
    expect(await cache.read('contract', 9, l.load)).toEqual({ id: 9 });
    expect(await cache.read('contract', 9, l.load)).toEqual({ id: 9 });
    expect(l.calls).toBe(3);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new FactsCache({ maxEntries: 2 });
    const l = loader(() => ({ id: 0 }));
    await cache.read('company', 1, l.load);
    await cache.read('company', 2, l.load);
    await cache.read('company', 1, l.load); // 1 used last: 2 goes next
    await cache.read('company', 3, l.load);
    expect(cache.stats().size).toBe(2);
    expect(l.calls).toBe(3);
    await cache.read('company', 1, l.load);
    await cache.read('company', 3, l.load);
    expect(l.calls).toBe(3);
    await cache.read('company', 2, l.load);
    expect(l.calls).toBe(4);
  });

  it('forgets a record, and a primed record is read from the cache', async () => {
    const cache = new FactsCache();
    const l = loader(() => ({ id: 5, name: 'loaded' }));
    cache.prime('contract', 5, { id: 5, name: 'primed' });
    expect(await cache.read('contract', 5, l.load)).toEqual({ id: 5, name: 'primed' });
    cache.forget('contract', 5);
    expect(await cache.read('contract', 5, l.load)).toEqual({ id: 5, name: 'loaded' });
    expect(l.calls).toBe(1);
  });
});

describe('Autotask facts through the cache (simulator)', () => {
  const [pglite] = testDatabases();
  let t: ContractSetup;
  let serviceId: number;
  let n = 0;

  beforeAll(async () => {
    t = await setUpContracts(pglite);
    serviceId = await makeService(t, 'Microsoft 365 Business Basic', 6, 4.2);
    await mapCustomerAndProduct(t, serviceId);
  }, SETUP_MS);
  afterAll(() => t.stop(), SETUP_MS);
  beforeEach(() => factsCacheOf(t.autotask).clear());
  afterEach(() => expect(t.sandbox.takeViolations()).toEqual([]));

  const requests = (op: string) => t.sandbox.autotask.sim.counts.get(`${op.split(' ')[0]} ${V.replace('/atservicesrest', '')}/${op.split(' ')[1]}`) ?? 0;
  /** Requests of each operation made while `run` ran. */
  async function counted(ops: string[], run: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = ops.map(requests);
    await run();
    return Object.fromEntries(ops.map((op, i) => [op, requests(op) - before[i]]));
  }

  it('reads a contract, its company and a service once for repeated facts, and a fresh check always', async () => {
    const companyId = await makeCompany(t);
    const contractId = await makeContract(t, { companyID: companyId });
    const ops = ['GET Contracts/{id}', 'GET Companies/{id}', 'GET Services/{id}'];
    expect(await counted(ops, async () => {
      for (let i = 0; i < 3; i++) {
        expect(await contractFacts(t.autotask, contractId)).toMatchObject({ id: contractId, companyId, active: true });
        expect(await serviceFacts(t.autotask, serviceId)).toMatchObject({ id: serviceId, unitPrice: 6 });
      }
    })).toEqual({ 'GET Contracts/{id}': 1, 'GET Companies/{id}': 1, 'GET Services/{id}': 1 });

    // The checks read Autotask every time: a company made inactive there is seen at once, and so are the facts after it.
    t.sandbox.autotask.store.get('Companies', companyId)!.isActive = false;
    t.sandbox.autotask.store.get('Services', serviceId)!.unitPrice = 7;
    expect(await counted(ops, async () => {
      expect((await checkCompany(t.autotask, companyId)).problem).toMatch(new RegExp(`company ${companyId} .*is inactive`));
      expect(await checkService(t.autotask, serviceId)).toEqual({ problem: null, name: 'Microsoft 365 Business Basic' });
      expect(await serviceFacts(t.autotask, serviceId)).toMatchObject({ unitPrice: 7 });
    })).toEqual({ 'GET Contracts/{id}': 0, 'GET Companies/{id}': 1, 'GET Services/{id}': 1 });
    t.sandbox.autotask.store.get('Companies', companyId)!.isActive = true;
    expect((await checkCompany(t.autotask, companyId)).problem).toBeNull();

    // A fresh contract read sees a contract closed in Autotask; a deleted one is null, and absence is not kept.
    t.sandbox.autotask.store.get('Contracts', contractId)!.status = 0;
    expect(await contractFacts(t.autotask, contractId)).toMatchObject({ active: true });
    expect(await contractFacts(t.autotask, contractId, 'fresh')).toMatchObject({ active: false });
    expect(await contractFacts(t.autotask, contractId)).toMatchObject({ active: false });
    expect(await counted(['GET Contracts/{id}'], async () => {
      expect(await contractFacts(t.autotask, 987_654)).toBeNull();
      expect(await contractFacts(t.autotask, 987_654)).toBeNull();
    })).toEqual({ 'GET Contracts/{id}': 2 });
  });

  it('forgets a record the same client writes', async () => {
    const contractId = await makeContract(t);
    expect(await contractFacts(t.autotask, contractId)).toMatchObject({ active: true, name: 'Cloud services' });
    await t.autotask.contracts.update({ id: contractId, contractName: 'Cloud services 2026' });
    expect(await contractFacts(t.autotask, contractId)).toMatchObject({ name: 'Cloud services 2026' });
    await t.autotask.services.update({ id: serviceId, unitPrice: 6.5 });
    expect(await serviceFacts(t.autotask, serviceId)).toMatchObject({ unitPrice: 6.5 });
    await t.autotask.services.update({ id: serviceId, unitPrice: 6 });
  });

  it('never caches units or contract services: each state read asks Autotask', async () => {
    const contractId = await makeContract(t);
    await t.autotask.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: 4, effectiveDate: '2026-01-01T00:00:00.000' });
    const ops = ['POST ContractServiceUnits/query', 'POST ContractServices/query'];
    const first = await counted(ops, async () => {
      expect((await serviceState(t.autotask, contractId, serviceId, '2026-02-10')).units).toBe(4);
    });
    await t.autotask.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: 3, effectiveDate: '2026-02-01T00:00:00.000' });
    const second = await counted(ops, async () => {
      expect((await serviceState(t.autotask, contractId, serviceId, '2026-02-10')).units).toBe(7);
      // One row per monthly billing period: 4 in January, 7 from February on.
      expect((await serviceUnitRows(t.autotask, contractId, serviceId)).map((r) => r.units)).toEqual([4, ...Array(11).fill(7)]);
    });
    expect(first['POST ContractServiceUnits/query']).toBeGreaterThan(0);
    expect(second['POST ContractServiceUnits/query']).toBe(2 * first['POST ContractServiceUnits/query']);
    expect(second['POST ContractServices/query']).toBe(first['POST ContractServices/query']);
  });

  it('a task planned twice reads its contract, company and service once, its units each time', async () => {
    const contractId = await makeContract(t);
    const taskId = await insertTask(t, event({ id: `cache-task-${++n}`, subscriptionId: `cache-sub-${n}`, effectiveDate: '2026-03-05', quantityAfter: 5 }), contractId);
    const ops = ['GET Contracts/{id}', 'GET Companies/{id}', 'GET Services/{id}', 'POST ContractServiceUnits/query'];
    const counts = await counted(ops, async () => {
      const a = await t.activities.planSyncTask({ ...SCOPE, taskId });
      const b = await t.activities.planSyncTask({ ...SCOPE, taskId });
      expect(b).toEqual(a);
      expect(a.newQuantity).toBe(5);
    });
    expect(counts).toMatchObject({ 'GET Contracts/{id}': 1, 'GET Companies/{id}': 1, 'GET Services/{id}': 1 });
    expect(counts['POST ContractServiceUnits/query']).toBeGreaterThanOrEqual(2);
  });
});
