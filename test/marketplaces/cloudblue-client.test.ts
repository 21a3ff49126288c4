// CloudBlue Commerce SimpleAPI adapter against its simulator over real HTTP: auth, errors, limits, customers,
// catalog, subscriptions, paging and the integration checks. Every exchange is checked against the vendor's spec.
import { CloudBlueAdapter } from '../../src/marketplaces/cloudblue/adapter';
import { cloudBlueIntegration } from '../../src/marketplaces/cloudblue/definition';
import { startCloudBlueSim, type CloudBlueSim } from '../../src/marketplaces/cloudblue/sim';
import type { CloudBlueSecrets, CloudBlueSettingsInput } from '../../src/marketplaces/cloudblue/settings';
import { BridgeError } from '../../src/failures';
import { NO_FAULTS } from '../../src/sim/kit/server';
import type { NewCustomer } from '../../src/marketplaces/adapter';

const TOKEN = 'POST /token';

let sim: CloudBlueSim;
beforeAll(async () => {
  sim = await startCloudBlueSim({ rateLimit: false });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.reset();
  sim.server.faults = structuredClone(NO_FAULTS);
  sim.state.limiter.settings = { calls: 0, renewalPeriodSeconds: 60 };
});
afterEach(() => expect(sim.takeViolations()).toEqual([]));

const adapter = (settings: Partial<CloudBlueSettingsInput> = {}, secrets: Partial<CloudBlueSecrets> = {}) =>
  new CloudBlueAdapter(sim.adapterSettings({ timeoutMs: 5_000, ...settings }), sim.secrets(secrets), { source: 'cb-test' });
const count = (key: string) => sim.server.counts.get(key) ?? 0;

function secretFree(err: unknown, secrets: string[]): void {
  const e = err as BridgeError;
  const texts = [e.message, String(e), JSON.stringify(e), e.stack ?? '', JSON.stringify(e.details)];
  for (const secret of secrets) for (const t of texts) expect(t).not.toContain(secret);
}

const newCustomer = (externalId: string): NewCustomer => ({
  externalId,
  name: 'Delme Place Ltd',
  email: 'it@delme.example',
  phone: '+441329000000',
  contact: { firstName: 'Dana', lastName: 'Delme', email: 'dana@delme.example' },
  address: { line1: 'Cams Hall Estate', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'gb' },
});

describe('CloudBlue client: auth', () => {
  it('gets one JWT with Basic auth and the subscription key, then fetches a new one once on a 401', async () => {
    const a = adapter();
    await a.listCustomers();
    await a.listProducts();
    expect(count(TOKEN)).toBe(1);
    sim.state.auth.expireAll();
    await a.listCustomers();
    expect(count(TOKEN)).toBe(2);
    expect(count('GET /customers')).toBe(3); // 1 + the 401 + its retry
    expect(sim.state.auth.issued).toBe(2);
  });

  it('refreshes a short-lived token before it runs out (no 401 round trip)', async () => {
    sim.state.auth.settings = { ...sim.state.auth.settings, tokenTtlSeconds: 1 };
    const a = adapter();
    await a.listCustomers();
    await new Promise((r) => setTimeout(r, 950));
    await a.listCustomers();
    expect(count(TOKEN)).toBe(2);
    expect(count('GET /customers')).toBe(2);
  });

  it('says the subscription key was rejected, in one request, without leaking it', async () => {
    const key = 'wrong-subscription-key-1234';
    const err = await adapter({}, { subscriptionKey: key }).listCustomers().catch((e) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ kind: 'auth', status: 401, source: 'cb-test', retryable: false });
    expect(err.message).toMatch(/^CloudBlue rejected the subscription key \(X-Subscription-Key\): Access denied due to invalid subscription key/);
    expect(sim.server.totalRequests()).toBe(1);
    secretFree(err, [key, sim.secrets().password]);
  });

  it('says the API user or password was rejected, without leaking the password', async () => {
    const password = 'not-the-password-987';
    const err = await adapter({}, { password }).listCustomers().catch((e) => e);
    expect(err).toMatchObject({ kind: 'auth', status: 401, operation: 'POST /token' });
    expect(err.message).toMatch(/CloudBlue rejected the API user name or password/);
    secretFree(err, [password, Buffer.from(`${sim.secrets().username}:${password}`).toString('base64')]);
  });

  it('never puts the bearer token in an error', async () => {
    const a = adapter();
    const token = await a.client.auth.token();
    const err = await a.client.http.request({ method: 'GET', path: '/customers/nope', idempotent: true }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'not_found', status: 404 });
    secretFree(err, [token, sim.secrets().subscriptionKey, sim.secrets().password]);
  });
});

describe('CloudBlue client: limits and retries', () => {
  it('waits out a 429 for its Retry-After and succeeds', async () => {
    sim.state.limiter.settings = { calls: 3, renewalPeriodSeconds: 1 };
    sim.state.limiter.reset();
    const a = adapter();
    const started = Date.now();
    for (let i = 0; i < 4; i++) await a.listProducts(); // token + 4 reads = 5 calls in a window of 3
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(a.client.http.retries.rate_limited).toBeGreaterThanOrEqual(1);
    expect(count('GET /products')).toBeGreaterThan(4);
  });

  it('turns a 429 that outlasts the allowed wait into rate_limited with the wait', async () => {
    sim.state.limiter.settings = { calls: 1, renewalPeriodSeconds: 30 };
    sim.state.limiter.reset();
    const err = await adapter({ maxRateLimitWaitMs: 1_000 }).listProducts().catch((e) => e);
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(20_000);
  });

  it('retries a transient 5xx on a read', async () => {
    sim.server.faults.script.push({ match: 'GET /products', action: { status: 503 }, times: 2 });
    const a = adapter();
    const page = await a.listProducts();
    expect(page.items.length).toBeGreaterThan(0);
    // Two 503s, then the answer: retried at the request that failed (a slow machine may add one more attempt).
    expect(a.client.http.retries.transient).toBeGreaterThanOrEqual(2);
    expect(count('GET /products')).toBeGreaterThanOrEqual(3);
  });

  it('gives up on a read after the bounded retries with a transient failure', async () => {
    sim.server.faults.script.push({ match: 'GET /products', action: { status: 502 }, times: 50 });
    const err = await adapter().listProducts().catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient', status: 502, retryable: true });
    expect(count('GET /products')).toBe(5); // DEFAULT_RETRY.attempts
  });
});

describe('CloudBlue adapter: customers', () => {
  it('pages through more than one page with offset/limit and pagination.total', async () => {
    for (let i = 0; i < 25; i++) sim.market.addCustomer();
    const a = adapter({ pageSize: 10 });
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await a.listCustomers({ cursor });
      expect(page.total).toBe(25);
      ids.push(...page.items.map((c) => c.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(25);
  });

  it('creates a customer once: importing the same company twice finds it by external id', async () => {
    const a = adapter();
    const first = await a.createCustomer(newCustomer('autotask-company-42'));
    const second = await a.createCustomer(newCustomer('autotask-company-42'));
    expect(second.id).toBe(first.id);
    expect(count('POST /customers')).toBe(1);
    expect(sim.market.customers.size).toBe(1);
    expect(first).toMatchObject({
      externalId: 'autotask-company-42', name: 'Delme Place Ltd', email: 'dana@delme.example', domain: 'delme.example', phone: '+441329000000',
      address: { line1: 'Cams Hall Estate', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' }, status: 'active',
    });
    expect(await a.findCustomerByExternalId('autotask-company-43')).toBeNull();
    expect((await a.getCustomer(first.id))?.externalId).toBe('autotask-company-42');
    expect(await a.getCustomer('999')).toBeNull();
  });

  it('recovers a create whose answer was lost by looking it up, never creating a second one', async () => {
    sim.server.faults.script.push({ match: 'POST /customers', action: 'reset', when: 'after' });
    const created = await adapter().createCustomer(newCustomer('autotask-company-7'));
    expect(created.externalId).toBe('autotask-company-7');
    expect(sim.market.customers.size).toBe(1);
  });

  it('refuses to pick one of two customers sharing an external id', async () => {
    sim.market.addCustomer({ externalId: 'autotask-company-9' });
    sim.market.addCustomer({ externalId: 'autotask-company-9' });
    await expect(adapter().createCustomer(newCustomer('autotask-company-9'))).rejects.toMatchObject({ kind: 'conflict' });
    expect(count('POST /customers')).toBe(0);
  });

  it('reports the platform refusing a customer as a validation failure', async () => {
    const bad = { ...newCustomer('autotask-company-8'), contact: { firstName: 'A', lastName: 'B', email: 'not-an-email' } };
    await expect(adapter().createCustomer(bad)).rejects.toMatchObject({ kind: 'validation', status: 400 });
  });
});

describe('CloudBlue adapter: catalog and subscriptions', () => {
  it('normalises products: mpn, vendor, billing cycle, term, price and cost in the chosen currency', async () => {
    const eur = (await adapter({ currency: 'EUR', pageSize: 100 }).listProducts()).items;
    const gbp = (await adapter({ currency: 'GBP', pageSize: 100 }).listProducts()).items;
    expect(eur).toHaveLength(sim.market.products.length);
    const byMpn = (list: typeof eur, mpn: string) => list.find((p) => p.mpn === mpn)!;
    expect(byMpn(eur, 'CFQ7TTC0LH18_P1M')).toMatchObject({ vendor: 'Microsoft', billingCycle: 'monthly', termMonths: 1, currency: 'EUR', price: 6.72, cost: 5.71 });
    expect(byMpn(eur, 'CFQ7TTC0LH18_P1Y_MONTHLY')).toMatchObject({ billingCycle: 'monthly', termMonths: 12, price: 5.6 });
    expect(byMpn(eur, 'CFQ7TTC0LH18_P1Y_ANNUAL')).toMatchObject({ billingCycle: 'annual', termMonths: 12, price: 67.2 });
    expect(byMpn(gbp, 'CFQ7TTC0LH18_P1Y_ANNUAL')).toMatchObject({ currency: 'GBP', price: 58.8, cost: 49.98 });
    // A usage-billed product has no recurring price: its unit price is the overuse price.
    expect(byMpn(eur, 'ACR-CPC-GB_P1M')).toMatchObject({ billingCycle: 'monthly', price: 0.05, currency: 'EUR' });
    const one = byMpn(eur, 'CFQ7TTC0LDPB_P1M');
    expect(await adapter().getProduct(one.id)).toMatchObject({ id: one.id, mpn: 'CFQ7TTC0LDPB_P1M' });
    expect(await adapter().getProduct('PRD-NOPE')).toBeNull();
  });

  it('lists service plans', async () => {
    const plans = await adapter().listPlans();
    expect(plans.items.length).toBe(new Set(sim.market.products.map((p) => p.planId)).size);
    expect(plans.items[0]).toMatchObject({ id: '10001', name: 'Microsoft 365 Business Basic', published: true });
  });

  it('normalises subscriptions and their statuses', async () => {
    const gb = sim.market.addCustomer({ address: { streetAddress: '1 High St', city: 'Fareham', postalCode: 'PO16 8UX', countryCode: 'GB' } });
    const { subscription: active } = sim.market.purchase(gb.id, 'CFQ7TTC0LCHC_P1Y_ANNUAL', 12, '2026-01-05');
    const { subscription: held } = sim.market.purchase(gb.id, 'CFQ7TTC0LH18_P1M', 3, '2026-01-05');
    const { subscription: ended } = sim.market.purchase(gb.id, 'KPR-BUS_P1M', 5, '2026-01-05');
    const { subscription: pending } = sim.market.purchase(gb.id, 'DBX-BUS-STD_P1M', 2, '2026-01-06', { status: 'processing' });
    sim.market.setSubscriptionStatus(held.id, 'hold');
    sim.market.cancel(ended.id, '2026-01-10');
    const page = await adapter().listSubscriptions({ customerId: gb.id });
    const byId = new Map(page.items.map((s) => [s.id, s]));
    expect(byId.get(active.id)).toMatchObject({
      customerId: gb.id, quantity: 12, billingCycle: 'annual', termMonths: 12, status: 'active', currency: 'GBP', price: 217.2,
      startDate: '2026-01-05', endDate: '2027-01-05', planId: '10003',
    });
    expect(byId.get(held.id)?.status).toBe('suspended');
    expect(byId.get(ended.id)?.status).toBe('cancelled');
    expect(byId.get(pending.id)).toMatchObject({ status: 'pending', quantity: 0 });
    expect(await adapter().getSubscription('424242')).toBeNull();
  });
});

describe('CloudBlue integration definition', () => {
  const checks = (secrets: Partial<CloudBlueSecrets> = {}) => {
    const client = cloudBlueIntegration.create(cloudBlueIntegration.settingsSchema.parse(sim.adapterSettings()), sim.secrets(secrets), { source: 'cb-check' });
    return Promise.all(cloudBlueIntegration.checks.map((c) => c.run(client).then((ok) => ({ name: c.name, ok }), (err: Error) => ({ name: c.name, err: err.message }))));
  };

  it('passes every check against a good account', async () => {
    const results = await checks();
    expect(results.map((r) => r.name)).toEqual(['subscription-key', 'token', 'api']);
    for (const r of results) expect(r).toHaveProperty('ok');
  });

  it('names the subscription key when the gateway refuses it', async () => {
    const [key, token] = await checks({ subscriptionKey: 'bad-key-000' });
    expect(key).toEqual({ name: 'subscription-key', err: expect.stringMatching(/^CloudBlue rejected the subscription key/) });
    expect(token).toEqual({ name: 'token', err: expect.stringMatching(/^CloudBlue rejected the subscription key/) });
  });

  it('tells a wrong password apart from a wrong key', async () => {
    const [key, token] = await checks({ password: 'wrong-password-1' });
    expect(key).toHaveProperty('ok');
    expect(token).toEqual({ name: 'token', err: expect.stringMatching(/rejected the API user name or password/) });
  });

  it('simulates a seeded marketplace for the sandbox', async () => {
    const s = await cloudBlueIntegration.simulate!({ subscriptions: 20 });
    try {
      const client = cloudBlueIntegration.create(cloudBlueIntegration.settingsSchema.parse(s.settings), cloudBlueIntegration.secretsSchema.parse(s.secrets), { source: 'sandbox' });
      const page = await client.events({ cursor: null });
      expect(page.events.filter((e) => e.type === 'sales')).toHaveLength(20);
      expect(s.takeViolations()).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});
