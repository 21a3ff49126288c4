// Exactly-once writes of a sync task: intents recorded before sending, a lost answer confirmed from
// ContractServiceUnits (adjustments) or by the key a charge carries, never sent twice; a second apply
// sends nothing. Activities called directly against the Autotask and CloudBlue simulators.
import { describe, expect, it } from '@jest/globals';
import { MockActivityEnvironment } from '@temporalio/testing';
import { f } from '../../src/autotask/query';
import { contractFacts } from '../../src/subscriptions/autotask';
import { testDatabases } from '../helpers/db';
import {
  adjustment, adjustmentsSent, charge, clearFaults, event, insertTask, makeContract, makeService, mapCustomerAndProduct, SCOPE, setUpContracts, SETUP_MS, storePlan, unitsOn, V,
  type ContractSetup,
} from './contracts-fixture';

describe.each(testDatabases())('applySyncTask on $driver', (driver) => {
  let t: ContractSetup;
  let contractId: number;
  let serviceId: number;

  // One sandbox and database per driver; every test works on its own contract and subscription.
  beforeAll(async () => {
    t = await setUpContracts(driver);
    serviceId = await makeService(t);
    await mapCustomerAndProduct(t, serviceId);
  }, SETUP_MS);
  afterAll(() => t.stop(), SETUP_MS);
  beforeEach(async () => {
    clearFaults(t);
    contractId = await makeContract(t);
  });
  afterEach(() => expect(t.sandbox.takeViolations()).toEqual([]));

  const postCount = (path: RegExp) => [...t.sandbox.autotask.sim.counts].filter(([k]) => /^POST /.test(k) && path.test(k)).reduce((n, [, v]) => n + v, 0);

  it('writes every planned adjustment and charge once, ties the subscription, and a second apply sends nothing', async () => {
    const taskId = await insertTask(t, event({ id: 'order-1', subscriptionId: 'sub-1', effectiveDate: '2026-03-01' }));
    const writes = [adjustment(taskId, contractId, serviceId, '2026-03-01', 10, 0, 6), adjustment(taskId, contractId, serviceId, '2026-04-01', -3, 10), charge(taskId, contractId, '2026-03-01', 2, 1.5)];
    await storePlan(t, taskId, contractId, serviceId, writes);

    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 3, confirmed: 0, alreadyDone: 0 });
    expect(adjustmentsSent(t, contractId)).toBe(2);
    expect(await unitsOn(t, contractId, serviceId, '2026-03-15')).toBe(10);
    expect(await unitsOn(t, contractId, serviceId, '2026-04-15')).toBe(7);
    const charges = await t.autotask.contractCharges.query(f.eq('contractID', contractId));
    expect(charges.items.map((c) => [c.internalPurchaseOrderNumber, c.unitQuantity, c.unitPrice])).toEqual([[writes[2].key, 2, 1.5]]);
    expect((await t.store.intents(SCOPE.connectorId, taskId)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    const cs = (await t.autotask.contractServices.query([f.eq('contractID', contractId), f.eq('serviceID', serviceId)])).items[0];
    expect(await t.store.subscriptionContract(SCOPE, 'sub-1')).toMatchObject({ contractId, serviceId, contractServiceId: cs.id });

    const posts = postCount(/ServiceAdjustments|Charges$/);
    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 0, alreadyDone: 3 });
    expect(postCount(/ServiceAdjustments|Charges$/)).toBe(posts);
    expect(adjustmentsSent(t, contractId)).toBe(2);
  });

  it('confirms an adjustment whose answer was lost from ContractServiceUnits instead of sending it again', async () => {
    const taskId = await insertTask(t, event({ id: 'order-2', subscriptionId: 'sub-2', effectiveDate: '2026-03-12' }));
    await storePlan(t, taskId, contractId, serviceId, [adjustment(taskId, contractId, serviceId, '2026-03-12', 5, 0)]);
    // Autotask creates the adjustment, then the connection drops before the answer arrives.
    t.sandbox.autotask.sim.faults.script.push({ match: `POST ${V}/Contracts/${contractId}/ServiceAdjustments`, action: 'reset', when: 'after' });

    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 1, alreadyDone: 0 });
    expect(t.sandbox.autotask.sim.injected.get('reset-after')).toBe(1);
    expect(adjustmentsSent(t, contractId)).toBe(1);
    expect(await unitsOn(t, contractId, serviceId, '2026-03-20')).toBe(5);
    expect((await t.store.intents(SCOPE.connectorId, taskId))[0]).toMatchObject({ status: 'confirmed', unitChange: 5, unitsBefore: 0 });
    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 0, alreadyDone: 1 });
    expect(adjustmentsSent(t, contractId)).toBe(1);
  });

  it('after a crash between send and record, the next attempt finds what was sent and sends only the rest', async () => {
    const taskId = await insertTask(t, event({ id: 'order-3', subscriptionId: 'sub-3', effectiveDate: '2026-02-01' }));
    const writes = [adjustment(taskId, contractId, serviceId, '2026-02-01', 4, 0), adjustment(taskId, contractId, serviceId, '2026-03-01', -1, 4)];
    await storePlan(t, taskId, contractId, serviceId, writes);
    // The crashed attempt: both intents recorded, the first adjustment reached Autotask, nothing marked.
    await t.store.recordIntents(writes.map((w) => ({ ...SCOPE, taskId, kind: 'adjustment' as const, key: w.key, contractId, serviceId, effectiveDate: w.effectiveDate, unitChange: (w as { unitChange: number }).unitChange, unitsBefore: (w as { unitsBefore: number }).unitsBefore })));
    await t.autotask.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: 4, effectiveDate: '2026-02-01T00:00:00.000' });

    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 1, confirmed: 1, alreadyDone: 0 });
    expect(adjustmentsSent(t, contractId)).toBe(2);
    expect(await unitsOn(t, contractId, serviceId, '2026-02-10')).toBe(4);
    expect(await unitsOn(t, contractId, serviceId, '2026-03-10')).toBe(3);
    expect((await t.store.intents(SCOPE.connectorId, taskId)).map((r) => r.status)).toEqual(['confirmed', 'sent']);
  });

  it('a price-only adjustment (no unit change) sent before a crash is confirmed by the prices of its row', async () => {
    await t.autotask.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: 3, effectiveDate: '2026-01-01T00:00:00.000' });
    const taskId = await insertTask(t, event({ id: 'order-4', subscriptionId: 'sub-4', effectiveDate: '2026-03-05' }));
    const w = adjustment(taskId, contractId, serviceId, '2026-03-05', 0, 3, 7.25);
    await storePlan(t, taskId, contractId, serviceId, [w]);
    await t.store.recordIntents([{ ...SCOPE, taskId, kind: 'adjustment', key: w.key, contractId, serviceId, effectiveDate: '2026-03-05', unitChange: 0, unitsBefore: 3, unitPrice: 7.25 }]);
    // Not sent yet: the next attempt sends it; had it been sent, the row from 2026-03-05 would carry 7.25.
    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 1, confirmed: 0, alreadyDone: 0 });
    const rows = (await t.autotask.contractServiceUnits.query([f.eq('contractID', contractId), f.eq('serviceID', serviceId)])).items;
    expect(rows.find((r) => r.startDate!.startsWith('2026-03-05'))).toMatchObject({ units: 3, price: 7.25 });
    expect(adjustmentsSent(t, contractId)).toBe(2);
  });

  it('confirms a charge whose answer was an error after the write by the key it carries, never posting it twice', async () => {
    const taskId = await insertTask(t, event({ id: 'usage-1', type: 'billing', subscriptionId: 'sub-5', effectiveDate: '2026-03-01' }));
    const w = charge(taskId, contractId, '2026-03-01', 500, 0.044);
    await storePlan(t, taskId, contractId, serviceId, [w]);
    t.sandbox.autotask.sim.faults.script.push({ match: `POST ${V}/Contracts/${contractId}/Charges`, action: { status: 503 }, when: 'after' });

    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 1, alreadyDone: 0 });
    const charges = (await t.autotask.contractCharges.query(f.eq('contractID', contractId))).items;
    expect(charges).toHaveLength(1);
    expect((await t.store.intents(SCOPE.connectorId, taskId))[0]).toMatchObject({ kind: 'charge', status: 'confirmed', autotaskId: charges[0].id });
    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 0, alreadyDone: 1 });
    expect((await t.autotask.contractCharges.query(f.eq('contractID', contractId))).items).toHaveLength(1);
  });

  it('heartbeats its progress after each write when run as an activity', async () => {
    const taskId = await insertTask(t, event({ id: 'order-7', subscriptionId: 'sub-7', effectiveDate: '2026-02-01' }));
    await storePlan(t, taskId, contractId, serviceId, [adjustment(taskId, contractId, serviceId, '2026-02-01', 1, 0), adjustment(taskId, contractId, serviceId, '2026-02-10', 1, 1)]);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(structuredClone(d)));
    expect(await env.run(t.activities.applySyncTask, { ...SCOPE, taskId })).toEqual({ sent: 2, confirmed: 0, alreadyDone: 0 });
    expect(beats).toEqual([{ sent: 1, confirmed: 0, alreadyDone: 0 }, { sent: 2, confirmed: 0, alreadyDone: 0 }]);
  });

  it('a single-currency database (no Currencies beyond one) gives contracts no currency: nothing to compare', async () => {
    expect(await contractFacts(t.autotask, contractId)).toMatchObject({ currency: null, periodMonths: 1, active: true });
  });

  it('a write that failed before reaching Autotask throws (Temporal retries) and the retry sends it once', async () => {
    const taskId = await insertTask(t, event({ id: 'order-6', subscriptionId: 'sub-6', effectiveDate: '2026-03-01' }));
    await storePlan(t, taskId, contractId, serviceId, [adjustment(taskId, contractId, serviceId, '2026-03-01', 2, 0)]);
    t.sandbox.autotask.sim.faults.script.push({ match: `POST ${V}/Contracts/${contractId}/ServiceAdjustments`, action: 'reset', when: 'before' });

    await expect(t.activities.applySyncTask({ ...SCOPE, taskId })).rejects.toMatchObject({ kind: 'outcome_unknown' });
    expect(adjustmentsSent(t, contractId)).toBe(0);
    expect((await t.store.intents(SCOPE.connectorId, taskId))[0].status).toBe('intended');
    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 1, confirmed: 0, alreadyDone: 0 });
    expect(adjustmentsSent(t, contractId)).toBe(1);
  });
});
