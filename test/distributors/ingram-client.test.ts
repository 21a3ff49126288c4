import { IngramAdapter } from '../../src/distributors/ingram/adapter';
import { startIngramSim, type IngramSim } from '../../src/distributors/ingram/sim';
import { createDistributorAdapter } from '../../src/distributors/registry';
import { DistributorError } from '../../src/distributors/errors';
import { CANCEL, CATALOG, CREATE, DETAILS, PNA, SEARCH, TOKEN, useIngramSim } from './helpers';

function secretFree(err: unknown, secrets: string[]): void {
  const e = err as DistributorError;
  const texts = [e.message, String(e), JSON.stringify(e), e.stack ?? '', JSON.stringify(e.fieldErrors)];
  for (const secret of secrets) for (const t of texts) expect(t).not.toContain(secret);
}

describe('Ingram client: auth', () => {
  const h = useIngramSim();

  it('fetches a new token transparently when one expires mid-run (exactly one extra token call)', async () => {
    const adapter = h.adapter();
    await adapter.fetchProductPage();
    expect(h.count(TOKEN)).toBe(1);
    await h.admin('POST', '/tokens/expire');
    await adapter.fetchProductPage('p=2;s=100');
    await adapter.priceAndAvailability(h.sim.catalog.expectedSkus().slice(0, 3));
    expect(h.count(TOKEN)).toBe(2);
    expect(h.count(CATALOG)).toBe(3); // 1 + the 401 + its retry
  });

  it('refreshes a short-lived token before it expires', async () => {
    await h.admin('POST', '/settings', { tokenTtlSeconds: 1 });
    try {
      const adapter = h.adapter();
      await adapter.fetchProductPage();
      await new Promise((r) => setTimeout(r, 950));
      await adapter.fetchProductPage();
      expect(h.count(TOKEN)).toBe(2);
      expect(h.count(CATALOG)).toBe(2); // no 401 round trip
    } finally {
      await h.admin('POST', '/settings', { tokenTtlSeconds: 86_399 });
    }
  });

  it('fails with `auth` in one request on a wrong client secret, without leaking it', async () => {
    const secret = 'wrong-secret-123456';
    const err = await h.adapter({ clientSecret: secret }).fetchProductPage().catch((e) => e);
    expect(err).toBeInstanceOf(DistributorError);
    expect(err).toMatchObject({ kind: 'auth', status: 401, vendorCode: 'invalid_client', retryable: false });
    expect(h.sim.server.totalRequests()).toBe(1);
    secretFree(err, [secret]);
    expect(String((err as Error).cause ?? '')).not.toContain(secret);
  });

  it('never puts the bearer token or the client secret in an error', async () => {
    const adapter = h.adapter();
    const token = await adapter.client.tokens.getToken();
    const err = await adapter.cancelOrder('20-NOPE1').catch((e) => e);
    expect(err).toMatchObject({ kind: 'not_found', status: 404 });
    secretFree(err, [token, h.sim.adapterSettings().clientSecret]);
    // Transport failures too: their cause is copied without the request options.
    h.sim.server.faults.script.push({ match: 'GET /resellers/v6/catalog', action: 'reset', times: 5 });
    const blip = await h.adapter({ transportRetries: 1 }).fetchProductPage().catch((e) => e);
    expect(blip).toMatchObject({ kind: 'transient', outcomeUnknown: false });
    secretFree(blip, [token, h.sim.adapterSettings().clientSecret]);
    expect(Object.keys((blip as Error).cause as object)).not.toContain('options');
  });

  it('builds adapters from a registry config', async () => {
    const adapter = createDistributorAdapter({ kind: 'ingram', ...h.sim.adapterSettings() });
    expect(adapter).toBeInstanceOf(IngramAdapter);
    expect(adapter.capabilities).toMatchObject({ maxPnaBatch: 50, pagination: 'page', nativeDeduplication: 'poNumber' });
    expect(() => createDistributorAdapter({ kind: 'ingram', ...h.sim.adapterSettings(), pnaBatchSize: 51 })).toThrow();
  });
});

describe('Ingram client: transport', () => {
  const h = useIngramSim();

  it('retries a connection reset on an idempotent GET, never on an order POST', async () => {
    const adapter = h.adapter();
    h.sim.server.faults.script.push({ match: 'GET /resellers/v6/catalog', action: 'reset' });
    const page = await adapter.fetchProductPage();
    expect(page.items).toHaveLength(100);
    expect(h.count(CATALOG)).toBe(2);

    const sku = h.sim.catalog.expectedSkus()[0];
    h.sim.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: 'reset' });
    const err = await adapter.submitOrder({ lines: [{ distributorSku: sku, quantity: 1 }] }, 'PO-RESET').catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(h.count(CREATE)).toBe(1);
  });

  it('classifies 5xx as transient and leaves the retry to the caller', async () => {
    h.sim.server.faults.script.push({ match: 'GET /resellers/v6/catalog', action: { status: 503 } });
    const err = await h.adapter().fetchProductPage().catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', status: 503, retryable: true });
    expect(h.count(CATALOG)).toBe(1);
  });

  it('times out a request after timeoutMs', async () => {
    h.sim.server.faults.script.push({ match: 'GET /resellers/v6.1/orders', action: 'timeout' });
    const started = Date.now();
    const err = await h.adapter({ timeoutMs: 200, transportRetries: 0 }).getOrder('20-AAAAA').catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', vendorCode: 'ETIMEDOUT', outcomeUnknown: false });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('Ingram client: rate limits', () => {
  const h = useIngramSim({ rateLimit: { limit: 2, windowMs: 1_000 } });

  it('waits out a 429 using Retry-After, then succeeds', async () => {
    const adapter = h.adapter({ maxRateLimitWaitMs: 3_000 });
    await adapter.fetchProductPage();
    await adapter.fetchProductPage('p=2;s=100');
    const started = Date.now();
    const page = await adapter.fetchProductPage('p=3;s=100');
    expect(page.items.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.count(CATALOG)).toBe(4);
  });

  it('throws `rate_limited` with retryAfterMs when the wait would exceed the bound', async () => {
    const adapter = h.adapter({ maxRateLimitWaitMs: 0 });
    await adapter.findOrderByPo('PO-X');
    await adapter.findOrderByPo('PO-X');
    const err = await adapter.findOrderByPo('PO-X').catch((e) => e);
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(err.retryAfterMs).toBeLessThanOrEqual(1_000);
    // Limits are per endpoint: another GET endpoint is still open.
    await expect(adapter.fetchProductPage()).resolves.toBeDefined();
  });
});

describe('Ingram adapter: every request it builds conforms to the official spec', () => {
  let sim: IngramSim;
  beforeAll(async () => {
    sim = await startIngramSim({ rateLimit: false, catalog: { skus: 300 } });
  });
  afterAll(() => sim.stop());

  it('exercises every method with the contract check on', async () => {
    const adapter = new IngramAdapter(sim.adapterSettings({ senderId: 'autotask-bridge' }));
    const skus: string[] = [];
    for await (const page of adapter.listProducts()) skus.push(...page.items.map((p) => p.distributorSku));
    await adapter.priceAndAvailability(skus);
    const g = sim.catalog;
    const ok = Array.from(g.present()).map((i) => g.product(i)).filter((p) => !p.bad && !p.discontinued && p.warehouses.some((w) => w.quantity > 2));
    const submitted = await adapter.submitOrder({
      lines: [{ distributorSku: ok[0].sku, quantity: 2, unitPrice: ok[0].cost, notes: 'n' }, { distributorSku: ok[1].sku, quantity: 1 }, { distributorSku: 'NOPE123', quantity: 1 }],
      shipTo: { companyName: 'Acme', contact: 'Jo', addressLine1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', countryCode: 'US', phoneNumber: '5125550100', email: 'jo@example.com' },
      endUser: { companyName: 'Acme', countryCode: 'US' },
      notes: 'note', shipComplete: false, acceptBackOrder: true, endCustomerOrderNumber: 'EU-1',
    }, 'PO-CONTRACT');
    await adapter.findOrderByPo('PO-CONTRACT');
    await adapter.findOrderByPo('PO-NONE');
    for (const id of submitted.distributorOrderIds) {
      sim.orders.advance(id, 'partial');
      await adapter.getOrder(id);
      sim.orders.advance(id, 'invoice');
      await adapter.getOrder(id);
    }
    await adapter.getOrder('20-NONE1');
    await adapter.cancelOrder(submitted.distributorOrderIds[0]).catch(() => undefined);
    const counts = sim.server.countsObject();
    for (const key of [TOKEN, CATALOG, PNA, CREATE, SEARCH, DETAILS, CANCEL]) expect(counts[key]).toBeGreaterThan(0);
    expect(sim.takeViolations()).toEqual([]);
  });
});
