// Reading the whole Pax8 event stream of n subscriptions through the adapter, from a null cursor, then what a later
// read from the cursor costs, against the simulator (rate limit off; every exchange checked against the spec unless
// `checkContract: false`). `npm run bench` calls it.
import { readEventStream } from '../../adapter';
import { cpuMsSince, readCost, retriesSince } from '../../read-cost';
import { EVENT_READ_COSTS, Pax8Adapter } from '../adapter';
import { PAX8_MAX_PAGE_SIZE } from '../settings';
import { current } from './market';
import { startPax8Sim, type Pax8Sim } from './index';

const HISTORY = 'GET /subscriptions/{subscriptionId}/history';

export async function runMarketplaceReadBench({ subscriptions = 20_000, pageSize = PAX8_MAX_PAGE_SIZE, checkContract = true }: { subscriptions?: number; pageSize?: number; checkContract?: boolean } = {}): Promise<Record<string, unknown>> {
  const sim = await startPax8Sim({ rateLimit: false, checkContract });
  try {
    const market = sim.market;
    const seedStarted = Date.now();
    const companies = Math.max(1, Math.ceil(subscriptions / 20));
    market.seed({ companies, subscriptions });
    // Past the 5th of the next month: the invoice with last month's usage exists.
    market.advanceTo(nextFifth(market.today));
    const seedMs = Date.now() - seedStarted;

    const adapter = new Pax8Adapter(sim.adapterSettings({ pageSize }));
    const size = adapter.settings.pageSize;
    const pages = (n: number) => Math.max(1, Math.ceil(n / size));
    const full = await measure(sim, adapter, null, size);
    const changed = market.subscriptions.filter((s) => current(s).updatedDate !== undefined).length;
    const expected = {
      'POST /token': 1,
      'GET /subscriptions': pages(market.subscriptions.length),
      // From a null cursor every company bought: the whole list is the cheaper way.
      'GET /orders': pages(market.orders.length),
      [HISTORY]: changed,
      'GET /invoices': pages(market.invoices.length),
      'GET /invoices/{invoiceId}/items': market.invoices.reduce((sum, i) => sum + pages(i.items.length), 0),
    };

    // A day later: 1% of the live subscriptions change and 0.1% are new sales; read from the cursor.
    const day = nextDay(market.today);
    const live = market.subscriptions.filter((s) => current(s).status === 'Active' && !market.product(s.productId)!.usageBased && !s.commitment);
    const step = Math.max(1, Math.floor(live.length / Math.max(1, Math.round(live.length / 100))));
    let changes = 0;
    for (let i = 0; i < live.length; i += step, changes++) market.changeQuantity(live[i].id, +1, day);
    const sales = Math.max(1, Math.round(subscriptions / 1000));
    for (let i = 0; i < sales; i++) market.sell({ companyId: market.companies[(i * 7) % market.companies.length].id, productId: live[0].productId, quantity: 2, date: day });
    const later = await measure(sim, adapter, full.cursor, size);

    return {
      adapter: 'pax8',
      subscriptions,
      companies,
      pageSize: size,
      seeded: { subscriptions: market.subscriptions.length - sales, orders: market.orders.length - sales, invoices: market.invoices.length, changed },
      seedMs,
      fromNullCursor: { ...full.result, expected, expectedTotal: Object.values(expected).reduce((a, b) => a + b, 0) },
      fromCursor: { changes, sales, ...later.result },
      unavoidable: EVENT_READ_COSTS,
      contractChecking: checkContract ? 'on' : 'off',
      contractViolations: checkContract ? sim.takeViolations() : undefined,
    };
  } finally {
    await sim.stop();
  }
}

async function measure(sim: Pax8Sim, adapter: Pax8Adapter, start: string | null, pageSize: number) {
  sim.server.counts.clear();
  const retriesBefore = { ...adapter.client.http.retries };
  const cpu = process.cpuUsage();
  const started = Date.now();
  const byType: Record<string, number> = {};
  const { events, cursor, calls } = await readEventStream(adapter, start, { limit: 5_000 });
  const elapsedMs = Date.now() - started;
  for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return {
    cursor,
    result: {
      events: events.length,
      eventsByType: byType,
      eventCalls: calls,
      requests: readCost({ byEndpoint: sim.server.countsObject(), events: events.length, pageSize, perItem: [HISTORY] }),
      // Repeated requests (a timeout or reset on a busy machine) are counted above too.
      retries: retriesSince(retriesBefore, adapter.client.http.retries),
      elapsedMs,
      cpuMs: cpuMsSince(cpu),
      eventsPerSecond: Math.round((events.length / Math.max(1, elapsedMs)) * 1000),
      cursorBytes: cursor?.length ?? 0,
    },
  };
}

function nextFifth(today: string): string {
  const [y, m] = today.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return `${next}-06`;
}

function nextDay(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
