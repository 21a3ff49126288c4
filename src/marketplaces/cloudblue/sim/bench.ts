// `runMarketplaceReadBench({ subscriptions })`: the cost of reading a CloudBlue marketplace's whole event stream
// through the adapter from a null cursor. The simulator runs without contract checks or rate limit (this measures our
// reads, not the checker); the market has `subscriptions` subscriptions with sales, change and cancellation orders,
// a month of renewals and one rated-data report.
import { CloudBlueAdapter } from '../adapter';
import { startCloudBlueSim } from '.';

export async function runMarketplaceReadBench(options: { subscriptions: number; pageSize?: number; seed?: number }): Promise<object> {
  const sim = await startCloudBlueSim({ checkContract: false, rateLimit: false, start: '2026-01-20' });
  try {
    const seeded = sim.market.seed({ subscriptions: options.subscriptions, to: '2026-01-20', seed: options.seed ?? 7 });
    for (const s of sim.market.subscriptions.values()) {
      if (s.status === 'active' && sim.market.productsById.get(s.productId)!.offer.usage) sim.market.recordUsage(s.id, 10 + (Number(s.id) % 90), '2026-01-15');
    }
    const advanced = sim.market.advanceTo('2026-02-01');
    const adapter = new CloudBlueAdapter(sim.adapterSettings({ pageSize: options.pageSize ?? 100 }), sim.secrets(), { source: 'bench' });
    sim.server.counts.clear();

    const started = Date.now();
    const byType: Record<string, number> = {};
    let events = 0;
    let calls = 0;
    let cursor: string | null = null;
    for (let more = true; more; ) {
      const page = await adapter.events({ cursor });
      calls++;
      events += page.events.length;
      for (const e of page.events) byType[e.vendorType] = (byType[e.vendorType] ?? 0) + 1;
      cursor = page.cursor;
      more = page.more;
    }
    const elapsedMs = Date.now() - started;

    const orders = sim.market.orders.length;
    const completed = sim.market.orders.filter((o) => o.status === 'completed').length;
    const pageSize = adapter.maxPageSize;
    const reports = sim.market.reports.length;
    // GET /orders pages, one GET /orders/{id} per completed order (the spec's list shape has no subscription id or
    // products), GET /reports twice (list, then the check for more), one report file per report, one token.
    const expected = { orderPages: Math.ceil(orders / pageSize), orderDetails: completed, reportLists: reports ? 2 : 1, reportFiles: reports, auth: 1 };
    return {
      adapter: adapter.kind,
      subscriptions: options.subscriptions,
      seeded: { ...seeded, renewals: advanced.renewals, reports },
      events,
      eventsByVendorType: byType,
      eventCalls: calls,
      pageSize,
      requests: { byEndpoint: sim.server.countsObject(), total: sim.server.totalRequests() },
      elapsedMs,
      eventsPerSecond: Math.round((events / Math.max(1, elapsedMs)) * 1000),
      expectedRequests: Object.values(expected).reduce((a, b) => a + b, 0),
      expectedRequestsBreakdown: expected,
      cursorBytes: cursor?.length ?? 0,
    };
  } finally {
    await sim.stop();
  }
}
