// Check Changes: marketplace events since the stored cursor become one pending sync task per order —
// never twice, never older than the first-check window, same-day orders of a subscription merged,
// and a dry run that stores nothing. CloudBlue and Pax8 simulators over real HTTP.
import { sql } from '../../db';
import { testDatabases } from '../helpers/db';
import { CLOUDBLUE, connect, day, openMarketplaceEnv, PAX8, type MarketplaceEnv, type MarketplaceSetup } from './marketplace-setup';

const OFFER = 'CFQ7TTC0LH18_P1M';

describe.each(testDatabases())('Check Changes on $driver', (driver) => {
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
  });

  const market = () => t.sandbox.cloudblue.market;
  const customer = () => market().addCustomer({ address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });

  it('creates one pending task per order, and nothing new when checked again', async () => {
    const c = customer();
    const a = market().purchase(c.id, OFFER, 3, day(-5));
    const b = market().purchase(c.id, 'KPR-BUS_P1M', 2, day(-4));

    const first = await t.activities.checkSubscriptionChanges(cb);
    expect(first).toMatchObject({ events: 2, existing: 0, merged: 0, more: false });
    expect(first.created).toEqual([`order:${a.order.id}`, `order:${b.order.id}`]);
    expect(first.preview.map((p) => [p.type, p.subscriptionId, p.effectiveDate])).toEqual([['sales', a.subscription.id, day(-5)], ['sales', b.subscription.id, day(-4)]]);
    const rows = await t.subscriptions.tasks({ connectorId: t.connectorId });
    expect(rows.map((r) => [r.taskId, r.state, r.customerId, r.productId])).toEqual([
      [first.created[0], 'pending', c.id, market().product(OFFER).id],
      [first.created[1], 'pending', c.id, market().product('KPR-BUS_P1M').id],
    ]);
    expect(rows[0].event).toMatchObject({ quantityAfter: 3, currency: 'GBP' });
    expect(rows[0].event).not.toHaveProperty('raw');

    const second = await t.activities.checkSubscriptionChanges(cb);
    expect(second).toMatchObject({ created: [], events: 0, more: false });

    // Even reading the same orders again (the cursor lost) creates nothing: ids come from the orders.
    await t.database.query(sql.raw(`delete from "${t.database.schemaName}".subscription_cursors where connector_id = '${t.connectorId}'`));
    const again = await t.activities.checkSubscriptionChanges(cb);
    expect(again.created).toEqual([]);
    expect(again.existing).toBeGreaterThan(0);
    expect(await t.subscriptions.tasks({ connectorId: t.connectorId })).toHaveLength(2);
  });

  it('takes only orders no older than firstCheckDays on the first check, then only newer ones from the cursor', async () => {
    const c = customer();
    market().purchase(c.id, OFFER, 3, day(-45)); // before the 31-day window
    const recent = market().purchase(c.id, 'KPR-BUS_P1M', 2, day(-20));
    const first = await t.activities.checkSubscriptionChanges(cb);
    expect(first.created).toEqual([`order:${recent.order.id}`]);
    const saved = await t.subscriptions.cursor(cb);
    expect(saved?.cursor).toBeTruthy();

    const up = market().changeQuantity(recent.subscription.id, +4, day(-2));
    const second = await t.activities.checkSubscriptionChanges(cb);
    expect(second).toMatchObject({ created: [`order:${up.id}`], events: 1, existing: 0 });
    const task = await t.subscriptions.task(cb, `order:${up.id}`);
    expect(task).toMatchObject({ type: 'change', subscriptionId: recent.subscription.id, effectiveDate: day(-2) });
    expect(task.event).toMatchObject({ quantityAfter: 6 });
  });

  it('follows the connector setting for the first-check window', async () => {
    t = await connect(env, { subscriptions: { firstCheckDays: 7 } });
    cb = { connectorId: t.connectorId, integrationId: CLOUDBLUE };
    const c = customer();
    market().purchase(c.id, OFFER, 3, day(-20));
    const kept = market().purchase(c.id, OFFER, 1, day(-3));
    expect((await t.activities.checkSubscriptionChanges(cb)).created).toEqual([`order:${kept.order.id}`]);
  });

  it('dry run previews the tasks and stores nothing (no task, no cursor)', async () => {
    const c = customer();
    const a = market().purchase(c.id, OFFER, 3, day(-5));
    const dry = await t.activities.checkSubscriptionChanges({ ...cb, dryRun: true });
    expect(dry).toMatchObject({ created: [], events: 1, existing: 0 });
    expect(dry.preview).toEqual([{ taskId: `order:${a.order.id}`, type: 'sales', customerId: c.id, subscriptionId: a.subscription.id, effectiveDate: day(-5) }]);
    expect(await t.subscriptions.tasks({ connectorId: t.connectorId })).toEqual([]);
    expect(await t.subscriptions.cursor(cb)).toBeUndefined();

    const real = await t.activities.checkSubscriptionChanges(cb);
    expect(real.created).toEqual(dry.preview.map((p) => p.taskId));
    // Dry run after tasks exist: what exists is counted, not previewed.
    await t.database.query(sql.raw(`delete from "${t.database.schemaName}".subscription_cursors where connector_id = '${t.connectorId}'`));
    expect(await t.activities.checkSubscriptionChanges({ ...cb, dryRun: true })).toMatchObject({ preview: [], existing: 1 });
  });

  it('merges same-day orders of one subscription into one task whose quantity is the last', async () => {
    const c = customer();
    const { subscription, order } = market().purchase(c.id, OFFER, 3, day(-6));
    const up = market().changeQuantity(subscription.id, +5, `${day(-6)}T11:00:00Z`);
    const down = market().changeQuantity(subscription.id, -2, `${day(-6)}T15:00:00Z`);
    const next = market().changeQuantity(subscription.id, +1, day(-5));
    const result = await t.activities.checkSubscriptionChanges(cb);
    expect(result).toMatchObject({ events: 4, merged: 2, created: [`order:${order.id}`, `order:${next.id}`] });
    const task = await t.subscriptions.task(cb, `order:${order.id}`);
    expect(task).toMatchObject({ type: 'sales', mergedEventIds: [`order:${up.id}`, `order:${down.id}`] });
    expect(task.event).toMatchObject({ quantityAfter: 6 });
    expect((await t.subscriptions.task(cb, `order:${next.id}`)).event).toMatchObject({ quantityAfter: 7 });
  });

  it('reads at most maxEvents per call and says when there is more', async () => {
    const c = customer();
    for (let i = 0; i < 5; i++) market().purchase(c.id, OFFER, 1 + i, day(-10 + i));
    const seen: string[] = [];
    let calls = 0;
    for (let more = true; more; calls++) {
      const r = await t.activities.checkSubscriptionChanges({ ...cb, maxEvents: 2 });
      expect(r.events).toBeLessThanOrEqual(2);
      seen.push(...r.created);
      more = r.more;
      if (calls > 5) throw new Error('did not end');
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('creates Pax8 tasks keyed by the plan (product + billing term) for product mapping', async () => {
    const pax8 = t.sandbox.pax8.market;
    const [company] = pax8.seed({ companies: 1 }).companies;
    const productId = pax8.products.find((p) => p.name === 'Microsoft 365 Business Standard')!.id;
    const seats = pax8.sell({ companyId: company, productId, quantity: 5, date: day(-8) });
    pax8.changeQuantity(seats.id, +3, day(-3));
    const result = await t.activities.checkSubscriptionChanges({ connectorId: t.connectorId, integrationId: PAX8 });
    expect(result.created).toHaveLength(2);
    const rows = await t.subscriptions.tasks({ connectorId: t.connectorId, integrationId: PAX8 });
    expect(rows.map((r) => [r.type, r.subscriptionId, r.customerId])).toEqual([['sales', seats.id, company], ['change', seats.id, company]]);
    expect(rows[0].productId).toMatch(new RegExp(`^${productId}:`));
    expect(await t.subscriptions.tasks({ connectorId: t.connectorId, integrationId: CLOUDBLUE })).toEqual([]);
  });
});
