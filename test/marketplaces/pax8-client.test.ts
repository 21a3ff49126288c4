// Pax8 client and adapter against the simulator over real HTTP: token, paging, companies,
// products, isMock orders, 429, 5xx and error classification. No contract violation is allowed.
import got from 'got';
import { BridgeError } from '../../src/failures';
import { NO_FAULTS } from '../../src/sim/kit/server';
import { Pax8Adapter } from '../../src/marketplaces/pax8/adapter';
import { classifyPax8Failure } from '../../src/marketplaces/pax8/client';
import { pax8Integration } from '../../src/marketplaces/pax8/definition';
import type { Pax8SettingsInput } from '../../src/marketplaces/pax8/settings';
import { startPax8Sim, SIM_CLIENT_SECRET, type Pax8Sim } from '../../src/marketplaces/pax8/sim';
import type { NewCustomer } from '../../src/marketplaces/adapter';

const TOKEN = 'POST /token';
const COMPANIES = 'GET /companies';

let sim: Pax8Sim;
beforeAll(async () => {
  sim = await startPax8Sim({ rateLimit: false });
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

const adapter = (overrides: Partial<Pax8SettingsInput> = {}) => new Pax8Adapter(sim.adapterSettings({ timeoutMs: 5_000, ...overrides }));
const count = (key: string) => sim.server.counts.get(key) ?? 0;
const admin = (path: string, body?: unknown) => got.post(`${sim.url}/__admin${path}`, { json: body ?? {} }).json();

function customer(n: number): NewCustomer {
  return {
    externalId: `autotask-company-${n}`,
    name: `Contoso ${n}`,
    email: `it@contoso${n}.example`,
    phone: '+1 425 555 0100',
    contact: { firstName: 'Ada', lastName: 'Admin', email: `ada@contoso${n}.example` },
    address: { line1: '1 Microsoft Way', city: 'Redmond', state: 'WA', postalCode: '98052', countryCode: 'us' },
  };
}

async function failure(p: Promise<unknown>): Promise<BridgeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BridgeError);
    return err as BridgeError;
  }
  throw new Error('expected a failure');
}

describe('Pax8 auth', () => {
  it('fetches one token (client credentials, audience) and a new one after a 401', async () => {
    const a = adapter();
    await a.listCustomers();
    await a.listCustomers();
    expect(count(TOKEN)).toBe(1);
    await admin('/tokens/expire');
    await a.listCustomers();
    expect(count(TOKEN)).toBe(2);
    expect(count(COMPANIES)).toBe(4); // 2 + the 401 + its retry
  });

  it('reports refused credentials as auth without the secret', async () => {
    const err = await failure(adapter({ clientSecret: 'wrong-secret-value' }).listCustomers());
    expect(err.kind).toBe('auth');
    expect(err.source).toBe('pax8');
    expect(err.message).toMatch(/token request was refused \(401 access_denied\)/);
    expect(JSON.stringify(err) + err.message).not.toContain('wrong-secret-value');
    expect(JSON.stringify(err)).not.toContain(SIM_CLIENT_SECRET);
  });
});

describe('Pax8 activation checks', () => {
  const run = (secret: string) => {
    const { clientId, clientSecret, ...settings } = sim.adapterSettings();
    const a = pax8Integration.create(pax8Integration.settingsSchema.parse(settings), { clientId, clientSecret: secret ?? clientSecret }, { source: 'pax8-main' });
    return Promise.all(pax8Integration.checks.map((c) => c.run(a).catch((err: BridgeError) => err)));
  };

  it('gets a token and reads companies; refused credentials say what to fix', async () => {
    sim.market.seed({ companies: 3 });
    expect(await run(SIM_CLIENT_SECRET)).toEqual(['Pax8 issued an access token for https://api.pax8.com', 'Pax8 Partner API reachable (3 companies)']);
    const [token, api] = (await run('bad-secret')) as BridgeError[];
    expect(token).toMatchObject({ kind: 'auth', source: 'pax8-main', message: 'Pax8 token request was refused (401 access_denied); check the client id and secret.' });
    expect(api.kind).toBe('auth');
  });
});

describe('Pax8 paging', () => {
  it('reads past one page with size=200 and page from 0', async () => {
    sim.market.seed({ companies: 3, subscriptions: 450 });
    const a = adapter();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Pax8Adapter['listSubscriptions']>> = await a.listSubscriptions({ cursor });
      seen.push(...page.items.map((s) => s.id));
      expect(page.total).toBe(450);
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(450);
    expect(count('GET /subscriptions')).toBe(3);
  });

  it('refuses size > 200 as Pax8 does, and the adapter never asks for more', async () => {
    const token = await adapter().client.auth.token();
    const res = await got(`${sim.url}/v1/subscriptions?page=0&size=201`, { headers: { authorization: `Bearer ${token}` }, throwHttpErrors: false });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, message: 'size must be between 1 and 200', instance: '/v1/subscriptions' });
    // The contract check sees the same rule in the spec (`maximum: 200`).
    expect(sim.takeViolations()).toEqual([expect.stringMatching(/GET \/subscriptions: query parameter "size" must be <= 200/)]);

    sim.market.seed({ companies: 1, subscriptions: 5 });
    const page = await adapter().client.page('/subscriptions', 'GET /subscriptions', {}, 0, (r) => r, 500);
    expect(page.size).toBe(200);
    expect(page.items).toHaveLength(5);
  });
});

describe('Pax8 companies', () => {
  it('creates a company once per external id (importing twice finds it)', async () => {
    sim.market.seed({ companies: 250 }); // our company lands on page 2 of the list
    const a = adapter();
    const first = await a.createCustomer(customer(7));
    const again = await a.createCustomer(customer(7));
    expect(again.id).toBe(first.id);
    expect(sim.market.companies.filter((c) => c.externalId === 'autotask-company-7')).toHaveLength(1);
    expect(count('POST /companies')).toBe(1);
    expect(first).toMatchObject({ externalId: 'autotask-company-7', name: 'Contoso 7', status: 'Active', domain: 'contoso7.example', address: { countryCode: 'US', city: 'Redmond' } });
    expect((await a.findCustomerByExternalId('autotask-company-7'))?.id).toBe(first.id);
    expect(await a.findCustomerByExternalId('autotask-company-8')).toBeNull();
    expect((await a.getCustomer(first.id))?.externalId).toBe('autotask-company-7');
    expect(await a.getCustomer('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('finds the company when the create answer was lost, instead of creating a second', async () => {
    sim.server.faults.script.push({ match: 'POST /v1/companies', action: 'reset', when: 'after' });
    const created = await adapter().createCustomer(customer(9));
    expect(created.externalId).toBe('autotask-company-9');
    expect(sim.market.companies).toHaveLength(1);
    expect(count('POST /companies')).toBe(1);
  });
});

describe('Pax8 products and pricing', () => {
  const basic = () => sim.market.products.find((p) => p.name === 'Microsoft 365 Business Basic')!;

  it('turns each billing term and commitment into a plan with price, cost and term', async () => {
    const plans = await adapter().getProductPlans(basic().id);
    expect(plans.map((p) => [p.planId.split(':').slice(1).join(':'), p.billingCycle, p.termMonths, p.price, p.cost, p.currency])).toEqual([
      ['Monthly:1m', 'monthly', 1, 6, 5.4, 'USD'],
      ['Monthly:12m', 'monthly', 12, 5, 4.5, 'USD'],
      ['Annual:12m', 'annual', 12, 60, 54, 'USD'],
    ]);
    expect(plans[0]).toMatchObject({ name: 'Microsoft 365 Business Basic', vendor: 'Microsoft', mpn: 'CFQ7TTC0LH18:0001' });
    expect((await adapter().getProduct(`${basic().id}:Annual:12m`))?.price).toBe(60);
    expect(await adapter().getProduct('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('prices for a company in its currency, and lists the catalog with first-tier volume rates', async () => {
    const [ca] = sim.market.seed({ companies: [{ name: 'Maple Inc', country: 'CA' }] }).companies;
    const plans = await adapter().getProductPlans(basic().id, { companyId: ca, currency: 'CAD' });
    expect(plans[0]).toMatchObject({ currency: 'CAD', price: 8.16, cost: 7.34 });
    const page = await adapter().listProducts();
    expect(page.next).toBeNull();
    const s1 = page.items.find((p) => p.name === 'SentinelOne Singularity Core')!;
    expect(s1).toMatchObject({ billingCycle: 'monthly', termMonths: 1, price: 6, cost: 4.2 });
    expect(page.items.filter((p) => p.name === 'Keeper Business').map((p) => p.billingCycle)).toEqual(['annual']);
    expect(count('GET /products/{productId}/pricing')).toBe(1 + sim.market.products.length); // the plans above, then one per product
  });
});

describe('Pax8 orders', () => {
  it('validates with isMock=true without placing anything; invalid orders come back as validation', async () => {
    const [company] = sim.market.seed({ companies: 1 }).companies;
    const product = sim.market.products.find((p) => p.name === 'Microsoft 365 Business Premium')!;
    const a = adapter();
    const ok = await a.validateOrder({ companyId: company, lines: [{ productId: product.id, quantity: 10, billingTerm: 'Monthly' }] });
    expect(ok.valid).toBe(true);
    // The product requires a commitment: the shortest one covering the term was picked.
    expect(ok.valid && ok.order.lineItems?.[0]?.commitmentTermId).toBe(product.commitments[0].id);
    expect(sim.market.orders).toHaveLength(0);
    expect(sim.market.subscriptions).toHaveLength(0);

    const bad = await a.validateOrder({ companyId: company, lines: [{ productId: product.id, quantity: 0, billingTerm: 'Monthly' }] });
    expect(bad.valid).toBe(false);
    if (!bad.valid) {
      expect(bad.error.kind).toBe('validation');
      expect(bad.error.status).toBe(422);
      expect(bad.error.details.join()).toMatch(/quantity must be a whole number/);
    }
    expect(sim.market.orders).toHaveLength(0);

    const order = await a.createOrder({ companyId: company, lines: [{ productId: product.id, quantity: 10, billingTerm: 'Annual' }] });
    expect(sim.market.subscriptions).toHaveLength(1);
    const sub = await a.getSubscription(order.lineItems![0].subscriptionId!);
    expect(sub).toMatchObject({ quantity: 10, billingCycle: 'annual', termMonths: 12, status: 'active', currency: 'USD', price: 219.96, cost: 198 });
  });
});

describe('Pax8 failures', () => {
  it('waits Retry-After on 429 and succeeds', async () => {
    await admin('/settings', { rateLimit: { limit: 2, windowMs: 1_000 } });
    try {
      const a = adapter();
      await a.listCustomers(); // 1 (the token call is not limited)
      await a.listCustomers(); // 2
      const started = Date.now();
      await a.listCustomers(); // 429, Retry-After: 1, then allowed
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(count(COMPANIES)).toBe(4);
      expect(a.client.http.retries.rate_limited).toBe(1);
    } finally {
      await admin('/settings', { rateLimit: { limit: 0 } });
    }
  });

  it('gives up on 429 as rate_limited once the wait budget is spent', async () => {
    sim.server.faults.script.push({ match: 'GET /v1/companies', action: { status: 429, headers: { 'Retry-After': '120' } } });
    const err = await failure(adapter({ maxRateLimitWaitMs: 1_000 }).listCustomers());
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 120_000 });
  });

  it('retries a transient 5xx on a read', async () => {
    sim.market.seed({ companies: 1, subscriptions: 2 });
    sim.server.faults.script.push({ match: 'GET /v1/subscriptions', action: { status: 503 } });
    const a = adapter();
    const page = await a.listSubscriptions();
    expect(page.items).toHaveLength(2);
    expect(count('GET /subscriptions')).toBe(2);
    expect(a.client.http.retries.transient).toBe(1);
  });

  it('classifies Pax8 error bodies', async () => {
    const ctx = { operation: 'GET /x', correlationId: 'c1' };
    const body = (status: number) => ({ type: 'T', message: 'Nope', instance: '/v1/x', status, details: [{ message: 'field a is bad', instance: 'a' }] });
    expect(classifyPax8Failure(403, body(403), ctx, 'pax8-prod')).toMatchObject({ kind: 'permission', source: 'pax8-prod', vendorCode: 'T' });
    expect(classifyPax8Failure(404, body(404), ctx, 'pax8').kind).toBe('not_found');
    expect(classifyPax8Failure(500, body(500), ctx, 'pax8').kind).toBe('transient');
    const v = classifyPax8Failure(422, body(422), ctx, 'pax8');
    expect(v).toMatchObject({ kind: 'validation', status: 422, details: ['field a is bad'], fieldErrors: [{ field: 'a', message: 'field a is bad' }] });
    expect(v.message).toBe('Pax8 GET /x failed (422): Nope: field a is bad');

    // And over HTTP: cancelling an unknown subscription is Pax8's 404.
    const err = await failure(adapter().client.http.request({ method: 'DELETE', path: '/subscriptions/00000000-0000-4000-8000-000000000000', idempotent: false, operation: 'DELETE /subscriptions/{subscriptionId}' }));
    expect(err).toMatchObject({ kind: 'not_found', status: 404, source: 'pax8', vendorCode: 'Not Found' });
    expect(err.message).toBe('Pax8 DELETE /subscriptions/{subscriptionId} failed (404): Subscription 00000000-0000-4000-8000-000000000000 not found');
  });
});
