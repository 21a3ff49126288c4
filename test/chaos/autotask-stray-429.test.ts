// Two unlucky 429s in a row — one on a request, one on the ThresholdInformation reading it
// triggers — are stray refusals, not proof that the hourly budget is gone: the request is sent
// again after Retry-After and the database is not marked as used up (which would stop every
// worker for `stopRecheckMs`). Seen in the chaos run (issue 11).
import { memoryLimiter } from '../../src/autotask/limits';
import type { AutotaskSim } from '../../src/autotask/sim';
import { clearZoneCache, clientFor, product, requestCount, resetSim, startSim } from '../autotask/helpers';

let at: AutotaskSim;

beforeAll(async () => {
  at = await startSim();
});
afterAll(() => at.stop());
beforeEach(() => {
  clearZoneCache();
  resetSim(at);
});

const stray = { status: 429, headers: { 'retry-after': '1' }, body: { errors: ['Too many requests'] } };

it('a stray 429 on ThresholdInformation after a stray 429 costs seconds, not the hour', async () => {
  at.seed('Products', [product(1)]);
  const client = clientFor(at, { limiter: memoryLimiter() });
  await client.zone();
  at.sim.faults.script.push(
    { match: 'POST /atservicesrest/V1.0/Products/query', action: stray },
    { match: 'GET /atservicesrest/V1.0/ThresholdInformation', action: stray },
  );
  const started = Date.now();
  expect((await client.products.query()).items).toHaveLength(1);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(requestCount(at, /ThresholdInformation/)).toBeGreaterThanOrEqual(1);
  expect(client.transport.retries).toMatchObject({ rate_limit: 1 });
  // Nothing else stalls: the limiter was not told the database is used up.
  const next = Date.now();
  await client.products.get(1);
  await client.products.query();
  expect(Date.now() - next).toBeLessThan(3_000); // a used-up database would refuse them for minutes
  expect(at.sim.takeViolations()).toEqual([]);
});

it('a refusal of ThresholdInformation for the hourly limit still pauses (hourly_budget)', async () => {
  const client = clientFor(at, { limiter: memoryLimiter() });
  await client.zone();
  const hourly = { status: 429, body: { errors: ['Request denied: the API request threshold of 10000 requests per hour has been exceeded for this database.'] } };
  at.sim.faults.script.push(
    { match: 'POST /atservicesrest/V1.0/Products/query', action: { ...stray, body: { errors: ['Too many requests'] } } },
    { match: 'GET /atservicesrest/V1.0/ThresholdInformation', action: hourly },
  );
  await expect(client.products.query()).rejects.toMatchObject({ kind: 'rate_limited', reason: 'hourly_budget' });
  at.sim.faults.script.length = 0;
});

it('several requests refused at once cost one ThresholdInformation reading, not one each', async () => {
  at.seed('Products', [product(1)]);
  const client = clientFor(at, { limiter: memoryLimiter() });
  await client.products.get(1); // the client's first reading of ThresholdInformation is taken after it
  await new Promise((r) => setTimeout(r, 200));
  expect(requestCount(at, /ThresholdInformation/)).toBe(1);
  at.sim.counts.clear();
  at.sim.faults.script.push({ match: 'GET /atservicesrest/V1.0/Products/', action: stray, times: 3 });
  const found = await Promise.all([1, 2, 3].map(() => client.products.get(1)));
  expect(found.map((p) => p?.id)).toEqual([1, 1, 1]);
  expect(requestCount(at, /Products/)).toBe(6);
  expect(requestCount(at, /ThresholdInformation/)).toBe(1);
});
