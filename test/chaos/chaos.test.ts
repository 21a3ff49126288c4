// Issue 11, small: Product Sync of 1,000 SKUs and 20 orders through to shipped, 5 CloudBlue
// subscriptions synced to Autotask contract services, and the customer export of 50 companies (a full
// and an incremental pass), while every simulator fails ~5% of requests with 5xx, 2% with 429 +
// Retry-After, 1% with resets and 1% with timeouts (half after the write). Everything completes,
// nothing is duplicated, and the simulators
// end in the same state as after a fault-free run of the same seed. (The bench adds SIGKILLs and
// size: `npm run bench -- chaos`.)
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runChaos, type ChaosRunReport } from '../../bench/harness/chaos-run';
import { stateDifferences } from '../../src/sim/chaos';
import { testDatabases } from '../helpers/db';
import { createTestEnv, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';

const SKUS = 1000;
const POS = 20;
const SUBSCRIPTIONS = 5;
const COMPANIES = 50;
const SEED = 11;

describe('chaos: faults in every simulator', () => {
  const [pglite] = testDatabases();
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(faults: boolean): Promise<ChaosRunReport> {
    const database = await pglite.open();
    try {
      return await runChaos({
        name: uniqueTaskQueue(faults ? 'chaos' : 'fault-free'), skus: SKUS, pos: POS, subscriptions: SUBSCRIPTIONS, companies: COMPANIES, seed: SEED, faults, limits: false, kills: 0,
        client: env.client, database, ring: testKeyRing(), worker: { kind: 'in-process', connection: env.nativeConnection }, deadlineMs: 240_000,
        // The fault-free run injects no timeouts: a long request timeout keeps a loaded machine's stalls
        // (simulators, worker and PGlite share this process) from passing for lost answers.
        ...(faults ? {} : { timeoutMs: 15_000 }),
      });
    } finally {
      await database.close();
    }
  }

  it('completes with no duplicates and the fault-free state', async () => {
    const reference = await run(false);
    expect(reference.problems).toEqual([]);
    const chaos = await run(true);

    expect(chaos.problems).toEqual([]);
    expect(chaos.completed).toBe(true);
    expect(chaos.orders.states).toEqual({ shipped: POS });
    expect(chaos.orders.errors).toEqual([]);
    expect(chaos.duplicates).toEqual({ productsPerSku: 0, vendorRowsPerProduct: 0, distributorOrdersPerPo: 0, adjustmentsPerIntent: 0, chargesPerIntent: 0, exportedDocumentsPerVersion: 0 });
    // Every marketplace order became a task that synced; both export passes delivered everything.
    expect(chaos.subscriptions?.notSynced).toEqual([]);
    expect(chaos.subscriptions?.tasks).toEqual(reference.subscriptions?.tasks);
    expect(Object.keys(chaos.subscriptions?.tasks ?? {}).sort()).toEqual(['billing synced', 'cancellation synced', 'change synced', 'sales synced']);
    expect(chaos.export?.documents).toBe(reference.export?.documents);
    expect(chaos.export?.incremental?.customers.delivered).toBeGreaterThan(0);
    expect(stateDifferences(chaos.state, reference.state)).toEqual([]);
    expect(Object.keys(chaos.state.products)).toHaveLength(Object.keys(reference.state.products).length);
    expect(Object.keys(chaos.state.contractServices)).toHaveLength(SUBSCRIPTIONS);
    expect(Object.keys(chaos.state.exportedDocuments).length).toBeGreaterThan(COMPANIES);
    expect(chaos.contractViolations).toEqual([]);

    // The faults really happened, of every kind, and the clients absorbed them at the request.
    for (const kind of ['500', '503', '429', 'reset', 'reset-after', 'timeout', 'timeout-after']) expect(chaos.injected.autotask[kind]).toBeGreaterThan(0);
    for (const sim of ['ingram', 'cloudblue', 'webhook']) expect(Object.values(chaos.injected[sim] ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const kind of ['autotask server_error', 'autotask rate_limit', 'autotask network']) expect(chaos.retries[kind]).toBeGreaterThan(0);
    expect(reference.retries).toEqual({});
  }, 420_000);
});
