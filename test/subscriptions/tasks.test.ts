// Sync tasks end to end: Check Changes → one task workflow per order → customer, product, contract,
// plan, apply. Real dev server, worker and activities; the CloudBlue, Pax8 and Autotask simulators.
import { memoryLimiter } from '../../src/autotask/limits';
import {
  checkSubscriptions, chooseTaskContract, subscriptionStatus, ignoreTask, listTasks, mapCustomer, mapProduct, mapTaskCustomer, mapTaskProduct, retryTask, syncTask, taskView, unignoreTask,
  type MarketplaceScope,
} from '../../src/client/subscriptions';
import { connect, enableTemplate } from '../../src/client/connectors';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { scheduleIds, workflowIds } from '../../src/workflows/ids';
import { CREATED_LISTED, type SubscriptionCheckResult } from '../../src/workflows/messages/subscriptions';
import { testKeyRing } from '../helpers/temporal';
import type { TaskView } from '../../src/subscriptions/types';
import { useEngine } from '../helpers/engine';
import { CLOUDBLUE, day, eventually, MARKET_SANDBOX, PAX8, taskWorld, type TaskWorld } from './tasks-helpers';

const OFFER = 'CFQ7TTC0LH18_P1M';
const fast = { activityTimeoutMs: 15_000 };

describe('subscription sync tasks', () => {
  const engine = useEngine({ worker: { limiter: memoryLimiter() } });

  const scopeOf = (w: TaskWorld, integrationId = CLOUDBLUE): MarketplaceScope => ({ connectorId: w.connectorId, integrationId });
  const view = (scope: MarketplaceScope, taskId: string) => taskView(engine.client, engine.taskQueue, scope, taskId);
  const waitFor = (scope: MarketplaceScope, taskId: string, ok: (v: TaskView) => boolean, label: string) => eventually(() => view(scope, taskId), ok, 30_000, `${taskId} ${label}`);
  const check = (scope: MarketplaceScope, options: { dryRun?: boolean; auto?: boolean } = {}) => checkSubscriptions(engine.client, engine.taskQueue, scope, { ...fast, ...options });
  const ukCustomer = (w: TaskWorld, name = 'Contoso Ltd') =>
    w.sandbox.cloudblue.market.addCustomer({ name, address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });

  it('Check Changes creates one task per order, a dry run writes nothing, and checking twice creates nothing', async () => {
    const w = await taskWorld(engine);
    const scope = scopeOf(w);
    const c = ukCustomer(w);
    const a = w.sandbox.cloudblue.market.purchase(c.id, OFFER, 3, day(-5));
    const b = w.sandbox.cloudblue.market.purchase(c.id, 'KPR-BUS_P1M', 2, day(-4));

    const dry = await check(scope, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, events: 2, created: [], started: 0 });
    expect(dry.preview.map((p) => [p.type, p.subscriptionId])).toEqual([['sales', a.subscription.id], ['sales', b.subscription.id]]);
    expect(await listTasks(engine.client, engine.taskQueue, scope)).toEqual([]);

    const first = await check(scope, { auto: false });
    expect(first.created).toEqual([`order:${a.order.id}`, `order:${b.order.id}`]);
    expect(first.started).toBe(2);
    // Nobody mapped the customer: both wait for the operator.
    for (const id of first.created) await waitFor(scope, id, (v) => v.state === 'action_required', 'waiting');

    const second = await check(scope, { auto: false });
    expect(second).toMatchObject({ created: [], started: 0, events: 0 });
    const listed = await listTasks(engine.client, engine.taskQueue, scope);
    expect(listed.map((t) => [t.taskId, t.state, t.waitingFor])).toEqual(first.created.map((id) => [id, 'action_required', 'customer']));
    expect(w.sandbox.autotask.records('ContractServiceAdjustments')).toEqual([]);
  });

  it('a check creating more tasks than its result lists counts them all and starts each task once', async () => {
    const w = await taskWorld(engine);
    const scope = scopeOf(w);
    const c = ukCustomer(w);
    const orders = Array.from({ length: CREATED_LISTED + 20 }, (_, i) => w.sandbox.cloudblue.market.purchase(c.id, OFFER, 1 + i, day(-5)).order.id);

    const result = await check(scope, { auto: false });
    expect(result.createdCount).toBe(orders.length);
    expect(result.created).toEqual(orders.slice(0, CREATED_LISTED).map((id) => `order:${id}`));
    expect(result.started).toBe(orders.length);
    const store = new SubscriptionStore(engine.database);
    await eventually(() => store.taskCounts(scope), (n) => n.action_required === orders.length, 60_000, 'every task waiting for its customer');
  });

  it('`subscriptions status` shows the settings with credentials redacted and the tasks by state', async () => {
    const w = await taskWorld(engine, { subscriptions: { proration: 'marketplace', notify: 'all', email: { to: ['ops@msp.example'], smtpUrl: 'smtp://mailer:hunter2@smtp.msp.example:587' } } });
    const scope = scopeOf(w);
    w.sandbox.cloudblue.market.purchase(ukCustomer(w).id, OFFER, 1, day(-2));
    const { created: [taskId] } = await check(scope, { auto: false });
    await waitFor(scope, taskId, (x) => x.state === 'action_required', 'waiting');
    const status = await subscriptionStatus(engine.client, engine.taskQueue, scope);
    expect(status).toMatchObject({ settings: { priceSource: 'autotask', proration: 'marketplace', automatic: 'off', notify: 'all', email: { to: ['ops@msp.example'] } }, tasks: { action_required: 1 } });
    expect(status.lastCheckAt).not.toBeNull();
    expect(status.settings.email!.smtpUrl).toBe('smtp://***@smtp.msp.example:587');
    expect(JSON.stringify(status)).not.toContain('hunter2');
  });

  it('waits for the customer, product and contract decisions, stops at planned without automatic processing, and sync applies the plan', async () => {
    const w = await taskWorld(engine);
    const scope = scopeOf(w);
    const c = ukCustomer(w, 'Fabrikam Ltd');
    const { subscription, order } = w.sandbox.cloudblue.market.purchase(c.id, OFFER, 4, day(-3));
    const companyId = await w.company('Fabrikam Limited');
    const contractId = await w.contract(companyId);
    await w.contract(companyId, { contractName: 'Second recurring contract' });

    const { created: [taskId] } = await check(scope, { auto: false });
    expect(taskId).toBe(`order:${order.id}`);
    let v = await waitFor(scope, taskId, (x) => x.state === 'action_required', 'waiting for the customer');
    expect(v).toMatchObject({ waitingFor: 'customer', subscriptionId: subscription.id, reason: expect.stringMatching(/not mapped to an Autotask company/) });

    // A refusal says what is wrong and leaves the task waiting.
    await expect(mapTaskProduct(engine.client, scope, taskId, { serviceId: 1 })).rejects.toThrow(/waits for a customer decision, not for a product/);
    await expect(mapTaskCustomer(engine.client, scope, taskId, 999_999)).rejects.toThrow(/999999/);

    v = await mapTaskCustomer(engine.client, scope, taskId, companyId);
    expect(v).toMatchObject({ state: 'action_required', waitingFor: 'product' });
    // The product is added to Autotask from inside the task (the seed's "Add Product to Autotask").
    v = await mapTaskProduct(engine.client, scope, taskId, { create: true });
    expect(v).toMatchObject({ state: 'action_required', waitingFor: 'contract' });
    expect(v.suggestions?.map((s) => s.id)).toContain(contractId);

    v = await chooseTaskContract(engine.client, scope, taskId, contractId);
    expect(v).toMatchObject({ state: 'planned', contractId });
    const plan = v.plan!;
    expect(plan).toMatchObject({ currentQuantity: 0, newQuantity: 4, contractId });
    expect(plan.writes).toEqual([expect.objectContaining({ kind: 'adjustment', unitChange: 4, effectiveDate: day(-3) })]);
    // Planned is a dry run: nothing was written to Autotask.
    expect(w.adjustments(contractId)).toEqual([]);
    expect((await view(scope, taskId)).plan).toEqual(plan);

    v = await syncTask(engine.client, scope, taskId);
    expect(v.state).toBe('synced');
    expect(w.adjustments(contractId)).toHaveLength(1);
    expect(await w.unitsOn(contractId, plan.serviceId!, day(-1))).toBe(4);
    await expect(syncTask(engine.client, scope, taskId)).rejects.toThrow(/already synced|No sync task/);
    const stored = await new SubscriptionStore(engine.database).task(scope, taskId);
    expect(stored).toMatchObject({ state: 'synced', contractId });
  });

  it('ignore sets a task aside and unignore takes it up again', async () => {
    const w = await taskWorld(engine);
    const scope = scopeOf(w);
    const c = ukCustomer(w, 'Northwind Ltd');
    w.sandbox.cloudblue.market.purchase(c.id, OFFER, 2, day(-2));
    const { created: [taskId] } = await check(scope, { auto: false });
    await waitFor(scope, taskId, (x) => x.state === 'action_required', 'waiting');

    let v = await ignoreTask(engine.client, scope, taskId, 'test order');
    expect(v).toMatchObject({ state: 'ignored', reason: expect.stringMatching(/test order/) });
    await expect(mapTaskCustomer(engine.client, scope, taskId, w.companyId)).rejects.toThrow(/is ignored/);
    await expect(ignoreTask(engine.client, scope, taskId)).rejects.toThrow(/cannot be ignored/);
    expect((await listTasks(engine.client, engine.taskQueue, scope, { states: ['ignored'] })).map((t) => t.taskId)).toEqual([taskId]);

    v = await unignoreTask(engine.client, scope, taskId);
    expect(v).toMatchObject({ state: 'action_required', waitingFor: 'customer' });
  });

  it('a permanent failure (currency mismatch) parks the task in error with the reason; retry after the fix syncs it', async () => {
    const w = await taskWorld(engine);
    const scope = scopeOf(w);
    const [eur, gbp] = w.sandbox.autotask.seed('Currencies', [
      { name: 'EUR', description: 'Euro', isActive: true, isInternalCurrency: true, exchangeRate: 1 },
      { name: 'GBP', description: 'Pound sterling', isActive: true, isInternalCurrency: false, exchangeRate: 0.86 },
    ]);
    const companyId = await w.company('Tailspin Toys', eur);
    const contractId = await w.contract(companyId);
    const serviceId = await w.service('Microsoft 365 Business Basic');
    const c = ukCustomer(w, 'Tailspin Toys Ltd'); // a GB customer: GBP subscriptions
    const { subscription } = w.sandbox.cloudblue.market.purchase(c.id, OFFER, 5, day(-4));
    await mapCustomer(engine.client, engine.taskQueue, scope, c.id, companyId);
    await mapProduct(engine.client, engine.taskQueue, scope, w.sandbox.cloudblue.market.product(OFFER).id, { serviceId });
    // The subscription was synced to this contract before (one subscription, one contract).
    await new SubscriptionStore(engine.database).saveSubscriptionContract({ ...scope, subscriptionId: subscription.id, contractId, serviceId, contractServiceId: null });

    const { created: [taskId] } = await check(scope, { auto: true });
    const failed = await waitFor(scope, taskId, (x) => x.state === 'error', 'in error');
    expect(failed.reason).toMatch(/currenc/i);
    expect(failed.reason).toMatch(/GBP/);
    expect(w.adjustments(contractId)).toEqual([]);

    // The operator fixes the company's currency in Autotask and retries.
    w.sandbox.autotask.store.get('Companies', companyId)!.currencyID = gbp;
    const v = await retryTask(engine.client, scope, taskId);
    expect(v.state).toBe('synced');
    expect(await w.unitsOn(contractId, serviceId, day(-1))).toBe(5);
  });

  it('Pax8 with automatic processing: mapped customer and product and the only compatible contract sync without the operator', async () => {
    const w = await taskWorld(engine, { subscriptions: { automatic: 'every5min' } });
    const scope = scopeOf(w, PAX8);
    const pax8 = w.sandbox.pax8.market;
    const [company] = pax8.seed({ companies: 1 }).companies;
    const productId = pax8.products.find((p) => p.name === 'Microsoft 365 Business Standard')!.id;
    const seats = pax8.sell({ companyId: company, productId, quantity: 6, date: day(-8) });
    const contractId = await w.contract(w.companyId);
    const serviceId = await w.service('Microsoft 365 Business Standard', 12.5, 10);
    await mapCustomer(engine.client, engine.taskQueue, scope, company, w.companyId);

    const dry = await check(scope, { dryRun: true });
    expect(dry.preview.map((p) => p.subscriptionId)).toEqual([seats.id]);
    const { created: [taskId] } = await check(scope);
    // The product is unmapped: even automatic processing waits for that decision.
    const waiting = await waitFor(scope, taskId, (x) => x.state === 'action_required', 'waiting for the product');
    expect(waiting.waitingFor).toBe('product');
    await mapProduct(engine.client, engine.taskQueue, scope, waiting.productId!, { serviceId });
    const synced = await retryTask(engine.client, scope, taskId);
    expect(synced).toMatchObject({ state: 'synced', contractId });
    expect(await w.unitsOn(contractId, serviceId, day(-1))).toBe(6);
  });

  it('the template is enabled for a marketplace through the connector workflow; with automatic off its scheduled run checks nothing', async () => {
    const sandbox = await engine.startSandbox(MARKET_SANDBOX);
    const connectorId = 'subs-template';
    const connected = await connect(engine.client, engine.taskQueue, testKeyRing(), sandbox.connectRequest(connectorId, {}, [CLOUDBLUE]));
    expect(connected.statusMessage).toBeUndefined();
    expect(connected.status).toBe('connected');
    const customer = sandbox.cloudblue.market.addCustomer({ name: 'Adventure Works Ltd' });
    sandbox.cloudblue.market.purchase(customer.id, OFFER, 1, day(-1));

    const view = await enableTemplate(engine.client, connectorId, 'subscription-sync');
    expect(view.templates[`subscription-sync@${CLOUDBLUE}`]).toMatchObject({ enabled: true, integrationId: CLOUDBLUE });
    const schedule = engine.client.schedule.getHandle(scheduleIds.template(connectorId, 'subscription-sync', CLOUDBLUE));
    expect((await schedule.describe()).state.paused).toBe(false);
    await schedule.trigger();
    // A scheduled run's id is the template's plus the time the schedule appends.
    const started = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, (id) => !!id, 30_000, 'the scheduled run');
    expect(started.startsWith(workflowIds.subscriptionCheck(connectorId, CLOUDBLUE))).toBe(true);
    const result = (await engine.client.workflow.getHandle(started).result()) as SubscriptionCheckResult;
    expect(result).toMatchObject({ skipped: true, events: 0, created: [] });
    expect(await listTasks(engine.client, engine.taskQueue, { connectorId, integrationId: CLOUDBLUE })).toEqual([]);
    await schedule.delete();
    await engine.client.workflow.getHandle(workflowIds.connector(connectorId)).terminate('test over');
  });
});
