// Issue 10: end to end with the simulators' real limits on — Autotask's hourly budget scaled to a
// 20-second "hour" of 1,000 requests and 3 threads per endpoint; Ingram's 60 GETs a minute per
// endpoint, answered with 429 + Retry-After beyond that. A 1,000-SKU Product Sync (catalog pages of
// 10: its 100 GETs may outrun Ingram's minute) and 20 orders complete without one refusal: the engine
// paces itself.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REAL_LIMITS, runChaos } from '../../bench/harness/chaos-run';
import { DEFAULT_LIMITS } from '../../src/autotask/limits';
import { testDatabases } from '../helpers/db';
import { createTestEnv, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';

const SKUS = 1000;
const POS = 20;

describe('real limits', () => {
  const [pglite] = testDatabases();
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('Product Sync and orders complete with no budget overrun, no thread-limit 429 and no Ingram 429', async () => {
    const database = await pglite.open();
    try {
      const report = await runChaos({
        name: uniqueTaskQueue('real-limits'), skus: SKUS, pos: POS, seed: 10, faults: false, limits: REAL_LIMITS, kills: 0, catalogPageSize: 10,
        client: env.client, database, ring: testKeyRing(), worker: { kind: 'in-process', connection: env.nativeConnection }, deadlineMs: 240_000,
        // No faults here: a long request timeout only keeps a loaded machine's stalls from looking like lost answers.
        timeoutMs: 15_000,
      });
      expect(report.problems).toEqual([]);
      expect(report.orders.states).toEqual({ shipped: POS });
      expect(report.autotaskLimits).toMatchObject({ threadRejections: 0, hourlyRejections: 0 });
      expect(report.responses).toEqual({}); // not one 429 (nor anything else) from either API
      // The limits were in play: every thread of an endpoint was used, the run needed more than two
      // "hours" of budget, and the rolling usage stayed near the engine's share of it.
      expect(report.autotaskLimits.peakConcurrency).toBe(REAL_LIMITS.threadLimit);
      expect(report.requests.autotask).toBeGreaterThan(2 * REAL_LIMITS.hourlyLimit);
      expect(report.autotaskLimits.peakUsage).toBeLessThanOrEqual(REAL_LIMITS.hourlyLimit * (DEFAULT_LIMITS.share + 0.1));
      // Whether the catalog's GETs (about one a page, each page waiting on ~20 Autotask writes at the
      // budget's pace) use up Ingram's minute depends on the machine: seen on one, not on another. No
      // 429 came either way (above); test/chaos/vendor-pacing.test.ts proves the pacing itself.
      expect(report.contractViolations).toEqual([]);
    } finally {
      await database.close();
    }
  }, 300_000);
});
