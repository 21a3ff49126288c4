// Pax8 events over real HTTP against the simulated marketplace: every event type, and a cursor that
// hands out exactly the events after the last one seen. No contract violation is allowed.
import { NO_FAULTS } from '../../src/sim/kit/server';
import { Pax8Adapter } from '../../src/marketplaces/pax8/adapter';
import { readEventStream, type MarketplaceEvent } from '../../src/marketplaces/adapter';
import { startPax8Sim, type Pax8Sim } from '../../src/marketplaces/pax8/sim';

let sim: Pax8Sim;
beforeAll(async () => {
  sim = await startPax8Sim({ rateLimit: false, start: '2026-03-01' });
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(() => {
  sim.reset();
  sim.server.faults = structuredClone(NO_FAULTS);
});
afterEach(() => {
  expect(sim.takeViolations()).toEqual([]);
});

const adapter = () => new Pax8Adapter(sim.adapterSettings({ timeoutMs: 5_000 }));
const count = (key: string) => sim.server.counts.get(key) ?? 0;
const product = (name: string) => sim.market.products.find((p) => p.name === name)!.id;
const brief = (e: MarketplaceEvent) => [e.type, e.subscriptionId, e.quantityBefore, e.quantityAfter, e.effectiveDate];

const readAll = (a: Pax8Adapter, cursor: string | null, limit?: number) => readEventStream(a, cursor, { limit });

/** Company 1 buys seats, adds some, gets a new price, cancels; company 2 uses Azure. */
function story() {
  const m = sim.market;
  const [c1, c2] = m.seed({ companies: 2 }).companies;
  const seats = m.sell({ companyId: c1, productId: product('Microsoft 365 Business Standard'), quantity: 5, date: '2026-03-02' });
  const azure = m.sell({ companyId: c2, productId: product('Microsoft Azure Plan'), quantity: 1, date: '2026-03-03' });
  m.recordUsage(azure.id, 120.5, '2026-03-05');
  m.changeQuantity(seats.id, +3, '2026-03-12');
  m.setPrice(seats.id, 11.75, '2026-03-13');
  m.recordUsage(azure.id, 30, '2026-03-20');
  m.cancel(seats.id, '2026-03-25', '2026-03-31');
  m.advanceTo('2026-04-06'); // Cancelled on 1 April; the invoice of 5 April bills March's usage
  return { c1, c2, seats, azure };
}

describe('Pax8 events', () => {
  it('derives sales, change, cancellation and billing events, oldest first', async () => {
    const { c1, c2, seats, azure } = story();
    const { events } = await readAll(adapter(), null);
    expect(events.map(brief)).toEqual([
      ['sales', seats.id, 0, 5, '2026-03-02'],
      ['sales', azure.id, 0, 1, '2026-03-03'],
      ['change', seats.id, 5, 8, '2026-03-12'],
      ['change', seats.id, 8, 8, '2026-03-13'],
      ['cancellation', seats.id, 8, 0, '2026-03-31'],
      ['billing', azure.id, null, null, '2026-03-01'],
    ]);
    const [sale, , up, price, cancel, bill] = events;
    expect(sale).toMatchObject({ customerId: c1, vendorType: 'order', billingCycle: 'monthly', currency: 'USD', unitPrice: 12.5, unitCost: 11.25, id: `pax8:sale:${seats.id}` });
    expect((sale.raw as { order: { id: string } }).order.id).toBe(sim.market.orders[0].id);
    expect(up).toMatchObject({ vendorType: 'modification', unitPrice: 12.5 });
    expect(price).toMatchObject({ unitPrice: 11.75, unitCost: 11.25 });
    expect(cancel).toMatchObject({ vendorType: 'PendingCancel', cancellationFee: null });
    expect(bill).toMatchObject({
      customerId: c2, vendorType: 'invoice-item:subscription', period: { from: '2026-03-01', to: '2026-03-31' }, currency: 'USD',
      unitPrice: 1.1, unitCost: 1, usage: { quantity: 150.5, amount: 165.55, cost: 150.5 }, createdAt: '2026-04-05T00:00:00.000Z',
    });
    // Ids are unique, and a second read from scratch gives the same stream.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect((await readAll(adapter(), null)).events.map((e) => e.id)).toEqual(events.map((e) => e.id));
    // Only the subscription that changed needed its history; the Azure one came from the list.
    expect(count('GET /subscriptions/{subscriptionId}/history')).toBe(2);
  });

  it('continues exactly after the cursor: only new events, none twice, same ids from the same cursor', async () => {
    const { c1, seats } = story();
    const a = adapter();
    const first = await readAll(a, null);
    expect(first.events).toHaveLength(6);
    expect(await a.events({ cursor: first.cursor })).toEqual({ events: [], cursor: first.cursor, more: false });

    // The status-only step PendingCancel → Cancelled already happened; nothing new. Now new activity:
    const m = sim.market;
    const other = m.sell({ companyId: c1, productId: product('Dropbox Business Standard'), quantity: 4, date: '2026-04-07' });
    m.changeQuantity(other.id, -1, '2026-04-08');
    m.cancel(other.id, '2026-04-09');
    sim.server.counts.clear();
    const next = await readAll(a, first.cursor);
    expect(next.events.map(brief)).toEqual([
      ['sales', other.id, 0, 4, '2026-04-07'],
      ['change', other.id, 4, 3, '2026-04-08'],
      ['cancellation', other.id, 3, 0, '2026-04-09'],
    ]);
    // Reading the same cursor again (a retried activity) gives the same events.
    expect((await readAll(adapter(), first.cursor)).events.map((e) => e.id)).toEqual(next.events.map((e) => e.id));
    expect(next.events.some((e) => e.subscriptionId === seats.id)).toBe(false);
    expect((await a.events({ cursor: next.cursor })).events).toEqual([]);
  });

  it('pages with a limit from one scan, and the pages add up to the whole stream', async () => {
    story();
    const all = (await readAll(adapter(), null)).events.map((e) => e.id);
    sim.server.counts.clear();
    const paged = await readAll(adapter(), null, 2);
    expect(paged.calls).toBe(3);
    expect(paged.events.map((e) => e.id)).toEqual(all);
    expect(count('GET /subscriptions')).toBe(1); // one scan for all three calls
  });

  it('starts at `since` when there is no cursor, and skips history of subscriptions untouched since the cursor', async () => {
    const { seats } = story();
    const since = await readAll(adapter(), null).then(() => adapter().events({ cursor: null, since: '2026-03-13' }));
    expect(since.events.map((e) => e.type)).toEqual(['change', 'cancellation', 'billing']);
    expect(since.events[0].subscriptionId).toBe(seats.id);

    const a = adapter();
    const { cursor } = await readAll(a, null);
    sim.server.counts.clear();
    await a.events({ cursor });
    // Nothing changed since: the subscription list and the invoice list only (no history, no orders, no lines of
    // an invoice already handed out).
    expect(sim.server.countsObject()).toEqual({ 'GET /invoices': 1, 'GET /subscriptions': 1 });
  });

  it('reads a stream larger than one page of every list', async () => {
    sim.market.seed({ companies: 30, subscriptions: 450, changeShare: 0.1, cancelShare: 0 });
    const a = adapter();
    const { events } = await readAll(a, null);
    expect(events.filter((e) => e.type === 'sales')).toHaveLength(450);
    const changed = sim.market.subscriptions.filter((s) => s.history.length > 1).length;
    expect(events.filter((e) => e.type === 'change')).toHaveLength(changed);
    expect(count('GET /subscriptions')).toBe(3);
    expect(count('GET /orders')).toBe(3);
    expect(count('GET /subscriptions/{subscriptionId}/history')).toBe(changed);
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(adapter().events({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ kind: 'state' });
  });
});

describe('Pax8 simulated marketplace', () => {
  it('keeps the clock moving forward and commitments honest', async () => {
    const [c] = sim.market.seed({ companies: 1 }).companies;
    const annual = sim.market.sell({ companyId: c, productId: product('Microsoft 365 E3'), quantity: 10, billingTerm: 'Annual', date: '2026-03-04' });
    expect(() => sim.market.changeQuantity(annual.id, -2)).toThrow(/does not allow a quantity decrease/);
    expect(() => sim.market.advanceTo('2026-03-01')).toThrow(/cannot go back/);
    sim.market.changeQuantity(annual.id, +2, '2026-03-10');
    const sub = await adapter().getSubscription(annual.id);
    expect(sub).toMatchObject({ quantity: 12, billingCycle: 'annual', termMonths: 12, startDate: '2026-03-04' });
    const history = await adapter().subscriptionHistory(annual.id);
    expect(history.map((h) => h.quantity)).toEqual([12, 10]); // newest first, as Pax8's example
  });

  it('seeds 20,000 subscriptions quickly', () => {
    const started = Date.now();
    const { subscriptions } = sim.market.seed({ companies: 1_000, subscriptions: 20_000 });
    expect(subscriptions).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports usage summaries for usage-billed subscriptions', async () => {
    const { azure } = story();
    sim.market.recordUsage(azure.id, 10, '2026-04-07');
    const [summary] = await adapter().usageSummaries(azure.id);
    expect(summary).toMatchObject({ currentCharges: 11, partnerTotal: 10, currencyCode: 'USD' });
  });
});
