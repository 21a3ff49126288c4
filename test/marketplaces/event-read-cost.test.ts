// What reading a marketplace's event stream costs in requests, by endpoint: ceil(n / page) list pages plus only the
// per-item calls each vendor's spec makes unavoidable (EVENT_READ_COSTS in each adapter), from a null cursor and from
// a cursor. Real HTTP against the simulators; every exchange checked against the spec.
import { CloudBlueAdapter } from '../../src/marketplaces/cloudblue/adapter';
import { decodeCursor } from '../../src/marketplaces/cloudblue/cursor';
import { startCloudBlueSim, type CloudBlueSim } from '../../src/marketplaces/cloudblue/sim';
import { Pax8Adapter } from '../../src/marketplaces/pax8/adapter';
import { startPax8Sim, type Pax8Sim } from '../../src/marketplaces/pax8/sim';
import { current } from '../../src/marketplaces/pax8/sim/market';
import { readEventStream, type EventPage } from '../../src/marketplaces/adapter';

const readAll = (read: (cursor: string | null) => Promise<EventPage>, cursor: string | null = null) =>
  readEventStream({ events: ({ cursor }) => read(cursor) }, cursor, { maxCalls: 1000 });

describe('CloudBlue: requests to read the event stream', () => {
  let sim: CloudBlueSim;
  beforeAll(async () => {
    sim = await startCloudBlueSim({ rateLimit: false, start: '2026-03-01' });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());
  afterEach(() => expect(sim.takeViolations()).toEqual([]));

  const adapter = (pageSize: number) => new CloudBlueAdapter(sim.adapterSettings({ timeoutMs: 5_000, pageSize }), sim.secrets(), { source: 'cb-cost' });
  const counts = () => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(sim.server.countsObject())) out[k.startsWith('GET /blob/') ? 'report file' : k] = (out[k.startsWith('GET /blob/') ? 'report file' : k] ?? 0) + v;
    return out;
  };
  const ukCustomer = () => sim.market.addCustomer({ address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });


  it('costs ceil(orders / page) list pages, one detail per completed order and one list and file per report', async () => {
    const page = 20;
    sim.market.seed({ subscriptions: 70, from: '2025-09-01', to: '2026-03-01' });
    const usage = Array.from({ length: 45 }, () => sim.market.purchase(ukCustomer().id, 'DZH318Z0BPS6_P1M', 1, '2026-03-02').subscription);
    usage.forEach((s, i) => sim.market.recordUsage(s.id, 10 + i, '2026-03-10'));
    sim.market.advanceTo('2026-04-02');
    const orders = sim.market.orders.length;
    const rows = sim.market.reports[0].rows.length;
    expect(rows).toBe(45);

    // One adapter for the whole read, as a worker keeps it (connector/clients.ts): one token, the report file once.
    const a = adapter(page);
    const { events } = await readAll((cursor) => a.events({ cursor }));
    expect(events).toHaveLength(orders + rows);
    const usagePages = Math.ceil(rows / page);
    expect(counts()).toEqual({
      'POST /token': 1,
      // One page per call: ceil(orders / page) of them, and one more with each further page of usage rows.
      'GET /orders': Math.ceil(orders / page) + usagePages - 1,
      'GET /orders/{id}': orders,
      // Listed when the report starts and once more when it ends two calls later (no fresh list in that call).
      'GET /reports': 2,
      'report file': 1,
    });
    // Apart from the per-item details, about ceil(n / page) requests.
    const total = sim.server.totalRequests();
    expect(total - orders).toBeLessThanOrEqual(Math.ceil(events.length / page) + 4);
  });

  it('costs one page and one detail per new order when read again from the cursor, one report list when none is new', async () => {
    sim.market.seed({ subscriptions: 40, from: '2025-09-01', to: '2026-03-01' });
    const a = adapter(100);
    const first = await readAll((cursor) => a.events({ cursor }));
    const live = [...sim.market.subscriptions.values()].filter((s) => s.status === 'active').slice(0, 3);
    live.forEach((s) => sim.market.changeQuantity(s.id, +1, '2026-03-05'));
    sim.server.counts.clear();
    const second = await readAll((cursor) => a.events({ cursor }), first.cursor);
    expect(second.events.map((e) => e.subscriptionId)).toEqual(live.map((s) => s.id));
    expect(counts()).toEqual({ 'GET /orders': 1, 'GET /orders/{id}': 3, 'GET /reports': 1 });
  });

  it('checks many held orders with one list per unsettled status, reading by id only those that settled', async () => {
    const c = ukCustomer();
    const held = Array.from({ length: 8 }, (_, i) => sim.market.purchase(c.id, 'CFQ7TTC0LH18_P1M', 1 + i, '2026-03-02', { status: 'processing' }).order);
    sim.market.purchase(c.id, 'KPR-BUS_P1M', 2, '2026-03-03');
    const first = await readAll((cursor) => adapter(100).events({ cursor }));
    expect(first.events).toHaveLength(1);
    // Passed unsettled in this very call: not read again in it.
    expect(counts()['GET /orders/{id}']).toBe(1);
    expect(decodeCursor(first.cursor!, 'x').pending.map(([id]) => id)).toEqual(held.map((o) => o.id));

    sim.market.completeOrder(held[0].id, '2026-03-05');
    sim.market.completeOrder(held[5].id, '2026-03-06');
    sim.market.cancelOrder(held[2].id);
    sim.market.failOrder(held[3].id);
    sim.server.counts.clear();
    const second = await readAll((cursor) => adapter(100).events({ cursor }), first.cursor);
    expect(second.events.map((e) => [e.id, e.effectiveDate])).toEqual([[`order:${held[0].id}`, '2026-03-05'], [`order:${held[5].id}`, '2026-03-06']]);
    // The page after the cursor, a list per status (submitted, processing, error), the three settled ones by id.
    expect(counts()).toEqual({ 'POST /token': 1, 'GET /orders': 1 + 3, 'GET /orders/{id}': 3, 'GET /reports': 1 });
    expect(decodeCursor(second.cursor!, 'x').pending.map(([id]) => id)).toEqual([1, 3, 4, 6, 7].map((i) => held[i].id));
  });
});

describe('CloudBlue: product lookups in a run', () => {
  let sim: CloudBlueSim;
  beforeAll(async () => {
    sim = await startCloudBlueSim({ rateLimit: false, start: '2026-03-01' });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());
  afterEach(() => expect(sim.takeViolations()).toEqual([]));

  it('pages the catalog (no GET /products/{id}) once for many lookups, and again for an id it did not hold', async () => {
    const a = new CloudBlueAdapter(sim.adapterSettings({ timeoutMs: 5_000, pageSize: 5 }), sim.secrets());
    const pagesOfCatalog = Math.ceil(sim.market.products.length / 5);
    expect(pagesOfCatalog).toBeGreaterThan(1);
    const ids = sim.market.products.slice(0, 8).map((p) => p.id);
    for (const id of ids) expect((await a.getProduct(id))?.id).toBe(id);
    expect(sim.server.counts.get('GET /products')).toBe(pagesOfCatalog);
    expect(await a.getProduct('PRD-NOPE')).toBeNull();
    expect(sim.server.counts.get('GET /products')).toBe(2 * pagesOfCatalog);
  });
});

describe('Pax8: requests to read the event stream', () => {
  let sim: Pax8Sim;
  beforeAll(async () => {
    sim = await startPax8Sim({ rateLimit: false, start: '2026-03-01' });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());
  afterEach(() => expect(sim.takeViolations()).toEqual([]));

  const adapter = () => new Pax8Adapter(sim.adapterSettings({ timeoutMs: 5_000 }));
  const pages = (n: number) => Math.max(1, Math.ceil(n / 200));


  it('costs the list pages plus one history per changed subscription from a null cursor', async () => {
    const m = sim.market;
    m.seed({ companies: 30, subscriptions: 450, changeShare: 0.2, cancelShare: 0.05 });
    m.advanceTo('2026-04-06');
    const { events } = await readAll((cursor) => adapter().events({ cursor }));
    const changed = m.subscriptions.filter((s) => current(s).updatedDate !== undefined).length;
    expect(changed).toBeGreaterThan(50);
    expect(changed).toBeLessThanOrEqual(events.filter((e) => e.type === 'change' || e.type === 'cancellation').length);
    expect(sim.server.countsObject()).toEqual({
      'POST /token': 1,
      'GET /subscriptions': pages(450),
      'GET /orders': pages(m.orders.length),
      'GET /subscriptions/{subscriptionId}/history': changed,
      'GET /invoices': 1,
      'GET /invoices/{invoiceId}/items': m.invoices.reduce((n, i) => n + pages(i.items.length), 0),
    });
    // Apart from the histories, within ceil(n / 200) per list read.
    expect(sim.server.totalRequests() - changed).toBeLessThanOrEqual(3 * Math.ceil(events.length / 200) + m.invoices.length + 1);
  });

  it('from a cursor: orders of the buying companies only, changed histories only, no invoice lines read twice', async () => {
    const m = sim.market;
    m.seed({ companies: 30, subscriptions: 450, changeShare: 0.2, cancelShare: 0 });
    m.advanceTo('2026-04-06');
    const a = adapter();
    const first = await readAll((cursor) => a.events({ cursor }));

    const seats = m.subscriptions.filter((s) => !m.product(s.productId)!.usageBased && !s.commitment && current(s).status === 'Active').slice(0, 3);
    seats.forEach((s) => m.changeQuantity(s.id, +2, '2026-04-07'));
    const sold = [m.companies[4], m.companies[9]].map((c) => m.sell({ companyId: c.id, productId: seats[0].productId, quantity: 3, date: '2026-04-07' }));
    sim.server.counts.clear();
    const second = await readAll((cursor) => a.events({ cursor }), first.cursor);
    expect(second.events.map((e) => [e.type, e.subscriptionId])).toEqual([
      ...seats.map((s) => ['change', s.id]),
      ...sold.map((s) => ['sales', s.id]),
    ]);
    expect(sim.server.countsObject()).toEqual({
      'GET /subscriptions': pages(452),
      'GET /orders': 2, // one per buying company (companyId), not the whole list
      'GET /subscriptions/{subscriptionId}/history': 3,
      'GET /invoices': 1, // the April invoices were handed out: listed, their lines not read again
    });
  });

  it('still reads an invoice Pax8 adds later on the day of one already handed out', async () => {
    const m = sim.market;
    m.seed({ companies: 4, subscriptions: 40, changeShare: 0, cancelShare: 0 });
    m.advanceTo('2026-04-06');
    const first = await readAll((cursor) => adapter().events({ cursor }));
    const billed = first.events.filter((e) => e.type === 'billing');
    expect(billed.length).toBeGreaterThan(0);

    // Another invoice dated the same day (e.g. a second currency published later).
    const invoice = m.invoices.find((i) => i.items.some((x) => x.term === 'Arrears'))!;
    expect(invoice.invoiceDate).toBe('2026-04-05');
    const late = { ...invoice, id: `${invoice.id.slice(0, -4)}beef`, items: invoice.items.filter((i) => i.term === 'Arrears').map((i) => ({ ...i, id: `${i.id.slice(0, -4)}beef` })) };
    expect(late.items.length).toBeGreaterThan(0);
    m.invoices.push(late);
    sim.server.counts.clear();
    const second = await readAll((cursor) => adapter().events({ cursor }), first.cursor);
    expect(second.events.map((e) => e.id).sort()).toEqual(late.items.map((i) => `pax8:bill:${i.id}`).sort());
    expect(sim.server.counts.get('GET /invoices/{invoiceId}/items')).toBe(1); // the new one only
  });
});
