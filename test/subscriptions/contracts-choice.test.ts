// Which contract a subscription goes to (seed 004): same billing cycle and same currency, else refused
// with the reason; several subscriptions may share a contract, one subscription never spans two.
// Currency: contracts carry none, the company's currencyID (Currencies) decides.
import { describe, expect, it } from '@jest/globals';
import { testDatabases } from '../helpers/db';
import { event, insertTask, makeCompany, makeContract, makeService, mapCustomerAndProduct, multiCurrency, SCOPE, setUpContracts, SETUP_MS, type ContractSetup } from './contracts-fixture';
import { companyContracts, contractFacts } from '../../src/subscriptions/autotask';
import type { TaskEvent } from '../../src/subscriptions/types';

const YEARLY = 5; // the simulator's contractPeriodType value labelled "Yearly"

describe.each(testDatabases())('contract choice on $driver', (driver) => {
  let t: ContractSetup;
  let serviceId: number;
  let currency: Record<'EUR' | 'GBP', number>;
  let n = 0;

  beforeAll(async () => {
    t = await setUpContracts(driver);
    currency = multiCurrency(t);
    serviceId = await makeService(t);
  }, SETUP_MS);
  afterAll(() => t.stop(), SETUP_MS);
  afterEach(() => expect(t.sandbox.takeViolations()).toEqual([]));

  /** A company billed in `ccy`, its customer mapped, and a task for a new subscription of it (monthly, GBP unless told). */
  async function customer(ccy: 'EUR' | 'GBP' = 'GBP') {
    const companyId = await makeCompany(t, currency[ccy]);
    const customerId = `cust-${++n}`;
    await mapCustomerAndProduct(t, serviceId, customerId, 'prod-1', companyId);
    const task = async (subscriptionId: string, extra: Partial<TaskEvent> = {}) =>
      insertTask(t, event({ id: `order-${subscriptionId}-${++n}`, subscriptionId, customerId, effectiveDate: '2026-03-10', ...extra }));
    return { companyId, customerId, task };
  }
  const resolve = (taskId: string, companyId: number, auto = true) => t.activities.resolveTaskContract({ ...SCOPE, taskId, companyId, serviceId, auto });

  it('reads a contract\'s facts: period from the picklist label, the company\'s currency, In Effect + Recurring Service = active', async () => {
    const { companyId } = await customer('EUR');
    const monthly = await makeContract(t, { companyID: companyId });
    const yearly = await makeContract(t, { companyID: companyId, contractPeriodType: YEARLY, status: 0 });
    expect(await contractFacts(t.autotask, monthly)).toEqual({
      id: monthly, name: 'Cloud services', companyId, startDate: '2026-01-01', endDate: '2026-12-31', periodMonths: 1, currency: 'EUR', active: true,
    });
    expect(await contractFacts(t.autotask, yearly)).toMatchObject({ periodMonths: 12, currency: 'EUR', active: false });
    expect((await companyContracts(t.autotask, companyId)).map((c) => c.id).sort()).toEqual([monthly, yearly].sort());
    expect(await contractFacts(t.autotask, 999_999)).toBeNull();
  });

  it('ties the only fitting contract automatically, and several subscriptions share it', async () => {
    const { companyId, task } = await customer();
    const contractId = await makeContract(t, { companyID: companyId });
    const first = await resolve(await task('sub-a'), companyId);
    expect(first).toMatchObject({ contractId, reason: null, permanent: false });
    expect(first.candidates).toEqual([{ id: contractId, name: 'Cloud services', problems: [] }]);
    // Another product of the same customer goes to the same contract, as its own contract service.
    const other = await makeService(t, 'Keeper Business', 3.1, 2.6);
    await t.store.saveProductMapping({ ...SCOPE, marketplaceProductId: 'prod-2', marketplaceName: 'Keeper', serviceId: other, serviceName: 'Keeper Business', mappedBy: 'operator' });
    const second = await task('sub-b', { productId: 'prod-2', planId: 'prod-2' });
    expect(await t.activities.resolveTaskContract({ ...SCOPE, taskId: second, companyId, serviceId: other, auto: true })).toMatchObject({ contractId });
    expect((await t.store.subscriptionContracts(SCOPE)).filter((r) => r.contractId === contractId).map((r) => [r.subscriptionId, r.serviceId]).sort()).toEqual([['sub-a', serviceId], ['sub-b', other]]);

    // A second subscription of the same product would share sub-a's contract service: refused with the reason.
    const same = await resolve(await task('sub-c2'), companyId);
    expect(same).toMatchObject({ contractId: null });
    expect(same.candidates[0].problems).toEqual([expect.stringMatching(/subscription sub-a is already synced to service .* one contract service per subscription/)]);
  });

  it('refuses a contract of another billing cycle, saying why, automatically and when an operator chooses it', async () => {
    const { companyId, task } = await customer();
    const yearly = await makeContract(t, { companyID: companyId, contractPeriodType: YEARLY });
    const taskId = await task('sub-c');
    const r = await resolve(taskId, companyId);
    expect(r.contractId).toBeNull();
    expect(r.permanent).toBe(false);
    expect(r.candidates).toEqual([{ id: yearly, name: 'Cloud services', problems: [expect.stringMatching(/billing cycle/)] }]);
    expect(r.reason).toMatch(/None of company .* can take this subscription \(monthly, GBP\)/);
    await expect(t.activities.chooseTaskContract({ ...SCOPE, taskId, contractId: yearly, by: 'test' })).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(/billing cycle/) });
    expect(await t.store.subscriptionContract(SCOPE, 'sub-c')).toBeUndefined();

    // An annual subscription fits the yearly contract.
    const annual = await task('sub-d', { billingCycle: 'annual' });
    expect(await resolve(annual, companyId)).toMatchObject({ contractId: yearly });
  });

  it("refuses a contract whose company bills in another currency than the subscription's", async () => {
    const { companyId, task } = await customer('EUR');
    const contractId = await makeContract(t, { companyID: companyId });
    const taskId = await task('sub-e');
    const r = await resolve(taskId, companyId);
    expect(r.contractId).toBeNull();
    expect(r.candidates[0].problems).toEqual([expect.stringMatching(/currency mismatch: the subscription is in GBP, .* in EUR/)]);
    await expect(t.activities.chooseTaskContract({ ...SCOPE, taskId, contractId, by: 'test' })).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(/currency/) });
    const euro = await task('sub-f', { currency: 'EUR' });
    expect(await resolve(euro, companyId)).toMatchObject({ contractId });
  });

  it('waits for the operator when several contracts fit or automatic processing is off, and takes the choice', async () => {
    const { companyId, task } = await customer();
    const [a, b] = [await makeContract(t, { companyID: companyId }), await makeContract(t, { companyID: companyId, contractName: 'Second' })];
    const taskId = await task('sub-g');
    const r = await resolve(taskId, companyId);
    expect(r).toMatchObject({ contractId: null, permanent: false });
    expect(r.candidates.map((c) => [c.id, c.problems])).toEqual([[a, []], [b, []]]);
    expect(r.reason).toMatch(/2 contracts fit.*choose-contract/);
    expect(await t.activities.chooseTaskContract({ ...SCOPE, taskId, contractId: b, by: 'operator' })).toEqual({ contractId: b, problems: [] });
    expect(await t.store.subscriptionContract(SCOPE, 'sub-g')).toMatchObject({ contractId: b, serviceId });
    expect((await t.store.task(SCOPE, taskId)).contractId).toBe(b);

    const { companyId: single, task: task2 } = await customer();
    await makeContract(t, { companyID: single });
    expect(await resolve(await task2('sub-h'), single, false)).toMatchObject({ contractId: null, reason: expect.stringMatching(/fits: confirm it/) });
  });

  it('a subscription synced to one contract refuses another, and follows its own contract in later tasks', async () => {
    const { companyId, task } = await customer();
    const [a, b] = [await makeContract(t, { companyID: companyId }), await makeContract(t, { companyID: companyId })];
    const first = await task('sub-i');
    await t.activities.chooseTaskContract({ ...SCOPE, taskId: first, contractId: a, by: 'operator' });
    const later = await task('sub-i', { effectiveDate: '2026-04-02' });
    await expect(t.activities.chooseTaskContract({ ...SCOPE, taskId: later, contractId: b, by: 'operator' })).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(new RegExp(`already synced to contract ${a}`)) });
    expect(await resolve(later, companyId)).toMatchObject({ contractId: a, reason: null });
  });

  it("is a permanent error when the subscription's contract can no longer take it, and refuses another company's contract", async () => {
    const { companyId, task } = await customer();
    const contractId = await makeContract(t, { companyID: companyId });
    expect(await resolve(await task('sub-j'), companyId)).toMatchObject({ contractId });
    await t.autotask.contracts.update({ id: contractId, status: 0 });
    const r = await resolve(await task('sub-j', { effectiveDate: '2026-05-01' }), companyId);
    expect(r).toMatchObject({ contractId: null, permanent: true, reason: expect.stringMatching(/synced to contract .* cannot take this change: .*not an active/) });

    const other = await customer();
    const foreign = await makeContract(t, { companyID: companyId });
    await expect(t.activities.chooseTaskContract({ ...SCOPE, taskId: await other.task('sub-k'), contractId: foreign, by: 'operator' })).rejects.toMatchObject({ message: expect.stringMatching(/belongs to company/) });
  });
});
