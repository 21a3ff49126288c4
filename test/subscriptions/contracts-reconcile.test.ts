// reconcileSubscriptions: the marketplace's subscriptions (CloudBlue simulator) against ContractServiceUnits
// of the period. In sync → no drift; an adjustment made directly in Autotask → a quantity drift blamed on a
// manual edit; a subscription of a mapped customer whose product is unmapped → a mapping drift; asked to,
// it creates one `change` task per drifting subscription, with a deterministic id.
import { describe, expect, it } from '@jest/globals';
import { reconcileTaskId } from '../../src/activities/subscriptions/contracts';
import type { MarketplaceAdapter } from '../../src/marketplaces/adapter';
import type { Sandbox } from '../../src/sim';
import { testDatabases } from '../helpers/db';
import { event, insertTask, makeContract, makeService, SCOPE, setUpContracts, SETUP_MS, unitsOn, type ContractSetup } from './contracts-fixture';

type CloudBlueHandle = Sandbox['cloudblue'];

describe.each(testDatabases())('reconcileSubscriptions on $driver', (driver) => {
  let t: ContractSetup;

  beforeAll(async () => {
    t = await setUpContracts(driver);
  }, SETUP_MS);
  afterAll(() => t.stop(), SETUP_MS);
  afterEach(() => expect(t.sandbox.takeViolations()).toEqual([]));

  it('finds no drift when in sync, a manual edit in Autotask with its cause, an unmapped product, and creates the fixing task once', async () => {
    const cloudblue: CloudBlueHandle = t.sandbox.cloudblue;
    const { marketplace } = (await t.clients.marketplace(SCOPE.connectorId, SCOPE.integrationId)) as { marketplace: MarketplaceAdapter };
    const customer = cloudblue.market.addCustomer({ address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });
    const { subscription } = cloudblue.market.purchase(customer.id, 'CFQ7TTC0LH18_P1Y_MONTHLY', 10, '2026-03-02');
    const { subscription: unmapped } = cloudblue.market.purchase(customer.id, 'KPR-BUS_P1M', 4, '2026-03-03');
    const sub = (await marketplace.getSubscription(subscription.id))!;
    expect(sub).toMatchObject({ quantity: 10, status: 'active' });

    const serviceId = await makeService(t, 'Microsoft 365 Business Basic', 4.9, 4.17);
    const contractId = await makeContract(t);
    await t.store.saveCustomerMapping({ ...SCOPE, marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: t.companyId, companyName: 'Contoso Ltd', mappedBy: 'operator' });
    await t.store.saveProductMapping({ ...SCOPE, marketplaceProductId: sub.planId, marketplaceName: 'Microsoft 365 Business Basic', serviceId, serviceName: 'Microsoft 365 Business Basic', mappedBy: 'operator' });

    // The sales task, synced as the task workflow would.
    const taskId = await insertTask(t, event({
      id: 'order-sales-1', type: 'sales', vendorType: 'sales', customerId: customer.id, subscriptionId: sub.id, productId: sub.productId, planId: sub.planId,
      effectiveDate: '2026-03-02', quantityAfter: 10, currency: 'GBP', unitPrice: sub.price, unitCost: sub.cost,
    }), contractId);
    await t.activities.planSyncTask({ ...SCOPE, taskId });
    expect(await t.activities.applySyncTask({ ...SCOPE, taskId })).toMatchObject({ sent: 1 });
    await t.store.updateTask(SCOPE, taskId, { state: 'synced' });
    expect(await unitsOn(t, contractId, serviceId, '2026-03-31')).toBe(10);

    const clean = await t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-03' });
    expect(clean.checked).toBe(2);
    expect(clean.drifts.filter((d) => d.subscriptionId === sub.id)).toEqual([]);
    expect(clean.drifts.filter((d) => d.subscriptionId === unmapped.id)).toEqual([expect.objectContaining({ field: 'mapping', marketplace: 4 })]);

    // Someone adds 3 seats directly in Autotask.
    await t.autotask.contractServiceAdjustments.create(contractId, { serviceID: serviceId, unitChange: 3, effectiveDate: '2026-03-20T00:00:00.000' });
    const edited = await t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-03' });
    const drift = edited.drifts.find((d) => d.subscriptionId === sub.id);
    expect(drift).toMatchObject({ field: 'quantity', marketplace: 10, autotask: 13, cause: expect.stringMatching(/manual edit in Autotask/) });
    expect(edited.tasksCreated).toEqual([]);
    expect(await t.store.findTask(SCOPE, reconcileTaskId(sub.id, '2026-03'))).toBeUndefined();

    const fixing = await t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-03', createTasks: true });
    expect(fixing.tasksCreated).toContain(reconcileTaskId(sub.id, '2026-03'));
    const created = await t.store.task(SCOPE, reconcileTaskId(sub.id, '2026-03'));
    expect(created).toMatchObject({ type: 'change', state: 'pending', subscriptionId: sub.id, customerId: customer.id });
    expect(created.event).toMatchObject({ quantityBefore: 13, quantityAfter: 10, subscriptionId: sub.id });
    // Deterministic ids: asking again creates nothing new, and the open task is now the likely cause.
    const again = await t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-03', createTasks: true });
    expect(again.tasksCreated).toEqual([]);
    expect(again.drifts.find((d) => d.subscriptionId === sub.id)?.cause).toMatch(/not synced yet/);
  });

  it('refuses a period that is not YYYY-MM', async () => {
    await expect(t.activities.reconcileSubscriptions({ ...SCOPE, period: '2026-13' })).rejects.toMatchObject({ kind: 'validation' });
  });
});
