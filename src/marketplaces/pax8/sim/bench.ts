// Reading the whole Pax8 event stream of n subscriptions through the adapter, from a null cursor,
// against the simulator (contract checks off). `npm run bench` calls it.
import { Pax8Adapter } from '../adapter';
import { current } from './market';
import { startPax8Sim } from './index';

export async function runMarketplaceReadBench({ subscriptions = 20_000 }: { subscriptions?: number } = {}): Promise<Record<string, unknown>> {
  const sim = await startPax8Sim({ rateLimit: false, checkContract: false });
  try {
    const market = sim.market;
    const seedStarted = Date.now();
    market.seed({ companies: Math.max(1, Math.ceil(subscriptions / 20)), subscriptions });
    // Past the 5th of the next month: the invoice with last month's usage exists.
    market.advanceTo(nextFifth(market.today));
    const seedMs = Date.now() - seedStarted;

    const adapter = new Pax8Adapter(sim.adapterSettings());
    sim.server.counts.clear();
    const started = Date.now();
    const byType: Record<string, number> = {};
    let events = 0;
    let calls = 0;
    for (let cursor: string | null = null, more = true; more; ) {
      const page = await adapter.events({ cursor, limit: 5_000 });
      calls++;
      for (const e of page.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
      events += page.events.length;
      cursor = page.cursor;
      more = page.more;
    }
    const elapsedMs = Date.now() - started;

    // Pax8 has no change feed: the lists cost one request per 200 records, and every subscription
    // changed since the cursor costs one history request (the only record of quantity before/after).
    const size = adapter.maxPageSize;
    const pages = (n: number) => Math.max(1, Math.ceil(n / size));
    const changed = market.subscriptions.filter((s) => current(s).updatedDate !== undefined).length;
    const itemPages = market.invoices.reduce((sum, i) => sum + pages(i.items.length), 0);
    const expected = {
      token: 1,
      subscriptions: pages(market.subscriptions.length),
      orders: pages(market.orders.length),
      history: changed,
      invoices: pages(market.invoices.length) + itemPages,
    };
    return {
      adapter: 'pax8',
      subscriptions,
      events,
      eventsByType: byType,
      eventCalls: calls,
      requests: { total: sim.server.totalRequests(), byEndpoint: sim.server.countsObject() },
      elapsedMs,
      seedMs,
      expectedRequests: Object.values(expected).reduce((a, b) => a + b, 0),
      expectedBreakdown: expected,
      listOnlyRequests: expected.token + expected.subscriptions + expected.orders + expected.invoices,
      note: 'Lists cost ceil(n/200); each subscription changed since the cursor adds one history request (Pax8 has no bulk change feed).',
    };
  } finally {
    await sim.stop();
  }
}

function nextFifth(today: string): string {
  const [y, m] = today.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return `${next}-06`;
}
