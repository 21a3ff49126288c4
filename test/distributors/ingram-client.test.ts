import got from 'got';
import { IngramAdapter } from '../../src/distributors/ingram/adapter';
import { ingramIntegrationSettingsSchema } from '../../src/distributors/ingram/definition';
import { INGRAM_SANDBOX_URL, parseIngramSettings } from '../../src/distributors/ingram/settings';
import { startIngramSim, type IngramSim } from '../../src/distributors/ingram/sim';
import { integrationKind } from '../../src/integrations/registry';
import { DistributorError } from '../../src/distributors/errors';
import { BridgeError } from '../../src/failures';
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

  it('builds adapters from the integration registry', async () => {
    const adapter = adapterFromRegistry(h.sim.adapterSettings());
    expect(adapter).toBeInstanceOf(IngramAdapter);
    expect(adapter.capabilities).toMatchObject({ maxPnaBatch: 50, orderAddress: { shipTo: { maxLength: { city: 25, companyName: 40 } } } });
    expect(Object.keys(adapter.capabilities).sort()).toEqual(['maxPnaBatch', 'orderAddress', 'orderSearch']);
    expect(() => adapterFromRegistry({ ...h.sim.adapterSettings(), pnaBatchSize: 51 })).toThrow();
  });

  it('gets its token with a POST form body: the client secret is never in a URL', async () => {
    const adapter = h.adapter();
    await adapter.fetchProductPage();
    await h.admin('POST', '/tokens/expire');
    await adapter.findOrderByPo('PO-URL');
    const received = h.sim.state.received;
    expect(received.filter((r) => r.startsWith('POST /oauth/oauth20/token'))).toEqual(['POST /oauth/oauth20/token', 'POST /oauth/oauth20/token']);
    expect(received.some((r) => r.startsWith('GET /oauth'))).toBe(false);
    const secret = h.sim.adapterSettings().clientSecret;
    expect(received.length).toBeGreaterThanOrEqual(5);
    for (const url of received) expect(decodeURIComponent(url)).not.toContain(secret);
  });

  it('the simulator still serves the spec\'s GET token call, and refuses a POST without a form body', async () => {
    const { clientId, clientSecret } = h.sim.adapterSettings();
    const ok = await got(`${h.sim.url}/oauth/oauth20/token`, { searchParams: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } }).json<{ access_token: string; expires_in: string }>();
    expect(ok.access_token).toBeTruthy();
    expect(ok.expires_in).toBe('86399');
    const bad = await got.post(`${h.sim.url}/oauth/oauth20/token`, { json: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, throwHttpErrors: false });
    expect(bad.statusCode).toBe(400);
  });

  it('sends the IM-* headers and a 32-character IM-CorrelationID, and errors are BridgeErrors carrying it', async () => {
    const err = await h.adapter().cancelOrder('20-NOPE2').catch((e) => e);
    expect(err).toBeInstanceOf(DistributorError);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err.correlationId).toMatch(/^[0-9a-f]{32}$/);
    expect(err.toJSON()).toMatchObject({ kind: 'not_found', source: 'ingram', distributor: 'ingram', status: 404, correlationId: err.correlationId });
    expect(err.toJSON()).not.toHaveProperty('cause');
  });
});

describe('Ingram settings: the base URL is never a silent default', () => {
  const base = { clientId: 'id', clientSecret: 'secret', customerNumber: '20-222222' };

  it('requires baseUrl unless sandbox: true is given explicitly', () => {
    expect(() => parseIngramSettings(base)).toThrow(/baseUrl is required/);
    expect(() => adapterFromRegistry(base)).toThrow(/baseUrl/);
    expect(() => parseIngramSettings({ ...base, sandbox: false })).toThrow(/baseUrl/);
    expect(parseIngramSettings({ ...base, sandbox: true }).baseUrl).toBe(INGRAM_SANDBOX_URL);
    expect(parseIngramSettings({ ...base, baseUrl: 'https://api.ingrammicro.com:443' }).baseUrl).toBe('https://api.ingrammicro.com:443');
  });

  it('holds for the integration settings too (what `connect` stores)', () => {
    expect(ingramIntegrationSettingsSchema.safeParse({ customerNumber: '20-222222' }).success).toBe(false);
    expect(ingramIntegrationSettingsSchema.safeParse({ customerNumber: '20-222222', sandbox: true }).success).toBe(true);
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
    expect(err).toMatchObject({ kind: 'outcome_unknown', outcomeUnknown: true, retryable: true });
    expect(h.count(CREATE)).toBe(1);
  });

  it('retries a 5xx on an idempotent call transportRetries times, then leaves it to the caller as transient', async () => {
    h.sim.server.faults.script.push({ match: 'GET /resellers/v6/catalog', action: { status: 503 }, times: 2 });
    const err = await h.adapter({ transportRetries: 1 }).fetchProductPage().catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', status: 503, retryable: true });
    expect(h.count(CATALOG)).toBe(2);
    h.sim.server.faults.script.push({ match: 'POST /resellers/v6/orders', action: { status: 503 } });
    const post = await h.adapter({ transportRetries: 2 }).submitOrder({ lines: [{ distributorSku: h.sim.catalog.expectedSkus()[0], quantity: 1 }] }, 'PO-503').catch((e) => e);
    expect(post).toMatchObject({ kind: 'transient', status: 503 });
    expect(h.count(CREATE)).toBe(1); // never repeated
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
    // Another client (the window is news to it; the first one would pace itself and send nothing early).
    const page = await h.adapter({ maxRateLimitWaitMs: 3_000 }).fetchProductPage('p=3;s=100');
    expect(page.items.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.count(CATALOG)).toBe(4);
  });

  it('throws `rate_limited` with retryAfterMs when the wait would exceed the bound', async () => {
    const adapter = h.adapter({ maxRateLimitWaitMs: 0 });
    await adapter.findOrderByPo('PO-X');
    await adapter.findOrderByPo('PO-X');
    const err = await h.adapter({ maxRateLimitWaitMs: 0 }).findOrderByPo('PO-X').catch((e) => e);
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
      endUser: { companyName: 'Acme', addressLine1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', countryCode: 'US' },
      notes: 'note', shipComplete: false, acceptBackOrder: true, endCustomerOrderNumber: 'EU-1',
    }, 'PO-CONTRACT');
    expect(await adapter.findOrderByPoWithin('PO-CONTRACT')).not.toBeNull();
    await adapter.findOrderByPo('PO-NONE');
    for (const id of submitted.distributorOrderIds) {
      sim.orders.advance(id, 'partial');
      await adapter.getOrder(id);
      sim.orders.advance(id, 'invoice');
      await adapter.getOrder(id);
    }
    // An unknown order answers 500 (all the spec declares), read as transient; an invoiced order cannot be cancelled.
    await expect(adapter.getOrder('20-NONE1')).rejects.toMatchObject({ kind: 'transient', status: 500 });
    await expect(adapter.cancelOrder(submitted.distributorOrderIds[0])).rejects.toMatchObject({ kind: 'state', status: 405 });
    const counts = sim.server.countsObject();
    for (const key of [TOKEN, CATALOG, PNA, CREATE, SEARCH, DETAILS, CANCEL]) expect(counts[key]).toBeGreaterThan(0);
    expect(sim.takeViolations()).toEqual([]);
  });
});

/** What the engine does with a stored Ingram integration: its kind's schemas, then its factory. */
function adapterFromRegistry(values: Record<string, unknown>) {
  const ingram = integrationKind('ingram');
  const { clientId, clientSecret, ...settings } = values;
  return ingram.create(ingram.settingsSchema.parse(settings), ingram.secretsSchema.parse({ clientId, clientSecret }), { source: 'ingram' });
}
