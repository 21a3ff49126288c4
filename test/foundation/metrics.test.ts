// The worker's /metrics endpoint: vendor requests by endpoint and status, in-client retries, the
// Autotask budget from ThresholdInformation and limiter waits, fed by real requests to the Autotask
// simulator; order states and transitions read from the database.
import { sql, type Database } from '../../db';
import { actionLog } from '../../db/schema/action-log';
import { orderLinks } from '../../db/schema/orders';
import { memoryLimiter } from '../../src/autotask/limits';
import type { AutotaskSim } from '../../src/autotask/sim';
import { meteredLimiter, startMetricsServer, type MetricsServer } from '../../src/metrics';
import { productSyncOutcomes } from '../../src/metrics/activities';
import { endpointLabel } from '../../src/metrics/vendor';
import { clearZoneCache, clientFor, product, startSim } from '../autotask/helpers';
import { testDatabases } from '../helpers/db';

/** The value of one series in Prometheus text format, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const body = line.slice(name.length, line.lastIndexOf(' '));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function scrape(server: MetricsServer): Promise<string> {
  const res = await fetch(server.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

describe('vendor request metrics', () => {
  let at: AutotaskSim;
  let server: MetricsServer;

  beforeAll(async () => {
    at = await startSim();
    server = await startMetricsServer({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
    await at.stop();
  });

  it('counts requests by endpoint and status, retries by kind, the budget and limiter waits', async () => {
    clearZoneCache();
    at.seed('Products', [product(1), product(2)]);
    const client = clientFor(at, { limiter: meteredLimiter(memoryLimiter()), retry: { attempts: 3, baseMs: 10, maxMs: 20, maxElapsedMs: 5_000 } });
    at.sim.faults.script.push({ match: 'POST /atservicesrest/V1.0/Products/query', action: { status: 503 } });

    expect((await client.products.query()).items).toHaveLength(2);
    await client.products.get(1);
    // ThresholdInformation is read after the first answered request, in the background.
    for (let i = 0; i < 50 && at.sim.totalRequests((k) => /ThresholdInformation/.test(k)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));

    const text = await scrape(server);
    expect(sample(text, 'bridge_vendor_requests_total', { vendor: 'autotask', endpoint: 'POST Products/query', status: '503' })).toBe(1);
    expect(sample(text, 'bridge_vendor_requests_total', { vendor: 'autotask', endpoint: 'POST Products/query', status: '200' })).toBe(1);
    expect(sample(text, 'bridge_vendor_requests_total', { vendor: 'autotask', endpoint: 'GET Products/{id}', status: '200' })).toBe(1);
    expect(sample(text, 'bridge_vendor_retries_total', { vendor: 'autotask', kind: 'server_error' })).toBe(1);
    expect(sample(text, 'bridge_vendor_request_duration_seconds_count', { vendor: 'autotask' })).toBeGreaterThanOrEqual(3);

    // The gauges carry what ThresholdInformation reported (the simulator's limit; usage so far).
    const info = await client.thresholdInformation();
    const used = sample(text, 'bridge_autotask_budget_used');
    expect(used).toBeGreaterThan(0);
    expect(sample(text, 'bridge_autotask_budget_limit')).toBe(info.externalRequestThreshold);
    expect(sample(text, 'bridge_autotask_budget_remaining')).toBe(info.externalRequestThreshold - used!);
    expect(sample(text, 'bridge_autotask_limiter_wait_seconds_count', { endpoint: 'Products' })).toBeGreaterThanOrEqual(3);
    // Node's process metrics come along (memory is what the scale work measures).
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('stops counting once the server is closed', async () => {
    const other = await startMetricsServer({ port: 0, host: '127.0.0.1' });
    await other.close();
    await expect(fetch(other.url)).rejects.toThrow();
    // The first server still counts: closing one does not unsubscribe the other.
    const before = sample(await scrape(server), 'bridge_vendor_requests_total', { vendor: 'autotask', endpoint: 'GET Products/{id}', status: '200' }) ?? 0;
    clearZoneCache();
    await clientFor(at).products.get(2);
    expect(sample(await scrape(server), 'bridge_vendor_requests_total', { vendor: 'autotask', endpoint: 'GET Products/{id}', status: '200' })).toBe(before + 1);
  });

  it('answers 404 off /metrics', async () => {
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
  });
});

describe('metric labels', () => {
  it('keeps ids out of endpoint labels', () => {
    expect(endpointLabel('GET Products/123')).toBe('GET Products/{id}');
    expect(endpointLabel('GET /resellers/v6/orders/20-RD3QV?x=1')).toBe('GET /resellers/v6/orders/{id}');
    expect(endpointLabel('POST PurchaseOrders/55/Items')).toBe('POST PurchaseOrders/{id}/Items');
    expect(endpointLabel('FTP RETR')).toBe('FTP RETR');
  });

  it('reads Product Sync outcomes from page results, not from dry runs', () => {
    const counters = { processed: 5, created: 2, updated: 1, unchanged: 1, adopted: 0, deactivated: 0, quarantined: 1, skipped: 0 };
    expect(productSyncOutcomes('syncCatalogPages', { dryRun: false }, { counters })).toEqual({ created: 2, updated: 1, unchanged: 1, quarantined: 1 });
    expect(productSyncOutcomes('syncCatalogPages', { dryRun: true }, { counters })).toEqual({});
    expect(productSyncOutcomes('deactivateProducts', {}, { deactivated: 3 })).toEqual({ deactivated: 3 });
    expect(productSyncOutcomes('validateOrder', {}, { counters })).toEqual({});
  });
});

describe.each(testDatabases())('order metrics on $driver', ({ open }) => {
  let database: Database;
  let server: MetricsServer;

  beforeAll(async () => {
    database = await open();
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', database });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const link = (purchaseOrderId: number, state: string) => ({ connectorId: 'c1', purchaseOrderId, integrationId: 'ingram', clientPoNumber: `PO-${purchaseOrderId}`, state });

  it('reports orders by state and the transitions logged since the first scrape', async () => {
    await database.db.insert(actionLog).values({ connectorId: 'c1', kind: 'order.status', message: 'before start', details: { from: 'submitted', to: 'processing' } });
    await database.db.insert(orderLinks).values([link(1, 'submitted'), link(2, 'submitted'), link(3, 'shipped')]);
    let text = await scrape(server);
    expect(sample(text, 'bridge_orders', { state: 'submitted' })).toBe(2);
    expect(sample(text, 'bridge_orders', { state: 'shipped' })).toBe(1);
    expect(sample(text, 'bridge_order_transitions_total')).toBeUndefined(); // history before the worker started is not counted

    await database.db.insert(actionLog).values([
      { connectorId: 'c1', kind: 'order.status', message: 'PO 1', details: { from: 'submitted', to: 'shipped' } },
      { connectorId: 'c1', kind: 'order.submitted', message: 'PO 4', details: {} },
      { connectorId: 'c1', kind: 'sync.completed', message: 'not an order', details: {} },
    ]);
    await database.query(sql`update order_links set state = 'shipped' where purchase_order_id = 1`);
    text = await scrape(server);
    expect(sample(text, 'bridge_orders', { state: 'submitted' })).toBe(1);
    expect(sample(text, 'bridge_orders', { state: 'shipped' })).toBe(2);
    expect(sample(text, 'bridge_order_transitions_total', { from: 'submitted', to: 'shipped' })).toBe(1);
    expect(sample(text, 'bridge_order_transitions_total', { from: 'validated', to: 'submitted' })).toBe(1);
    expect(sample(text, 'bridge_order_transitions_total', { to: 'processing' })).toBeUndefined();
  });
});
