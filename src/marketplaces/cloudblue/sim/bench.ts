// `runMarketplaceReadBench({ subscriptions })`: the cost of reading a CloudBlue marketplace's whole event stream
// through the adapter from a null cursor, then what a later read from the cursor costs. The simulator checks every
// exchange against the spec unless `checkContract: false` (elapsed then measures our reads alone) and has no rate
// limit; the market has `subscriptions`
// subscriptions with sales, change and cancellation orders, a month of renewals and one rated-data report.
import { readEventStream } from '../../adapter';
import { cpuMsSince, readCost, retriesSince } from '../../read-cost';
import { CloudBlueAdapter, EVENT_READ_COSTS } from '../adapter';
import { startCloudBlueSim, type CloudBlueSim } from '.';

const DETAIL = 'GET /orders/{id}';

export async function runMarketplaceReadBench(options: { subscriptions: number; pageSize?: number; seed?: number; checkContract?: boolean }): Promise<object> {
  const checkContract = options.checkContract ?? true;
  const sim = await startCloudBlueSim({ checkContract, rateLimit: false, start: '2026-01-20' });
  try {
    const seedStarted = Date.now();
    const seeded = sim.market.seed({ subscriptions: options.subscriptions, to: '2026-01-20', seed: options.seed ?? 7 });
    for (const s of sim.market.subscriptions.values()) {
      if (s.status === 'active' && sim.market.productsById.get(s.productId)!.offer.usage) sim.market.recordUsage(s.id, 10 + (Number(s.id) % 90), '2026-01-15');
    }
    const advanced = sim.market.advanceTo('2026-02-01');
    const seedMs = Date.now() - seedStarted;
    const adapter = new CloudBlueAdapter(sim.adapterSettings({ pageSize: options.pageSize ?? 100 }), sim.secrets(), { source: 'bench' });
    const pageSize = adapter.maxPageSize;

    const full = await measure(sim, adapter, null);
    const orders = sim.market.orders.length;
    const completed = sim.market.orders.filter((o) => o.status === 'completed').length;
    const reports = sim.market.reports;
    const usagePages = reports.reduce((n, r) => n + Math.ceil(r.rows.length / pageSize), 0);
    // One GET /orders page per events() call: ceil(orders / page) while orders remain, then once more for each
    // further page of usage rows (every call looks for new orders first). One detail per completed order.
    const expected = {
      'POST /token': 1,
      'GET /orders': Math.ceil(orders / pageSize) + Math.max(0, usagePages - 1),
      [DETAIL]: completed,
      // Listed when a report starts, and again when one longer than a page ends (that call has no fresh list).
      'GET /reports': Math.max(1, reports.length + reports.filter((r) => r.rows.length > pageSize).length),
      'report files': reports.length,
    };

    // Later: 1% of the live subscriptions change, a few orders stay unsettled, and the stream is read from the cursor.
    const live = [...sim.market.subscriptions.values()].filter((s) => s.status === 'active');
    const step = Math.max(1, Math.floor(live.length / Math.max(1, Math.round(live.length / 100))));
    let changed = 0;
    let held = 0;
    for (let i = 0; i < live.length; i += step) {
      sim.market.changeQuantity(live[i].id, +1, '2026-02-02', i % (step * 10) === 0 ? { status: 'processing' } : {});
      if (i % (step * 10) === 0) held++;
      else changed++;
    }
    const later = await measure(sim, adapter, full.cursor);

    return {
      adapter: adapter.kind,
      subscriptions: options.subscriptions,
      pageSize,
      seeded: { ...seeded, renewals: advanced.renewals, reports: reports.length, usageRows: reports.reduce((n, r) => n + r.rows.length, 0) },
      seedMs,
      fromNullCursor: {
        ...full.result,
        expected,
        expectedTotal: Object.values(expected).reduce((a, b) => a + b, 0),
      },
      fromCursor: { changedCompleted: changed, changedHeldProcessing: held, ...later.result },
      unavoidable: EVENT_READ_COSTS,
      contractChecking: checkContract ? 'on' : 'off',
      contractViolations: checkContract ? sim.takeViolations() : undefined,
    };
  } finally {
    await sim.stop();
  }
}

async function measure(sim: CloudBlueSim, adapter: CloudBlueAdapter, start: string | null) {
  sim.server.counts.clear();
  const retriesBefore = { ...adapter.client.http.retries };
  const cpu = process.cpuUsage();
  const started = Date.now();
  const byType: Record<string, number> = {};
  const { events, cursor, calls } = await readEventStream(adapter, start);
  const elapsedMs = Date.now() - started;
  for (const e of events) byType[e.vendorType] = (byType[e.vendorType] ?? 0) + 1;
  // The report file's path names the report: counted under one name.
  const byEndpoint: Record<string, number> = {};
  for (const [k, v] of Object.entries(sim.server.countsObject())) {
    const key = k.startsWith('GET /blob/') ? 'report files' : k;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + v;
  }
  return {
    cursor,
    result: {
      events: events.length,
      eventsByVendorType: byType,
      eventCalls: calls,
      requests: readCost({ byEndpoint, events: events.length, pageSize: adapter.maxPageSize, perItem: [DETAIL] }),
      // Repeated requests (a timeout or reset on a busy machine) are counted above too.
      retries: retriesSince(retriesBefore, adapter.client.http.retries),
      elapsedMs,
      cpuMs: cpuMsSince(cpu),
      eventsPerSecond: Math.round((events.length / Math.max(1, elapsedMs)) * 1000),
      cursorBytes: cursor?.length ?? 0,
    },
  };
}
