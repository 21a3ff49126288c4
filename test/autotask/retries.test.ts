// Per-request retries in the transport: what is safe to repeat is repeated at the request that
// failed (bounded by count and time); a create is repeated only with a recovery lookup; a stray 429
// costs seconds, not the hour; ThresholdInformation is polled by time and remaining budget.
import { AutotaskError } from '../../src/autotask/errors';
import { f } from '../../src/autotask/query';
import { memoryLimiter, type LimitScope } from '../../src/autotask/limits';
import type { AutotaskSim } from '../../src/autotask/sim';
import { clearZoneCache, clientFor, product, requestCount, resetSim, startSim } from './helpers';

let at: AutotaskSim;

beforeAll(async () => {
  at = await startSim();
});
afterAll(() => at.stop());
beforeEach(() => {
  clearZoneCache();
  resetSim(at);
});
afterEach(() => {
  expect(at.sim.takeViolations()).toEqual([]);
});

const FAST = { retry: { attempts: 4, baseMs: 20, maxMs: 50, maxElapsedMs: 5_000 } };
const Q = 'POST /atservicesrest/V1.0/Products/query';

async function caught(p: Promise<unknown>): Promise<AutotaskError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AutotaskError);
    return err as AutotaskError;
  }
  throw new Error('expected an AutotaskError');
}

describe('transient failures of requests that are safe to repeat', () => {
  it('retries a read after a 500 that says nothing of the input, an HTML 500 and a 503', async () => {
    at.seed('Products', [product(1)]);
    const client = clientFor(at, FAST);
    at.sim.faults.script.push(
      { match: Q, action: { status: 500, body: { errors: ['An unexpected error has occurred. Error ID: 1166'] } } },
      { match: Q, action: { status: 500, body: '<html><body>Runtime Error</body></html>', headers: { 'content-type': 'text/html' } } },
      { match: Q, action: { status: 503 } },
    );
    expect((await client.products.query()).items.map((p) => p.id)).toEqual([1]);
    expect(requestCount(at, /Products\/query/)).toBe(4);
    expect(client.transport.retries).toMatchObject({ server_error: 3 });
  });

  it('does not retry a 500 that describes bad input', async () => {
    const client = clientFor(at, FAST);
    at.sim.faults.script.push({ match: Q, action: { status: 500, body: { errors: ['Unable to find noSuchField in the Products entity.'] } } });
    expect(await caught(client.products.query())).toMatchObject({ kind: 'validation', status: 500 });
    expect(requestCount(at, /Products\/query/)).toBe(1);
  });

  it('gives up after the attempt count and after the time bound, naming vendor, endpoint and reason', async () => {
    const client = clientFor(at, FAST);
    at.sim.faults.script.push({ match: Q, action: { status: 503 }, times: 100 });
    const err = await caught(client.products.query());
    expect(err).toMatchObject({ kind: 'transient', reason: 'server_error', status: 503, source: 'autotask', operation: 'POST Products/query' });
    expect(err.message).toMatch(/^Autotask POST Products\/query failed \(HTTP 503, server error\)/);
    expect(requestCount(at, /Products\/query/)).toBe(4);

    at.sim.counts.clear();
    const slow = clientFor(at, { retry: { attempts: 50, baseMs: 100, maxMs: 100, maxElapsedMs: 300 } });
    const started = Date.now();
    await caught(slow.products.query());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requestCount(at, /Products\/query/)).toBeLessThan(10); // the time bound, not the 50 attempts
    at.sim.faults.script.length = 0;
  });

  it('repeats a PATCH (same values) after a reset', async () => {
    const [id] = at.seed('Products', [product(1)]);
    const client = clientFor(at, FAST);
    await client.metadata.fields('Products');
    at.sim.faults.script.push({ match: 'PATCH /atservicesrest/V1.0/Products', action: 'reset', when: 'after' });
    expect(await client.products.update({ id, unitPrice: 42 })).toBe(id);
    expect(at.store.get('Products', id)?.unitPrice).toBe(42);
    expect(requestCount(at, /^PATCH \/V1\.0\/Products$/)).toBe(2);
  });
});

describe('creates whose answer was lost', () => {
  const bySku = (client: ReturnType<typeof clientFor>, sku: string) => async () =>
    (await client.products.query(f.eq('sku', sku), { includeFields: ['id'] })).items[0]?.id ?? null;

  it('with a recovery lookup: finds the record the lost attempt created instead of creating twice', async () => {
    const client = clientFor(at, FAST);
    await client.metadata.fields('Products');
    at.sim.faults.script.push({ match: 'POST /atservicesrest/V1.0/Products', action: 'reset', when: 'after' });
    const recover = jest.fn(bySku(client, 'SKU-1'));
    const id = await client.products.create(product(1), { recover });
    expect(recover).toHaveBeenCalledTimes(1);
    expect(at.records('Products').map((p) => p.id)).toEqual([id]);
    expect(requestCount(at, /^POST \/V1\.0\/Products$/)).toBe(1);
  });

  it('with a recovery lookup: creates again when the lost attempt did not happen', async () => {
    const client = clientFor(at, { ...FAST, timeoutMs: 300 });
    await client.metadata.fields('Products');
    at.sim.faults.script.push({ match: 'POST /atservicesrest/V1.0/Products', action: 'timeout' });
    const id = await client.products.create(product(1), { recover: bySku(client, 'SKU-1') });
    expect(at.records('Products').map((p) => p.id)).toEqual([id]);
    expect(requestCount(at, /^POST \/V1\.0\/Products$/)).toBe(2);
  });

  it('without one: outcome_unknown after a timeout, and nothing is sent twice', async () => {
    const client = clientFor(at, { ...FAST, timeoutMs: 300 });
    await client.metadata.fields('Products');
    at.sim.faults.script.push({ match: 'POST /atservicesrest/V1.0/Products', action: 'timeout', when: 'after' });
    const err = await caught(client.products.create(product(1)));
    expect(err).toMatchObject({ kind: 'outcome_unknown', reason: 'answer_lost', operation: 'POST Products' });
    expect(err.message).toContain('Autotask POST Products');
    expect(requestCount(at, /^POST \/V1\.0\/Products$/)).toBe(1);
  });
});

describe('429s', () => {
  it('one stray 429 costs seconds: ThresholdInformation shows budget left, so the request is sent again and nothing else stalls', async () => {
    at.seed('Products', [product(1)]);
    const limiter = memoryLimiter();
    const client = clientFor(at, { limiter });
    await client.zone();
    at.sim.faults.script.push({ match: Q, action: { status: 429, headers: { 'retry-after': '1' }, body: { errors: ['Too many requests'] } } });
    const started = Date.now();
    expect((await client.products.query()).items).toHaveLength(1);
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(950); // Retry-After honoured
    expect(ms).toBeLessThan(4_000);
    expect(requestCount(at, /ThresholdInformation/)).toBeGreaterThanOrEqual(1);
    // The next requests go straight through: the database was not marked as used up.
    const next = Date.now();
    await client.products.query();
    await client.products.get(1);
    expect(Date.now() - next).toBeLessThan(500);
  });

  it('gives rate_limited (rate_limit) with a short retryAfter when stray 429s persist past maxRateLimitWaitMs', async () => {
    const client = clientFor(at, { maxRateLimitWaitMs: 1_500 });
    await client.zone();
    at.sim.faults.script.push({ match: Q, action: { status: 429, headers: { 'retry-after': '1' } }, times: 5 });
    const err = await caught(client.products.query());
    expect(err).toMatchObject({ kind: 'rate_limited', reason: 'rate_limit', status: 429 });
    expect(err.retryAfterMs).toBeLessThanOrEqual(1_000);
    at.sim.faults.script.length = 0;
  });
});

describe('ThresholdInformation polling', () => {
  it('costs one request in 300 when the budget is healthy (not one per 100)', async () => {
    at.seed('Products', [product(1)]);
    const client = clientFor(at, { limiter: memoryLimiter({ burst: 1_000 }) }); // default polling settings
    for (let i = 0; i < 300; i++) await client.products.get(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(requestCount(at, /ThresholdInformation/)).toBe(1);
  });

  it('polls by time and requests when healthy, and sooner when the remaining budget is low', () => {
    const scope: LimitScope = { database: 'db', integration: 'i', endpoint: 'Products' };
    const limiter = memoryLimiter({ hourMs: 60_000, thresholdEveryRequests: 1000, thresholdIntervalMs: 0, thresholdMinIntervalMs: 0 });
    const run = async (used: number, requests: number) => {
      await limiter.observe(scope, used, 10_000);
      let polls = 0;
      for (let i = 0; i < requests; i++) {
        await (await limiter.acquire(scope)).release();
        if (limiter.claimThresholdRefresh(scope)) polls++;
      }
      return polls;
    };
    return (async () => {
      expect(await run(1_000, 2_500)).toBe(2); // every 1,000 requests with 90% left
      expect(await run(9_000, 400)).toBe(4); // 10% left: every ~90 requests (a tenth of what is left)
    })();
  });

  it('waits for the interval even after many requests when the budget is healthy', async () => {
    const scope: LimitScope = { database: 'db2', integration: 'i', endpoint: 'Products' };
    const limiter = memoryLimiter({ thresholdEveryRequests: 10, thresholdIntervalMs: 60_000 });
    await limiter.observe(scope, 0, 10_000);
    let polls = 0;
    for (let i = 0; i < 200; i++) {
      await (await limiter.acquire(scope)).release();
      if (limiter.claimThresholdRefresh(scope)) polls++;
    }
    expect(polls).toBe(0);
  });
});
