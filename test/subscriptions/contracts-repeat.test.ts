// Two subscriptions of the same Autotask service on one contract (issue 13: allowRepeatService) and the
// Subscription Sync settings of a marketplace integration winning over the connector's. Autotask's
// ContractServiceAdjustments take `allowRepeatService` [S]: sent without a contractServiceID it adds the service
// to the contract again. Off (the default) a second subscription is refused with the reason; on, it gets a
// contract service of its own that its tasks plan, write (exactly once) and reconcile apart from the first one's.
// One subscription still never spans several contracts. Activities called directly against the simulators.
import { describe, expect, it } from '@jest/globals';
import { f } from '../../src/autotask/query';
import { mergeSettings } from '../../src/connector/settings';
import { ConnectorStore } from '../../src/connector/store';
import type { MarketplaceAdapter, MarketplaceSubscription } from '../../src/marketplaces/adapter';
import type { Sandbox } from '../../src/sim';
import type { TaskType } from '../../src/subscriptions/types';
import { testDatabases } from '../helpers/db';
import { testKeyRing } from '../helpers/temporal';
import { adjustmentsSent, clearFaults, event, insertTask, makeCompany, makeContract, makeService, SCOPE, setUpContracts, SETUP_MS, V, type ContractSetup } from './contracts-fixture';

const OFFER = 'CFQ7TTC0LH18_P1M';

describe.each(testDatabases())('a service twice on one contract, and the integration\'s own settings, on $driver', (driver) => {
  let t: ContractSetup;
  let marketplace: MarketplaceAdapter;
  let n = 0;

  beforeAll(async () => {
    t = await setUpContracts(driver);
    ({ marketplace } = (await t.clients.marketplace(SCOPE.connectorId, SCOPE.integrationId)) as { marketplace: MarketplaceAdapter });
  }, SETUP_MS);
  afterAll(() => t.stop(), SETUP_MS);
  beforeEach(() => clearFaults(t));
  afterEach(() => expect(t.sandbox.takeViolations()).toEqual([]));

  /** Merges a change into the connector's `subscriptions` settings, as `autotask-bridge settings` does. */
  async function setSubscriptions(change: Record<string, unknown>): Promise<void> {
    const store = new ConnectorStore(t.database, testKeyRing());
    await store.updateSettings(SCOPE.connectorId, mergeSettings((await store.get(SCOPE.connectorId)).settings, { subscriptions: change }));
  }

  /** A CloudBlue customer mapped to a company of its own with one monthly contract, and the offer mapped to a service. */
  async function customer() {
    const cloudblue: Sandbox['cloudblue'] = t.sandbox.cloudblue;
    const c = cloudblue.market.addCustomer({ address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });
    const companyId = await makeCompany(t);
    const contractId = await makeContract(t, { companyID: companyId });
    const serviceId = await makeService(t, `Microsoft 365 Business Basic ${++n}`, 6, 4.2);
    await t.store.saveCustomerMapping({ ...SCOPE, marketplaceCustomerId: c.id, marketplaceName: c.name, companyId, companyName: 'Customer', mappedBy: 'operator' });
    const planId = cloudblue.market.product(OFFER).id;
    await t.store.saveProductMapping({ ...SCOPE, marketplaceProductId: planId, marketplaceName: 'Microsoft 365 Business Basic', serviceId, serviceName: 'Microsoft 365 Business Basic', mappedBy: 'operator' });
    const buy = async (quantity: number, date: string) => (await marketplace.getSubscription(cloudblue.market.purchase(c.id, OFFER, quantity, date).subscription.id))!;
    return { id: c.id, companyId, contractId, serviceId, buy, market: cloudblue.market };
  }
  type Customer = Awaited<ReturnType<typeof customer>>;

  /** A task for the subscription's order (as Check Changes stores it). */
  const task = (c: Customer, sub: MarketplaceSubscription, type: TaskType, date: string, quantityAfter: number) =>
    insertTask(t, event({
      id: `order-${sub.id}-${++n}`, type, vendorType: type, customerId: c.id, subscriptionId: sub.id, productId: sub.productId, planId: sub.planId,
      effectiveDate: date, quantityAfter, unitPrice: 4.9, unitCost: 4.17,
    }));
  const resolve = (c: Customer, taskId: string) => t.activities.resolveTaskContract({ ...SCOPE, taskId, companyId: c.companyId, serviceId: c.serviceId, auto: true });
  /** Contract, plan, apply, synced: what the task workflow does once nothing waits for the operator. */
  async function sync(c: Customer, taskId: string) {
    expect(await resolve(c, taskId)).toMatchObject({ contractId: c.contractId, reason: null });
    const plan = await t.activities.planSyncTask({ ...SCOPE, taskId });
    const applied = await t.activities.applySyncTask({ ...SCOPE, taskId });
    await t.store.updateTask(SCOPE, taskId, { state: 'synced' });
    return { plan, applied };
  }
  const contractServices = async (c: Customer) =>
    (await t.autotask.contractServices.query([f.eq('contractID', c.contractId), f.eq('serviceID', c.serviceId)])).items.map((x) => x.id).sort((a, b) => a - b);
  /** Units of one contract service on a day (its own ContractServiceUnits rows). */
  async function unitsOf(contractServiceId: number, day: string): Promise<number> {
    const rows = (await t.autotask.contractServiceUnits.query([f.eq('contractServiceID', contractServiceId)])).items;
    return rows.filter((r) => r.startDate!.slice(0, 10) <= day).sort((a, b) => a.startDate!.localeCompare(b.startDate!)).pop()?.units ?? 0;
  }
  const tieOf = async (subscriptionId: string) => t.store.subscriptionContract(SCOPE, subscriptionId);

  it('refuses a second subscription of the same service on the contract while repeats are off, saying why and how to allow it', async () => {
    const c = await customer();
    const first = await c.buy(3, '2026-03-02');
    await sync(c, await task(c, first, 'sales', '2026-03-02', 3));
    const second = await c.buy(2, '2026-03-05');
    const secondTask = await task(c, second, 'sales', '2026-03-05', 2);

    const refused = await resolve(c, secondTask);
    expect(refused.contractId).toBeNull();
    expect(refused.candidates[0].problems).toEqual([
      expect.stringMatching(new RegExp(`subscription ${first.id} is already synced to service ${c.serviceId} on contract ${c.contractId}: one contract service per subscription .*--integration cloudblue --subscriptions-allow-repeat-service true`)),
    ]);
    await expect(t.activities.chooseTaskContract({ ...SCOPE, taskId: secondTask, contractId: c.contractId, by: 'operator' })).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(/one contract service per subscription/) });
    // A task that reaches planning anyway (its contract set) is refused there too, and nothing is written.
    const direct = await insertTask(t, event({ id: `order-direct-${second.id}`, type: 'sales', customerId: c.id, subscriptionId: second.id, productId: second.productId, planId: second.planId, effectiveDate: '2026-03-05', quantityAfter: 2 }), c.contractId);
    await expect(t.activities.planSyncTask({ ...SCOPE, taskId: direct })).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(/allow a second one/) });
    expect(await contractServices(c)).toHaveLength(1);
    expect(adjustmentsSent(t, c.contractId)).toBe(1);
  });

  it("with the integration's allowRepeatService (the connector's is off) a second subscription gets a contract service of its own, planned, written and reconciled apart", async () => {
    await setSubscriptions({ allowRepeatService: false, integrations: { [SCOPE.integrationId]: { allowRepeatService: true } } });
    try {
      const c = await customer();
      const first = await c.buy(3, '2026-03-02');
      await sync(c, await task(c, first, 'sales', '2026-03-02', 3));
      const [own] = await contractServices(c);
      expect(await tieOf(first.id)).toMatchObject({ contractId: c.contractId, serviceId: c.serviceId, contractServiceId: own });

      const second = await c.buy(2, '2026-03-05');
      const { plan, applied } = await sync(c, await task(c, second, 'sales', '2026-03-05', 2));
      // Planned against an empty contract service of its own, not the first subscription's 3 units.
      expect(plan).toMatchObject({ currentQuantity: 0, newQuantity: 2 });
      expect(plan.writes).toEqual([expect.objectContaining({ kind: 'adjustment', contractServiceId: null, repeatOf: [own], unitChange: 2, unitsBefore: 0, effectiveDate: '2026-03-05' })]);
      expect(plan.summary.join('\n')).toMatch(/contract service of its own .* beside contract service\(s\) \d+ of other subscriptions \(sent with allowRepeatService\)/);
      expect(applied).toEqual({ sent: 1, confirmed: 0, alreadyDone: 0 });
      const [, added] = await contractServices(c);
      expect(added).toBeGreaterThan(own);
      const sent = t.sandbox.autotask.records('ContractServiceAdjustments').filter((a) => a.contractID === c.contractId);
      expect(sent.map((a) => [a.contractServiceID, a.unitChange, a.allowRepeatService ?? null])).toEqual([[own, 3, null], [added, 2, true]]);
      expect(await tieOf(second.id)).toMatchObject({ contractId: c.contractId, serviceId: c.serviceId, contractServiceId: added });
      expect([await unitsOf(own, '2026-03-20'), await unitsOf(added, '2026-03-20')]).toEqual([3, 2]);

      // Reconciliation reads each subscription's own contract service: no drift.
      const clean = await t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-03' });
      expect(clean.drifts.filter((d) => [first.id, second.id].includes(d.subscriptionId))).toEqual([]);

      // Later tasks of each subscription go to its own contract service, on the same date without colliding.
      c.market.changeQuantity(second.id, 3, '2026-03-10');
      c.market.changeQuantity(first.id, 1, '2026-03-10');
      const up2 = await sync(c, await task(c, second, 'change', '2026-03-10', 5));
      expect(up2.plan).toMatchObject({ currentQuantity: 2, newQuantity: 5 });
      expect(up2.plan.writes).toEqual([expect.objectContaining({ contractServiceId: added, unitChange: 3, effectiveDate: '2026-03-10' })]);
      expect(up2.plan.writes[0]).not.toHaveProperty('repeatOf');
      const up1 = await sync(c, await task(c, first, 'change', '2026-03-10', 4));
      expect(up1.plan.writes).toEqual([expect.objectContaining({ contractServiceId: own, unitChange: 1, unitsBefore: 3, effectiveDate: '2026-03-10' })]);
      expect([await unitsOf(own, '2026-03-20'), await unitsOf(added, '2026-03-20')]).toEqual([4, 5]);
      expect(await contractServices(c)).toEqual([own, added]);
      expect((await t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-03' })).drifts.filter((d) => [first.id, second.id].includes(d.subscriptionId))).toEqual([]);

      // One subscription still never spans contracts.
      const other = await makeContract(t, { companyID: c.companyId });
      await expect(t.activities.chooseTaskContract({ ...SCOPE, taskId: await task(c, second, 'change', '2026-04-02', 6), contractId: other, by: 'operator' }))
        .rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`already synced to contract ${c.contractId}`)) });
    } finally {
      await setSubscriptions({ allowRepeatService: null, integrations: { [SCOPE.integrationId]: null } });
    }
  });

  it('a repeat whose answer was lost is found (the new contract service with its units) and never sent twice', async () => {
    await setSubscriptions({ allowRepeatService: true });
    try {
      const c = await customer();
      const first = await c.buy(3, '2026-03-02');
      await sync(c, await task(c, first, 'sales', '2026-03-02', 3));
      const second = await c.buy(4, '2026-03-06');
      const taskId = await task(c, second, 'sales', '2026-03-06', 4);
      expect(await resolve(c, taskId)).toMatchObject({ contractId: c.contractId });
      await t.activities.planSyncTask({ ...SCOPE, taskId });
      // Autotask adds the contract service, then the connection drops before the answer arrives.
      t.sandbox.autotask.sim.faults.script.push({ match: `POST ${V}/Contracts/${c.contractId}/ServiceAdjustments`, action: 'reset', when: 'after' });
      expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 1, alreadyDone: 0 });
      expect(t.sandbox.autotask.sim.injected.get('reset-after')).toBe(1);
      const [own, added, ...more] = await contractServices(c);
      expect(more).toEqual([]);
      expect(adjustmentsSent(t, c.contractId)).toBe(2);
      expect(await tieOf(second.id)).toMatchObject({ contractServiceId: added });
      expect([await unitsOf(own, '2026-03-20'), await unitsOf(added, '2026-03-20')]).toEqual([3, 4]);
      expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toEqual({ sent: 0, confirmed: 0, alreadyDone: 1 });
      expect(await contractServices(c)).toHaveLength(2);
    } finally {
      await setSubscriptions({ allowRepeatService: null });
    }
  });

  it("a task is planned with its integration's price source over the connector's, and with the connector's once the integration's is removed", async () => {
    await setSubscriptions({ priceSource: 'autotask', integrations: { [SCOPE.integrationId]: { priceSource: 'marketplace' } } });
    try {
      const c = await customer();
      const sub = await c.buy(2, '2026-03-02');
      const taskId = await task(c, sub, 'sales', '2026-03-02', 2);
      expect(await resolve(c, taskId)).toMatchObject({ contractId: c.contractId });
      // The marketplace's 4.90 / 4.17, not the service's 6.00 / 4.20.
      expect(await t.activities.planSyncTask({ ...SCOPE, taskId })).toMatchObject({ priceSource: 'marketplace', writes: [expect.objectContaining({ unitPrice: 4.9, unitCost: 4.17 })] });
      await setSubscriptions({ integrations: { [SCOPE.integrationId]: { priceSource: null } } });
      // Nothing was written yet, so the task plans again: the connector's source.
      expect(await t.activities.planSyncTask({ ...SCOPE, taskId })).toMatchObject({ priceSource: 'autotask', writes: [expect.objectContaining({ unitPrice: 6, unitCost: 4.2 })] });
    } finally {
      await setSubscriptions({ priceSource: null, integrations: { [SCOPE.integrationId]: null } });
    }
  });
});
