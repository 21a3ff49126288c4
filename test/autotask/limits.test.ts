// Limits shared through the database (PGlite and PostgreSQL), and the proof against the simulator:
// with the limiter on, parallel writers never trip Autotask's thread limit; with it off, they do.
import { sql, type Database } from '../../db';
import { AutotaskError } from '../../src/autotask/errors';
import { ApiLimits, MemoryLimitStore, memoryLimiter, type LimitScope } from '../../src/autotask/limits';
import { PgLimitStore, postgresLimiter } from '../../src/autotask/limits-pg';
import type { AutotaskSim } from '../../src/autotask/sim';
import { testDatabases } from '../helpers/db';
import { clearZoneCache, clientFor, product, requestCount, seedRefs, startSim } from './helpers';

const scope: LimitScope = { database: 'ci:1', integration: 'abc', endpoint: 'Products' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabases())('limits in $driver', ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  it('two limiter instances on one database never run more than 3 requests per endpoint at once', async () => {
    const workers = [postgresLimiter(database, { pollMs: 5 }), postgresLimiter(database, { pollMs: 5 })];
    let active = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 24 }, async (_, i) => {
      const permit = await workers[i % 2].acquire({ ...scope, endpoint: 'Race' });
      active++;
      peak = Math.max(peak, active);
      await sleep(15);
      active--;
      await permit.release();
    }));
    expect(peak).toBe(3);
    // Slots linger briefly with their process for its next request; handed back, none is left.
    await Promise.all(workers.map((w) => w.releaseIdle()));
    expect(await database.query<{ n: number }>(sqlCount())).toEqual([{ n: 0 }]);
  });

  it('a slot one worker gives back wakes another worker waiting for it at once (PostgreSQL NOTIFY), not at its next poll', async () => {
    if (database.driver === 'pglite') {
      // One process only: nothing to wake, and the limiter polls as with any store without events.
      expect(new PgLimitStore(database).subscribe).toBeUndefined();
      return;
    }
    // Polls 25–50 s apart: only the release's notification can hand b the slot within the test's time.
    const a = postgresLimiter(database, { pollMs: 10_000, idleLingerMs: 0 });
    const b = postgresLimiter(database, { pollMs: 10_000, maxWaitMs: 120_000 });
    const s = { ...scope, endpoint: 'Wake' };
    const held = await Promise.all([0, 1, 2].map(() => a.acquire(s)));
    let got = 0;
    const waiting = b.acquire(s).then((permit) => ((got = Date.now()), permit));
    await sleep(500); // b has found every slot held and listens
    expect(got).toBe(0);
    const released = Date.now();
    await held[0].release();
    const permit = await waiting;
    expect(got - released).toBeLessThan(2_000);
    await Promise.all([permit, ...held.slice(1)].map((p) => p.release()));
    await Promise.all([a.releaseIdle(), b.releaseIdle()]);
  });

  it('concurrent leases on free slots all succeed (one that loses its slot to another tries the next)', async () => {
    const store = new PgLimitStore(database);
    for (let round = 0; round < 10; round++) {
      const slots = await Promise.all([0, 1, 2].map((i) => store.tryLease(`free-${round}`, 3, `h${i}`, 60_000)));
      expect(slots.sort()).toEqual([0, 1, 2]);
      expect(await store.tryLease(`free-${round}`, 3, 'late', 60_000)).toBeNull();
    }
  });

  it('frees the slot of a crashed worker when its lease expires', async () => {
    const store = new PgLimitStore(database);
    for (let i = 0; i < 3; i++) expect(await store.tryLease('crash', 3, `dead-${i}`, 80)).not.toBeNull();
    expect(await store.tryLease('crash', 3, 'alive', 60_000)).toBeNull();
    await sleep(120);
    expect(await store.tryLease('crash', 3, 'alive', 60_000)).not.toBeNull();
  });

  it('spends a token bucket atomically and says how long to wait', async () => {
    const store = new PgLimitStore(database);
    expect(await store.take('bucket', 1, 2, 10)).toBe(0);
    expect(await store.take('bucket', 1, 2, 10)).toBe(0);
    const wait = await store.take('bucket', 1, 2, 10);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(100);
    await sleep(wait + 10);
    expect(await store.take('bucket', 1, 2, 10)).toBe(0);
  });

  it('shares the database usage between workers: one reading stops them all', async () => {
    const a = postgresLimiter(database);
    const b = postgresLimiter(database);
    const s = { ...scope, database: 'ci:shared' };
    await (await b.acquire(s)).release();
    await a.observe(s, 9_700, 10_000);
    await sleep(1_050); // b's cached reading expires
    await expect(b.acquire(s)).rejects.toMatchObject({ kind: 'rate_limited', reason: 'hourly_budget' });
  });

  describe('against the simulator', () => {
    let at: AutotaskSim;
    beforeAll(async () => {
      at = await startSim({ latencyMs: 15 });
    });
    afterAll(() => at.stop());
    beforeEach(() => {
      clearZoneCache();
      at.store.reset();
      seedRefs(at);
      at.limits.reset();
      at.sim.counts.clear();
    });
    afterEach(() => expect(at.sim.takeViolations()).toEqual([]));

    it('20 parallel writers in two workers get no thread-limit refusals with the limiter on', async () => {
      const workers = [postgresLimiter(database, { pollMs: 5 }), postgresLimiter(database, { pollMs: 5 })];
      const clients = workers.map((limiter) => clientFor(at, { limiter, threadLimitRetries: 0 }));
      await clients[0].metadata.fields('Products');
      await clients[1].metadata.fields('Products');
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 2].products.create(product(i))));
      expect(new Set(ids).size).toBe(20);
      expect(at.limits.threadRejections).toBe(0);
      // Never above Autotask's 3 threads; how close to 3 it gets depends on the machine's load.
      expect(Math.max(...at.limits.peak.values())).toBeLessThanOrEqual(3);
      expect(Math.max(...at.limits.peak.values())).toBeGreaterThanOrEqual(2);
    });
  });
});

describe('without a limiter', () => {
  let at: AutotaskSim;
  beforeAll(async () => {
    // Each request holds its thread this long, so parallel requests overlap even on a loaded machine
    // (at 15 ms, a busy event loop could space them out and none was refused).
    at = await startSim({ latencyMs: 150 });
  });
  afterAll(() => at.stop());
  beforeEach(() => {
    clearZoneCache();
    at.limits.reset();
    at.sim.counts.clear();
  });
  afterEach(() => expect(at.sim.takeViolations()).toEqual([]));

  it('20 parallel writers trip the simulator\'s thread limit (proof it enforces it)', async () => {
    const client = clientFor(at, { limiter: false, threadLimitRetries: 0 });
    await client.metadata.fields('Products');
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.products.create(product(i))));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as AutotaskError);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.kind === 'rate_limited' && e.reason === 'thread_limit' && e.status === 429)).toBe(true);
    expect(at.limits.threadRejections).toBe(refused.length);
  });

  it('retries a thread-limit refusal with backoff when allowed to', async () => {
    const client = clientFor(at, { limiter: false, threadLimitRetries: 8 });
    await client.metadata.fields('Products');
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => client.products.create(product(i))));
    expect(ids).toHaveLength(8);
    expect(at.limits.threadRejections).toBeGreaterThan(0);
  });
});

describe('hourly budget', () => {
  let at: AutotaskSim;
  beforeAll(async () => {
    at = await startSim();
  });
  afterAll(() => at.stop());
  beforeEach(() => {
    clearZoneCache();
    at.store.reset();
    seedRefs(at);
    at.limits.reset();
    at.sim.counts.clear();
    at.limits.options.hourlyLimit = 10_000;
    at.limits.options.usageLatencyMs = [5, 10];
  });
  afterEach(() => expect(at.sim.takeViolations()).toEqual([]));

  it('reads ThresholdInformation and stops before the database runs out', async () => {
    at.limits.options.hourlyLimit = 1_000;
    at.limits.setUsage(960);
    const limiter = memoryLimiter({ hourlyLimit: 1_000 });
    // The threshold check runs after the first success, in the background: wait for its reading.
    const observe = limiter.observe.bind(limiter);
    const observed = new Promise<void>((resolve) => {
      limiter.observe = async (...args) => {
        await observe(...args);
        resolve();
      };
    });
    const client = clientFor(at, { limiter });
    await client.products.query();
    await observed;
    expect(requestCount(at, /ThresholdInformation/)).toBe(1);
    const before = at.sim.totalRequests();
    const err = await client.products.query().catch((e: AutotaskError) => e);
    expect(err).toMatchObject({ kind: 'rate_limited', reason: 'hourly_budget' });
    expect((err as AutotaskError).retryAfterMs).toBeGreaterThan(0);
    expect(at.sim.totalRequests()).toBe(before);
  });

  it('turns the simulator\'s refusal at 100% (confirmed by ThresholdInformation) into hourly_budget and stops sending', async () => {
    at.limits.options.hourlyLimit = 10;
    at.limits.setUsage(10);
    // Our limiter sees plenty of budget; Autotask (other integrations) has used it all.
    const client = clientFor(at, { limiter: memoryLimiter() });
    const err = await client.products.query().catch((e: AutotaskError) => e);
    expect(err).toMatchObject({ kind: 'rate_limited', reason: 'hourly_budget', status: 429 });
    expect((err as AutotaskError).retryAfterMs).toBeGreaterThan(0);
    expect(requestCount(at, /ThresholdInformation/)).toBe(1);
    const sent = at.sim.totalRequests();
    await expect(client.products.query()).rejects.toMatchObject({ kind: 'rate_limited', reason: 'hourly_budget' });
    expect(at.sim.totalRequests()).toBe(sent);
  });

  it('spends its share evenly (token bucket on a scaled hour)', async () => {
    // 100/h with a 50% share on a 1-second hour: 50 requests/s, one every 20 ms, no burst.
    const limiter = new ApiLimits(new MemoryLimitStore(), { hourlyLimit: 100, hourMs: 1000, burst: 1 });
    const started = Date.now();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      await (await limiter.acquire(scope)).release();
      times.push(Date.now() - started);
    }
    expect(times[9]).toBeGreaterThanOrEqual(160);
    expect(times[9]).toBeLessThan(600);
  });

  it('concurrent requests of one process share a batch of tokens instead of each taking its own', async () => {
    class CountingStore extends MemoryLimitStore {
      takes: number[] = [];
      override async take(key: string, cost: number, capacity: number, ratePerSec: number): Promise<number> {
        this.takes.push(cost);
        await sleep(5); // a database round trip: every request arrives while the first batch is on its way
        return super.take(key, cost, capacity, ratePerSec);
      }
    }
    const store = new CountingStore();
    // 10,000/h at a 50% share: a bucket of 250, taken 10 at a time.
    const limiter = new ApiLimits(store, { hourlyLimit: 10_000 });
    await Promise.all(Array.from({ length: 30 }, async (_, i) => (await limiter.acquire({ ...scope, endpoint: `E${i % 3}` })).release()));
    // 30 requests: a batch of 10, used up at once, then one of 20; none lost.
    expect(store.takes).toEqual([10, 20]);
    await limiter.releaseIdle();
  });

  it('takes bigger batches while they are used up quickly, up to 10× tokenBatch, and goes back to tokenBatch after a pause', async () => {
    class CountingStore extends MemoryLimitStore {
      takes: number[] = [];
      override async take(key: string, cost: number, capacity: number, ratePerSec: number): Promise<number> {
        this.takes.push(cost);
        return super.take(key, cost, capacity, ratePerSec);
      }
    }
    const store = new CountingStore();
    // 100,000/h at a 50% share: a bucket of 2,500, so the cap is 10 × 10.
    const limiter = new ApiLimits(store, { hourlyLimit: 100_000 });
    const burst = (n: number) => Promise.all(Array.from({ length: n }, async (_, i) => (await limiter.acquire({ ...scope, endpoint: `E${i % 3}` })).release()));
    await burst(300);
    expect(store.takes).toEqual([10, 20, 40, 80, 100, 100]);
    // 50 tokens are left here; once they are spent after a pause, the next batch is tokenBatch again.
    await sleep(150);
    await burst(51);
    expect(store.takes.slice(6)).toEqual([10]);
    await limiter.releaseIdle();
  });

  it('slows to half speed above 75% usage', async () => {
    const limiter = memoryLimiter({ hourlyLimit: 100, hourMs: 1000, burst: 2 });
    await limiter.observe(scope, 80, 100);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await (await limiter.acquire(scope)).release();
    // 2 tokens per request at 50 tokens/s: ~40 ms each after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(170);
  });
});

function sqlCount() {
  return sql`select count(*)::int as n from api_leases where key like 'thread:abc:race' and expires_at > now()`;
}
