// CloudBlue marketplace orders and rated data as normalised events, and the cursor that makes "everything after what
// was read" exact. Real HTTP against the simulator; every exchange checked against the spec.
import got from 'got';
import { CloudBlueAdapter } from '../../src/marketplaces/cloudblue/adapter';
import { decodeCursor } from '../../src/marketplaces/cloudblue/cursor';
import { startCloudBlueSim, type CloudBlueSim } from '../../src/marketplaces/cloudblue/sim';
import { readEventStream, type MarketplaceEvent } from '../../src/marketplaces/adapter';
import { NO_FAULTS } from '../../src/sim/kit/server';

let sim: CloudBlueSim;
beforeAll(async () => {
  sim = await startCloudBlueSim({ rateLimit: false, start: '2026-03-01' });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.reset();
  sim.server.faults = structuredClone(NO_FAULTS);
});
afterEach(() => expect(sim.takeViolations()).toEqual([]));

const adapter = (pageSize = 100) => new CloudBlueAdapter(sim.adapterSettings({ timeoutMs: 5_000, pageSize }), sim.secrets(), { source: 'cb-test' });
const count = (key: string) => sim.server.counts.get(key) ?? 0;
const ukCustomer = () => sim.market.addCustomer({ address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });

/** Reads the stream to its end; returns the events and the last cursor. */
const readAll = (a: CloudBlueAdapter, cursor: string | null = null, options: { limit?: number; since?: string } = {}) =>
  readEventStream(a, cursor, { ...options, maxCalls: 500 });

describe('CloudBlue events: mapping', () => {
  it('maps sales, change up and down, migration, renewal, cancellation and usage', async () => {
    const c = ukCustomer();
    const { subscription: seats } = sim.market.purchase(c.id, 'CFQ7TTC0LH18_P1Y_MONTHLY', 10, '2026-03-02');
    const { subscription: keeper } = sim.market.purchase(c.id, 'KPR-BUS_P1M', 4, '2026-03-03');
    const { subscription: backup } = sim.market.purchase(c.id, 'ACR-CPC-GB_P1M', 1, '2026-03-05');
    sim.market.changeQuantity(seats.id, +5, '2026-03-12');
    sim.market.changeQuantity(seats.id, -3, '2026-03-20');
    sim.market.migrate(seats.id, 'CFQ7TTC0LDPB_P1Y_MONTHLY', '2026-03-25');
    sim.market.recordUsage(backup.id, 500, '2026-03-15');
    expect(sim.market.advanceTo('2026-04-04')).toMatchObject({ renewals: 1, reports: 1 });
    sim.market.cancel(keeper.id, '2026-04-10', { fee: 25 });

    const { events } = await readAll(adapter());
    const basic = sim.market.product('CFQ7TTC0LH18_P1Y_MONTHLY');
    const standard = sim.market.product('CFQ7TTC0LDPB_P1Y_MONTHLY');
    const orders = events.filter((e) => e.id.startsWith('order:'));
    expect(orders.map((e) => [e.vendorType, e.type, e.subscriptionId, e.quantityAfter, e.effectiveDate])).toEqual([
      ['sales', 'sales', seats.id, 10, '2026-03-02'],
      ['sales', 'sales', keeper.id, 4, '2026-03-03'],
      ['sales', 'sales', backup.id, 1, '2026-03-05'],
      ['change', 'change', seats.id, 15, '2026-03-12'],
      ['change', 'change', seats.id, 12, '2026-03-20'],
      ['migration', 'change', seats.id, 12, '2026-03-25'],
      ['renewal', 'billing', keeper.id, 4, '2026-04-03'],
      ['cancellation', 'cancellation', keeper.id, 0, '2026-04-10'],
    ]);
    expect(orders[0]).toMatchObject({ customerId: c.id, productId: basic.id, currency: 'GBP', unitPrice: 4.9, billingCycle: 'monthly', quantityBefore: null, usage: null });
    expect(orders[3]).toMatchObject({ unitPrice: 4.9, currency: 'GBP' });
    expect(orders[5]).toMatchObject({ productId: standard.id, planId: standard.id });
    expect(orders[6]).toMatchObject({ period: { from: '2026-04-03', to: '2026-05-02' }, unitPrice: 3.72 });
    expect(orders[7]).toMatchObject({ cancellationFee: { amount: 25, description: 'Early termination fee' } });
    expect(orders.every((e) => e.createdAt.endsWith('Z'))).toBe(true);

    const usage = events.filter((e) => e.vendorType === 'rated_data');
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({
      type: 'billing', customerId: c.id, subscriptionId: backup.id, period: { from: '2026-03-01', to: '2026-03-31' }, currency: 'GBP',
      usage: { quantity: 500, amount: 22, cost: 18.7 }, unitPrice: 0.044, effectiveDate: '2026-03-01',
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe('CloudBlue events: cursor', () => {
  it('reads the whole stream in ceil(n / page) list calls plus one detail call per order', async () => {
    sim.market.seed({ subscriptions: 60, from: '2025-06-01', to: '2026-03-01' });
    const n = sim.market.orders.length;
    const { events } = await readAll(adapter(25));
    expect(events).toHaveLength(n);
    expect(new Set(events.map((e) => e.id)).size).toBe(n);
    const created = events.map((e) => Date.parse(e.createdAt));
    expect(created).toEqual([...created].sort((x, y) => x - y));
    expect(count('GET /orders')).toBe(Math.ceil(n / 25));
    expect(count('GET /orders/{id}')).toBe(n);
  });

  it('returns only what is new when read again from the cursor, also for orders in the same second', async () => {
    const c = ukCustomer();
    const subs = [];
    for (let i = 0; i < 7; i++) subs.push(sim.market.purchase(c.id, 'CFQ7TTC0LH16_P1M', 1 + i, '2026-03-02').subscription); // all at 09:00:00Z
    const first = await readAll(adapter(3));
    expect(first.events.map((e) => e.subscriptionId)).toEqual(subs.map((s) => s.id));

    // New orders in the very second of the last one read, and later ones.
    const tie = sim.market.changeQuantity(subs[0].id, +2, '2026-03-02');
    const later = sim.market.changeQuantity(subs[6].id, +1, '2026-03-12');
    const second = await readAll(adapter(3), first.cursor);
    expect(second.events.map((e) => e.id)).toEqual([`order:${tie.id}`, `order:${later.id}`]);

    const third = await readAll(adapter(3), second.cursor);
    expect(third.events).toEqual([]);
    expect(third.calls).toBe(1);
  });

  it('holds back unsettled orders and emits them when they complete; cancelled ones never', async () => {
    const c = ukCustomer();
    const { subscription: a } = sim.market.purchase(c.id, 'CFQ7TTC0LH18_P1M', 3, '2026-03-02');
    const pendingChange = sim.market.changeQuantity(a.id, +2, '2026-03-03', { status: 'processing' });
    const { order: pendingSale } = sim.market.purchase(c.id, 'KPR-BUS_P1M', 2, '2026-03-04', { status: 'submitted' });
    const { order: doomed } = sim.market.purchase(c.id, 'DBX-BUS-STD_P1M', 2, '2026-03-05', { status: 'submitted' });
    const after = sim.market.purchase(c.id, 'BDGZ-BUS-SEC_P1M', 9, '2026-03-06').order;

    const first = await readAll(adapter());
    expect(first.events.map((e) => e.id)).toEqual([`order:${sim.market.orders[0].id}`, `order:${after.id}`]);
    expect(decodeCursor(first.cursor!, 'x').pending.map(([id]) => id)).toEqual([pendingChange.id, pendingSale.id, doomed.id]);

    sim.market.completeOrder(pendingChange.id, '2026-03-07');
    sim.market.cancelOrder(doomed.id);
    const second = await readAll(adapter(), first.cursor);
    expect(second.events.map((e) => [e.id, e.quantityAfter, e.effectiveDate])).toEqual([[`order:${pendingChange.id}`, 5, '2026-03-07']]);
    expect(decodeCursor(second.cursor!, 'x').pending.map(([id]) => id)).toEqual([pendingSale.id]);

    sim.market.failOrder(pendingSale.id);
    expect((await readAll(adapter(), second.cursor)).events).toEqual([]); // error: still held, not applied
    sim.market.completeOrder(pendingSale.id);
    const last = await readAll(adapter(), second.cursor);
    expect(last.events.map((e) => e.id)).toEqual([`order:${pendingSale.id}`]);
    expect(decodeCursor(last.cursor!, 'x').pending).toEqual([]);
  });

  it('starts at `since` when there is no cursor', async () => {
    const c = ukCustomer();
    sim.market.purchase(c.id, 'CFQ7TTC0LH18_P1M', 3, '2026-03-02');
    const { order } = sim.market.purchase(c.id, 'CFQ7TTC0LH18_P1M', 4, '2026-03-20');
    const { events } = await readAll(adapter(), null, { since: '2026-03-15T00:00:00Z' });
    expect(events.map((e) => e.id)).toEqual([`order:${order.id}`]);
  });

  it('reads a rated-data report longer than a page over several calls, downloading it once, and new reports after', async () => {
    const customers = Array.from({ length: 5 }, () => ukCustomer());
    const subs = customers.map((c) => sim.market.purchase(c.id, 'DZH318Z0BPS6_P1M', 1, '2026-03-02').subscription);
    subs.forEach((s, i) => sim.market.recordUsage(s.id, 100 + i, '2026-03-10'));
    sim.market.advanceTo('2026-04-02');
    const first = await readAll(adapter(2));
    expect(first.events.filter((e) => e.vendorType === 'rated_data').map((e) => e.usage!.quantity)).toEqual([100, 101, 102, 103, 104]);
    expect(sim.server.totalRequests((k) => k.startsWith('GET /blob/'))).toBe(1);

    sim.market.recordUsage(subs[0].id, 7, '2026-04-10');
    sim.market.advanceTo('2026-05-02');
    const second = await readAll(adapter(2), first.cursor);
    const usage = second.events.filter((e) => e.type === 'billing' && e.usage);
    expect(usage.map((e) => [e.vendorType, e.usage!.quantity, e.period!.from])).toEqual([['rated_data', 7, '2026-04-01']]);
    expect(second.events.filter((e) => e.vendorType === 'renewal')).toHaveLength(5); // the May renewals, read once
  });

  it('survives a transient 5xx in the middle of the stream', async () => {
    sim.market.seed({ subscriptions: 10, from: '2025-06-01', to: '2026-03-01' });
    sim.server.faults.script.push({ match: 'GET /orders/', action: { status: 500 }, times: 1 }, { match: 'GET /orders', action: { status: 503 }, times: 1 });
    const { events } = await readAll(adapter(5));
    expect(events).toHaveLength(sim.market.orders.length);
  });

  it('lets the sandbox make things happen through the admin API', async () => {
    const admin = <T>(action: string, ...args: unknown[]) => got.post(`${sim.url}/__admin/market/${action}`, { json: { args } }).json<{ result: T }>();
    const c = (await admin<{ id: string }>('addCustomer', { name: 'Admin API Ltd' })).result;
    const { subscription } = (await admin<{ subscription: { id: string } }>('purchase', c.id, 'CFQ7TTC0LH18_P1M', 5, '2026-03-02')).result;
    await admin('changeQuantity', subscription.id, 5, '2026-03-12');
    const refused = await got.post(`${sim.url}/__admin/market/changeQuantity`, { json: { args: [subscription.id, -20] }, throwHttpErrors: false });
    expect(refused.statusCode).toBe(409);
    const { events } = await readAll(adapter());
    expect(events.map((e) => [e.type, e.quantityAfter, e.effectiveDate])).toEqual([['sales', 5, '2026-03-02'], ['change', 10, '2026-03-12']]);
    expect(sim.server.totalRequests((k) => k.includes('__admin'))).toBe(0); // admin calls are not API traffic
  });

  it('rejects a cursor that is not ours', async () => {
    await expect(adapter().events({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ kind: 'validation' });
  });
});
