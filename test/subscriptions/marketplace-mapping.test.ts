// Mappings on the marketplace side of Subscription Sync: customer suggestions and when a task may map on its
// own, mappings to deleted or inactive Autotask records flagged (never reused), "Add Product to Autotask"
// exactly once, fee mappings, and task state with its action log and notifications.
import { asc, eq } from 'drizzle-orm';
import { actionLog } from '../../db/schema/action-log';
import { NO_FAULTS } from '../../src/sim/kit/server';
import { testDatabases } from '../helpers/db';
import { CLOUDBLUE, connect, day, deleteRecord, openMarketplaceEnv, type MarketplaceEnv, type MarketplaceSetup } from './marketplace-setup';

const OFFER = 'CFQ7TTC0LH18_P1M';

async function caught(p: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { kind?: string };
  }
  throw new Error('expected a rejection');
}

describe.each(testDatabases())('Subscription Sync mappings on $driver', (driver) => {
  let env: MarketplaceEnv;
  let t: MarketplaceSetup;
  let cb: { connectorId: string; integrationId: string };
  beforeAll(async () => {
    env = await openMarketplaceEnv(driver);
  });
  afterAll(() => env.stop());
  beforeEach(async () => {
    t = await connect(env);
    cb = { connectorId: t.connectorId, integrationId: CLOUDBLUE };
    env.sandbox.autotask.sim.faults = structuredClone(NO_FAULTS);
  });

  const market = () => t.sandbox.cloudblue.market;
  const company = (companyName: string, extra: Record<string, unknown> = {}) =>
    t.sandbox.autotask.seed('Companies', [{ companyName, companyType: 1, phone: '+1 555 0100', isActive: true, ...extra }])[0];
  /** A marketplace customer with one order, and the id of the task Check Changes made of it. */
  async function customerTask(name: string, extra: Record<string, unknown> = {}): Promise<{ customerId: string; taskId: string }> {
    const c = market().addCustomer({
      name, address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' },
      contactPersons: [{ type: 'admin', firstName: 'Ada', lastName: 'Admin', email: `admin@${name.split(' ')[0].toLowerCase()}.example`, phoneNumber: '+44 20 7946 0000' }],
      ...extra,
    });
    const { order } = market().purchase(c.id, OFFER, 2, day(-3));
    await t.activities.checkSubscriptionChanges(cb);
    return { customerId: c.id, taskId: `order:${order.id}` };
  }
  const logKinds = async () =>
    (await t.database.db.select().from(actionLog).where(eq(actionLog.connectorId, t.connectorId)).orderBy(asc(actionLog.id))).map((r) => r.kind);

  it('ranks Autotask companies for a customer and maps on its own only a clear best match', async () => {
    const fabrikam = company('Fabrikam Ltd', { webAddress: 'https://www.fabrikam.example' });
    const [northInc, northLtd] = [company('Northwind Traders Inc'), company('Northwind Traders Ltd')];
    const oldTailspin = company('Tailspin Toys', { isActive: false });
    const fab = await customerTask('Fabrikam Limited');
    const north = await customerTask('Northwind Traders GmbH');
    const tail = await customerTask('Tailspin Toys Ltd');

    // Not automatic: suggestions only, nothing mapped.
    const asked = await t.activities.resolveTaskCustomer({ ...cb, taskId: fab.taskId, auto: false });
    expect(asked.companyId).toBeNull();
    expect(asked.suggestions[0]).toMatchObject({ id: fabrikam, name: 'Fabrikam Ltd' });
    expect(asked.suggestions[0].score).toBeGreaterThanOrEqual(0.9);
    expect(asked.reason).toContain(`tasks map-customer ${fab.taskId} <company id>`);
    expect(asked.reason).toContain('Fabrikam Ltd');
    expect(await t.subscriptions.customerMapping(cb, fab.customerId)).toBeUndefined();

    // Automatic and clear: mapped by the task.
    expect(await t.activities.resolveTaskCustomer({ ...cb, taskId: fab.taskId, auto: true })).toMatchObject({ companyId: fabrikam, reason: null });
    expect(await t.subscriptions.customerMapping(cb, fab.customerId)).toMatchObject({ companyId: fabrikam, companyName: 'Fabrikam Ltd', mappedBy: 'task' });

    // Two equally good companies: the operator's call, even when automatic.
    const tie = await t.activities.resolveTaskCustomer({ ...cb, taskId: north.taskId, auto: true });
    expect(tie.companyId).toBeNull();
    expect(tie.suggestions.slice(0, 2).map((s) => s.id).sort()).toEqual([northInc, northLtd].sort());
    expect(tie.reason).toMatch(/no company matches clearly enough/);

    // Inactive companies are never suggested.
    const none = await t.activities.resolveTaskCustomer({ ...cb, taskId: tail.taskId, auto: true });
    expect(none.companyId).toBeNull();
    expect(none.suggestions.map((s) => s.id)).not.toContain(oldTailspin);

    const unmapped = await t.activities.listCustomerMappings({ ...cb, unmapped: true, suggest: true });
    expect(unmapped.map((r) => r.marketplaceCustomerId).sort()).toEqual([north.customerId, tail.customerId].sort());
    expect(unmapped.find((r) => r.marketplaceCustomerId === north.customerId)!.suggestions!.map((s) => s.id)).toEqual(expect.arrayContaining([northInc, northLtd]));
    const all = await t.activities.listCustomerMappings({ ...cb, search: 'fabrikam' });
    expect(all).toEqual([{ marketplaceCustomerId: fab.customerId, marketplaceName: 'Fabrikam Limited', companyId: fabrikam, companyName: 'Fabrikam Ltd', mappedBy: 'task', flaggedReason: null }]);
  });

  it('flags a mapping whose company was made inactive or deleted, and never reuses it', async () => {
    const woodgrove = company('Woodgrove Pharma Ltd');
    const task = await customerTask('Woodgrove Pharma');
    expect(await t.activities.mapCustomer({ ...cb, marketplaceCustomerId: task.customerId, companyId: woodgrove, by: 'operator' })).toMatchObject({ companyId: woodgrove, mappedBy: 'operator', flaggedReason: null });
    expect((await t.activities.resolveTaskCustomer({ ...cb, taskId: task.taskId, auto: false })).companyId).toBe(woodgrove);

    t.sandbox.autotask.store.get('Companies', woodgrove)!.isActive = false;
    const twin = company('Woodgrove Pharma Limited'); // a clear match by name: still not used while the mapping is flagged
    const flagged = await t.activities.resolveTaskCustomer({ ...cb, taskId: task.taskId, auto: true });
    expect(flagged.companyId).toBeNull();
    expect(flagged.reason).toMatch(new RegExp(`Autotask company ${woodgrove} .*is inactive: the mapping of customer .* is flagged and not used`));
    expect(flagged.suggestions.map((s) => s.id)).toEqual([twin]);
    expect(await t.subscriptions.customerMapping(cb, task.customerId)).toMatchObject({ companyId: woodgrove, flaggedReason: expect.stringMatching(/inactive/) });
    // Active again in Autotask: the flag stays until an operator maps the customer again.
    t.sandbox.autotask.store.get('Companies', woodgrove)!.isActive = true;
    expect((await t.activities.resolveTaskCustomer({ ...cb, taskId: task.taskId, auto: true })).companyId).toBeNull();
    expect((await t.activities.listCustomerMappings({ ...cb, unmapped: true })).map((r) => [r.marketplaceCustomerId, r.flaggedReason !== null])).toEqual([[task.customerId, true]]);

    await t.activities.mapCustomer({ ...cb, marketplaceCustomerId: task.customerId, companyId: twin, by: 'alice' });
    expect((await t.activities.resolveTaskCustomer({ ...cb, taskId: task.taskId, auto: false })).companyId).toBe(twin);
    deleteRecord(t.sandbox, 'Companies', twin);
    const gone = await t.activities.resolveTaskCustomer({ ...cb, taskId: task.taskId, auto: false });
    expect(gone.reason).toMatch(new RegExp(`Autotask company ${twin} no longer exists`));
    const refused = await caught(t.activities.mapCustomer({ ...cb, marketplaceCustomerId: task.customerId, companyId: twin, by: 'alice' }));
    expect(refused).toMatchObject({ kind: 'validation' });
    expect(refused.message).toMatch(/no longer exists/);
    expect(await logKinds()).toEqual(expect.arrayContaining(['subscription.mapping.customer', 'subscription.mapping.flagged']));

    expect(await t.activities.unmapCustomer({ ...cb, marketplaceCustomerId: task.customerId })).toEqual({ removed: true });
    expect(await t.activities.unmapCustomer({ ...cb, marketplaceCustomerId: task.customerId })).toEqual({ removed: false });
    expect(t.sandbox.autotask.store.get('Companies', woodgrove)).toBeDefined(); // unmapping touches nothing in Autotask
  });

  it('maps a customer imported from Autotask to its company by the external id', async () => {
    const adatum = company('Adatum Corporation');
    const task = await customerTask('A. Datum', { externalId: `autotask-company-${adatum}` });
    expect(await t.activities.resolveTaskCustomer({ ...cb, taskId: task.taskId, auto: false })).toMatchObject({ companyId: adatum, reason: null });
    expect(await t.subscriptions.customerMapping(cb, task.customerId)).toMatchObject({ companyId: adatum, mappedBy: 'import' });
  });

  it('adds a product to Autotask once, also when the answer to the create was lost and when asked again', async () => {
    const product = market().product(OFFER);
    const services = () => t.sandbox.autotask.records('Services').filter((s) => String(s.externalID ?? '').startsWith('mp:'));
    // Autotask creates the Service, then the connection drops before the answer arrives.
    t.sandbox.autotask.sim.faults = { ...structuredClone(NO_FAULTS), script: [{ match: 'POST /atservicesrest/v1.0/Services', action: 'reset', when: 'after' }] };
    const view = await t.activities.mapProduct({ ...cb, marketplaceProductId: product.id, create: true, by: 'operator' });
    expect(view).toMatchObject({ marketplaceProductId: product.id, serviceName: product.name, billingCycle: 'monthly', flaggedReason: null });
    expect(t.sandbox.autotask.sim.injected.get('reset-after')).toBe(1);
    expect(services()).toHaveLength(1);
    expect(services()[0]).toMatchObject({ id: view.serviceId, name: view.marketplaceName, periodType: 2, billingCodeID: t.recurringCodeId, unitPrice: view.price });
    // The operator (or a retried activity) asks again: the same Service.
    const again = await t.activities.mapProduct({ ...cb, marketplaceProductId: product.id, create: true, by: 'operator' });
    expect(again.serviceId).toBe(view.serviceId);
    expect(services()).toHaveLength(1);
    expect(await t.subscriptions.productMapping(cb, product.id)).toMatchObject({ serviceId: view.serviceId, mappedBy: 'created' });
  });

  it('resolves a task\'s product through its mapping, flags a deleted service and says how to map an unmapped one', async () => {
    const task = await customerTask('Litware');
    const productId = market().product(OFFER).id;
    const unmapped = await t.activities.resolveTaskProduct({ ...cb, taskId: task.taskId, auto: true });
    expect(unmapped.serviceId).toBeNull();
    expect(unmapped.reason).toContain(`tasks map-product ${task.taskId} <service id>`);
    expect(unmapped.reason).toContain('--create');
    expect((await t.activities.listProductMappings({ ...cb, unmapped: true })).map((r) => r.marketplaceProductId)).toEqual([productId]);

    const [service, retired] = t.sandbox.autotask.seed('Services', [
      { name: 'M365 Basic', unitPrice: 6, periodType: 2, billingCodeID: t.recurringCodeId, isActive: true },
      { name: 'Retired', unitPrice: 1, periodType: 2, billingCodeID: t.recurringCodeId, isActive: false },
    ]);
    expect((await caught(t.activities.mapProduct({ ...cb, marketplaceProductId: productId, serviceId: retired, by: 'operator' }))).message).toMatch(/inactive/);
    expect((await caught(t.activities.mapProduct({ ...cb, marketplaceProductId: productId, by: 'operator' }))).kind).toBe('validation');
    await t.activities.mapProduct({ ...cb, marketplaceProductId: productId, serviceId: service, by: 'operator' });
    expect(await t.activities.resolveTaskProduct({ ...cb, taskId: task.taskId, auto: false })).toEqual({ serviceId: service, reason: null });
    expect(await t.activities.listProductMappings({ ...cb, unmapped: true })).toEqual([]);

    deleteRecord(t.sandbox, 'Services', service);
    const flagged = await t.activities.resolveTaskProduct({ ...cb, taskId: task.taskId, auto: true });
    expect(flagged.serviceId).toBeNull();
    expect(flagged.reason).toMatch(new RegExp(`Autotask service ${service} no longer exists.*flagged`));
    expect(await t.activities.listProductMappings({ ...cb, search: 'm365 basic' })).toEqual([expect.objectContaining({ marketplaceProductId: productId, serviceId: service, flaggedReason: expect.stringMatching(/no longer exists/) })]);
    expect(await t.activities.unmapProduct({ ...cb, marketplaceProductId: productId })).toEqual({ removed: true });
  });

  it('maps, lists and unmaps cancellation fees, refusing unknown or inactive billing codes', async () => {
    const [code, inactive] = t.sandbox.autotask.seed('BillingCodes', [{ name: 'Cancellation fees', useType: 2, isActive: true }, { name: 'Old fees', useType: 2, isActive: false }]);
    expect(await t.activities.mapFee({ ...cb, feeKey: 'cancellation', billingCodeId: code, chargeName: 'Early termination fee' })).toEqual({ feeKey: 'cancellation', billingCodeId: code, chargeName: 'Early termination fee' });
    await t.activities.mapFee({ ...cb, feeKey: `cancellation:${OFFER}`, billingCodeId: code, chargeName: 'M365 cancellation' });
    await t.activities.mapFee({ ...cb, feeKey: 'cancellation', billingCodeId: code, chargeName: 'Termination fee' }); // re-map: replaced
    expect(await t.activities.listFeeMappings(cb)).toEqual([
      { feeKey: 'cancellation', billingCodeId: code, chargeName: 'Termination fee' },
      { feeKey: `cancellation:${OFFER}`, billingCodeId: code, chargeName: 'M365 cancellation' },
    ]);
    expect((await caught(t.activities.mapFee({ ...cb, feeKey: 'setup', billingCodeId: code, chargeName: 'x' }))).kind).toBe('validation');
    expect((await caught(t.activities.mapFee({ ...cb, feeKey: 'cancellation', billingCodeId: 999_999, chargeName: 'x' }))).message).toMatch(/does not exist/);
    expect((await caught(t.activities.mapFee({ ...cb, feeKey: 'cancellation', billingCodeId: inactive, chargeName: 'x' }))).message).toMatch(/inactive/);
    expect(await t.activities.unmapFee({ ...cb, feeKey: 'cancellation' })).toEqual({ removed: true });
    expect(await t.activities.listFeeMappings(cb)).toEqual([{ feeKey: `cancellation:${OFFER}`, billingCodeId: code, chargeName: 'M365 cancellation' }]);
  });

  it('records task states in the row and the action log, and notifies errors, actions and syncs', async () => {
    company('Proseware Ltd');
    const task = await customerTask('Proseware');
    const ref = { ...cb, taskId: task.taskId };
    await t.activities.recordTaskState({ ...ref, state: 'action_required', waitingFor: 'customer', reason: 'Customer Proseware is not mapped' });
    await t.activities.recordTaskState({ ...ref, state: 'action_required', waitingFor: 'customer', reason: 'Customer Proseware is not mapped' }); // repeated: recorded once
    const waiting = await t.activities.getTaskView(ref);
    expect(waiting).toMatchObject({ state: 'action_required', waitingFor: 'customer', reason: 'Customer Proseware is not mapped', type: 'sales', workflowId: `subscription-task/${t.connectorId}/${CLOUDBLUE}/${task.taskId}` });
    expect(waiting.suggestions?.[0]).toMatchObject({ name: 'Proseware Ltd' });

    await t.activities.recordTaskState({ ...ref, state: 'planned' });
    await t.activities.recordTaskState({ ...ref, state: 'error', reason: 'Contract 7 is in GBP, the subscription in EUR' });
    await t.activities.recordTaskState({ ...ref, state: 'synced' });
    expect(t.notes.map((n) => [n.level, n.connectorId, n.workflowId])).toEqual([
      ['action', t.connectorId, waiting.workflowId],
      ['error', t.connectorId, waiting.workflowId],
      ['info', t.connectorId, waiting.workflowId],
    ]);
    expect(t.notes[1].message).toContain('Contract 7 is in GBP, the subscription in EUR');
    expect((await logKinds()).filter((k) => k.startsWith('subscription.task.'))).toEqual([
      'subscription.task.action_required', 'subscription.task.planned', 'subscription.task.error', 'subscription.task.synced',
    ]);
    expect(await t.activities.getTaskView(ref)).toMatchObject({ state: 'synced', reason: null, waitingFor: null });
    expect((await t.activities.listSyncTasks({ connectorId: t.connectorId, states: ['synced'] })).map((v) => [v.taskId, v.plan])).toEqual([[task.taskId, null]]);
    expect(await t.activities.listSyncTasks({ connectorId: t.connectorId, states: ['error'] })).toEqual([]);
  });
});
