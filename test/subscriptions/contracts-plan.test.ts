// planSyncTask reads the contract, the service and ContractServiceUnits and stores the plan; applySyncTask
// then writes exactly what the plan lists. Seed 004's rules end to end: higher now, lower from the next
// billing period, cancellation to zero plus the mapped fee, usage as one charge per subscription and period.
import { describe, expect, it } from '@jest/globals';
import { f } from '../../src/autotask/query';
import type { TaskPlan } from '../../src/subscriptions/types';
import { testDatabases } from '../helpers/db';
import {
  adjustmentsSent, event, insertTask, makeContract, makeService, mapCustomerAndProduct, SCOPE, setUpContracts, SETUP_MS, unitsOn, type ContractSetup,
} from './contracts-fixture';

describe.each(testDatabases())('planSyncTask and applySyncTask on $driver', (driver) => {
  let t: ContractSetup;
  let serviceId: number;
  let contractId: number;
  let n = 0;

  beforeAll(async () => {
    t = await setUpContracts(driver);
    serviceId = await makeService(t, 'Microsoft 365 Business Basic', 6, 4.2);
    await mapCustomerAndProduct(t, serviceId);
  }, SETUP_MS);
  afterAll(() => t.stop(), SETUP_MS);
  beforeEach(async () => {
    contractId = await makeContract(t);
  });
  afterEach(() => expect(t.sandbox.takeViolations()).toEqual([]));

  /** Units already on the contract from its start (as an earlier sync or an operator left them). */
  const existing = (units: number) => t.autotask.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: units, effectiveDate: '2026-01-01T00:00:00.000' });
  const task = (e: Partial<Parameters<typeof event>[0]> & { effectiveDate: string; subscriptionId: string }) => insertTask(t, event({ id: `task-${++n}`, ...e }), contractId);
  const plan = (taskId: string) => t.activities.planSyncTask({ ...SCOPE, taskId });
  const apply = (taskId: string) => t.activities.applySyncTask({ ...SCOPE, taskId });

  /** Every adjustment of the plan is in ContractServiceUnits: its row starts on its date with the units it makes. */
  async function expectWritten(p: TaskPlan) {
    for (const w of p.writes) {
      if (w.kind !== 'adjustment') continue;
      expect(await unitsOn(t, w.contractId, w.serviceId, w.effectiveDate)).toBe(w.unitsBefore + w.unitChange);
    }
  }

  it('plans from the units Autotask has and writes what the plan lists: higher now, lower from the next period', async () => {
    await existing(10);
    const up = await task({ subscriptionId: 'sub-1', effectiveDate: '2026-03-12', quantityBefore: 10, quantityAfter: 15 });
    const upPlan = await plan(up);
    expect(upPlan).toMatchObject({ contractId, serviceId, currentQuantity: 10, newQuantity: 15 });
    expect(upPlan.writes.length).toBeGreaterThan(0);
    expect((await t.store.task(SCOPE, up)).plan).toEqual(upPlan);
    expect(adjustmentsSent(t, contractId)).toBe(1); // planning writes nothing
    expect(await apply(up)).toEqual({ sent: upPlan.writes.length, confirmed: 0, alreadyDone: 0 });
    await expectWritten(upPlan);
    expect([await unitsOn(t, contractId, serviceId, '2026-03-11'), await unitsOn(t, contractId, serviceId, '2026-03-12')]).toEqual([10, 15]);

    const down = await task({ subscriptionId: 'sub-1', effectiveDate: '2026-03-20', quantityBefore: 15, quantityAfter: 12 });
    const downPlan = await plan(down);
    expect(downPlan).toMatchObject({ currentQuantity: 15, newQuantity: 12 });
    await apply(down);
    await expectWritten(downPlan);
    expect([await unitsOn(t, contractId, serviceId, '2026-03-31'), await unitsOn(t, contractId, serviceId, '2026-04-01')]).toEqual([15, 12]);

    // Planning a task again after its writes keeps its plan (a fresh one would see its own change and differ).
    expect(await plan(up)).toEqual(upPlan);
    expect(await apply(up)).toEqual({ sent: 0, confirmed: 0, alreadyDone: upPlan.writes.length });
  });

  it('a cancellation with an unmapped fee waits for the mapping; mapped, units go to zero from the next period and the fee is charged', async () => {
    await existing(8);
    const cancel = await task({ type: 'cancellation', vendorType: 'cancellation', subscriptionId: 'sub-2', effectiveDate: '2026-03-15', quantityBefore: 8, quantityAfter: 0, cancellationFee: { amount: 25, description: 'Early termination fee' } });
    await expect(plan(cancel)).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(/^fee: /) });
    const [feeCode] = t.sandbox.autotask.seed('BillingCodes', [{ name: 'Fees', useType: 2, isActive: true }]);
    await t.store.saveFeeMapping({ ...SCOPE, feeKey: 'cancellation', billingCodeId: feeCode, chargeName: 'Early termination' });

    const p = await plan(cancel);
    expect(p.writes.map((w) => w.kind).sort()).toEqual(['adjustment', 'charge']);
    expect(await apply(cancel)).toEqual({ sent: 2, confirmed: 0, alreadyDone: 0 });
    await expectWritten(p);
    expect([await unitsOn(t, contractId, serviceId, '2026-03-31'), await unitsOn(t, contractId, serviceId, '2026-04-01')]).toEqual([8, 0]);
    const charges = (await t.autotask.contractCharges.query(f.eq('contractID', contractId))).items;
    expect(charges.map((c) => [c.name, c.unitQuantity, c.unitPrice, c.billingCodeID])).toEqual([['Early termination', 1, 25, feeCode]]);
  });

  it('refuses a date outside the contract before anything is written', async () => {
    const late = await task({ subscriptionId: 'sub-3', effectiveDate: '2027-02-01', quantityAfter: 3 });
    await expect(plan(late)).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(/outside/) });
    expect((await t.store.task(SCOPE, late)).plan).toBeNull();
    expect(adjustmentsSent(t, contractId)).toBe(0);
  });

  it('posts usage as one contract charge per subscription and period, whichever task carries it', async () => {
    const usage = { type: 'billing' as const, vendorType: 'rated_data', subscriptionId: 'sub-4', effectiveDate: '2026-03-01', period: { from: '2026-03-01', to: '2026-03-31' }, usage: { quantity: 500, amount: 22, cost: 18.7 } };
    const first = await task(usage);
    const p = await plan(first);
    expect(p.writes).toEqual([expect.objectContaining({ kind: 'charge', quantity: 500, period: '2026-03-01..2026-03-31' })]);
    expect(await apply(first)).toEqual({ sent: 1, confirmed: 0, alreadyDone: 0 });
    // The same billing record read again under another task: same key, nothing new.
    const again = await task(usage);
    await plan(again);
    expect(await apply(again)).toEqual({ sent: 0, confirmed: 0, alreadyDone: 1 });
    expect((await t.autotask.contractCharges.query(f.eq('contractID', contractId))).items).toHaveLength(1);
  });
});
