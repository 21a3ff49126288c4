// The vendor HTTP base paces itself by X-RateLimit-* (Ingram: 60 GETs a minute per endpoint): once
// the window is used up it waits for the reset instead of collecting 429s, and a wait longer than
// it may take is not sent at all (rate_limited with the time left, for the activity's retry).
import { FixedWindowLimiter, rateLimitHeaders } from '../../src/distributors/ingram/sim/rate-limit';
import { VendorClient } from '../../src/http/vendor-client';
import { SimServer } from '../../src/sim/kit/server';

describe('VendorClient pacing by X-RateLimit-*', () => {
  const limiter = new FixedWindowLimiter({ limit: 4, windowMs: 1_000 });
  let sim: SimServer;
  let refused = 0;

  beforeAll(async () => {
    sim = new SimServer({ name: 'paced' });
    sim.route('GET', '/items/:id', () => {
      const d = limiter.take('GET /items')!;
      if (!d.allowed) refused++;
      return d.allowed ? { status: 200, headers: rateLimitHeaders(d), body: { ok: true } } : { status: 429, headers: rateLimitHeaders(d), body: { message: 'quota' } };
    });
    await sim.start();
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    limiter.reset();
    refused = 0;
  });

  const client = (maxRateLimitWaitMs: number) => new VendorClient({ vendor: 'Paced', source: 'paced', baseUrl: sim.url, maxRateLimitWaitMs });
  const get = (c: VendorClient, i: number) => c.request({ method: 'GET', path: `/items/${i}`, idempotent: true, operation: 'GET /items/{id}' });

  it('waits for the window to reset rather than being refused', async () => {
    const c = client(5_000);
    const started = Date.now();
    for (let i = 0; i < 10; i++) expect((await get(c, i)).status).toBe(200);
    expect(refused).toBe(0);
    expect(c.retries.paced).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500); // three windows of four
  });

  it('does not send a request whose wait is longer than allowed', async () => {
    const c = client(100);
    for (let i = 0; i < 4; i++) await get(c, i);
    const before = sim.totalRequests();
    await expect(get(c, 5)).rejects.toMatchObject({ kind: 'rate_limited', source: 'paced', operation: 'GET /items/{id}' });
    expect(sim.totalRequests()).toBe(before);
    expect(refused).toBe(0);
  });
});
