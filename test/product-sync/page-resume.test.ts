// Progress inside a page: the page activity fails after some of its records (a request Autotask
// refuses, or the attempt cancelled as a timed-out one is), and the retry, given the failed
// attempt's last heartbeat as Temporal gives it, writes only the records that did not finish.
// Its counters and Autotask's final state match one uninterrupted attempt.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Database } from '../../db';
import { createCatalogActivities, type SyncPagesInput, type SyncPagesResult } from '../../src/activities/catalog';
import { ConnectorClientCache } from '../../src/connector/clients';
import { ZERO_COUNTERS } from '../../src/product-sync/counters';
import { ProductSyncStore } from '../../src/product-sync/store';
import { startSandbox, type Sandbox } from '../../src/sim';
import { NO_FAULTS } from '../../src/sim/kit/server';
import { saveConnectedConnector } from '../helpers/connector';
import { testDatabases, type TestDatabase } from '../helpers/db';
import { testKeyRing } from '../helpers/temporal';

// One catalog page (Ingram's page size is 100) of mostly new products.
const SKUS = 100;
const CONNECTOR = 'resume';
/** Records the first attempt finishes before it is made to fail. */
const FAIL_AFTER = 20;

interface PageHeartbeat {
  page?: { done: number; total: number; cursor: string | null; rejected: Record<string, string> };
}

type Counts = Map<string, number>;

/** Requests per `METHOD /template` since `before`, matching `pattern`. */
function requestsSince(sandbox: Sandbox, before: Counts, pattern: RegExp): number {
  let n = 0;
  for (const [k, v] of sandbox.autotask.sim.counts) if (pattern.test(k)) n += v - (before.get(k) ?? 0);
  return n;
}
const WRITES = /^(POST|PATCH|PUT) (?!.*\/query)/i;
const PATCHES = /^PATCH /i;
const VENDOR_QUERIES = /^POST .*ProductVendors\/query/i;

async function setUp(driver: TestDatabase) {
  const database = await driver.open();
  const sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 23 }, rateLimit: false } });
  const connectors = await saveConnectedConnector(database, testKeyRing(), sandbox, CONNECTOR);
  const integrationId = 'ingram'; // as saveConnectedConnector stores it
  const activities = createCatalogActivities({ clients: new ConnectorClientCache(connectors, false), connectors, sync: new ProductSyncStore(database) });
  return { database, sandbox, activities, integrationId };
}

describe.each(testDatabases())('A retried Product Sync page on $driver', (driver) => {
  let database: Database;
  let sandbox: Sandbox;
  let activities: ReturnType<typeof createCatalogActivities>;
  let input: SyncPagesInput;
  // An uninterrupted attempt on its own sandbox and database: what the retried one must end with.
  let reference: { result: SyncPagesResult; writes: number; products: number; vendors: number };

  beforeAll(async () => {
    const ref = await setUp(driver);
    try {
      const runId = 'reference-run';
      await ref.activities.beginProductSync({ connectorId: CONNECTOR, integrationId: ref.integrationId, runId, dryRun: false });
      const result = (await new MockActivityEnvironment().run(ref.activities.syncCatalogPages, { connectorId: CONNECTOR, integrationId: ref.integrationId, runId, dryRun: false, cursor: null, runCounters: ZERO_COUNTERS })) as SyncPagesResult;
      reference = { result, writes: requestsSince(ref.sandbox, new Map(), WRITES), products: ref.sandbox.autotask.records('Products').length, vendors: ref.sandbox.autotask.records('ProductVendors').length };
      expect(ref.sandbox.takeViolations()).toEqual([]);
    } finally {
      await ref.sandbox.stop();
      await ref.database.close();
    }
    expect(reference.result.endOfCatalog).toBe(true);
    expect(reference.result.counters.created).toBeGreaterThan(FAIL_AFTER * 2);
    // A fresh catalog: every write is a product create or its vendor row's create.
    expect(reference.writes).toBe(reference.products + reference.vendors);
  });

  beforeEach(async () => {
    const set = await setUp(driver);
    ({ database, sandbox, activities } = set);
    const runId = `run-${Math.random().toString(36).slice(2, 8)}`;
    input = { connectorId: CONNECTOR, integrationId: set.integrationId, runId, dryRun: false, cursor: null, runCounters: ZERO_COUNTERS };
    await activities.beginProductSync({ connectorId: CONNECTOR, integrationId: set.integrationId, runId, dryRun: false });
  });
  afterEach(async () => {
    expect(sandbox.takeViolations()).toEqual([]);
    await sandbox.stop();
    await database.close();
  });

  /** Runs the first attempt until `FAIL_AFTER` records are done, then `fail(env)`; returns its heartbeats. */
  async function failingAttempt(fail: (env: MockActivityEnvironment) => void): Promise<PageHeartbeat[]> {
    const env = new MockActivityEnvironment({ attempt: 1 });
    // Writes take a while, as real ones do, so the page is still under way when its progress (reported at
    // most every 250 ms, links stored in batches) first passes FAIL_AFTER.
    sandbox.autotask.sim.faults.latencyMs = 15;
    const beats: PageHeartbeat[] = [];
    let failed = false;
    let startedAt: number | undefined;
    env.on('heartbeat', (details: PageHeartbeat) => {
      beats.push(structuredClone(details));
      if (!details.page) return;
      startedAt ??= details.page.done;
      if (!failed && details.page.done - startedAt >= FAIL_AFTER) {
        failed = true;
        fail(env);
      }
    });
    await expect(env.run(activities.syncCatalogPages, input)).rejects.toThrow();
    expect(failed).toBe(true);
    return beats;
  }

  async function retry(beats: PageHeartbeat[]): Promise<{ result: SyncPagesResult; beats: PageHeartbeat[]; before: Counts }> {
    const before = new Map(sandbox.autotask.sim.counts);
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: beats.at(-1) });
    const retryBeats: PageHeartbeat[] = [];
    env.on('heartbeat', (details: PageHeartbeat) => retryBeats.push(structuredClone(details)));
    const result = (await env.run(activities.syncCatalogPages, input)) as SyncPagesResult;
    return { result, beats: retryBeats, before };
  }

  it('after a request Autotask refuses, the retry writes only the records that did not finish', async () => {
    const beats = await failingAttempt(() => {
      // The next product or vendor create is refused (403: not retried by the transport).
      sandbox.autotask.sim.faults = { ...NO_FAULTS, script: [{ match: 'POST /atservicesrest/v1.0/Products', action: { status: 403 } }] };
    });
    const products1 = sandbox.autotask.records('Products').length;
    const vendors1 = sandbox.autotask.records('ProductVendors').length;
    expect(products1).toBeGreaterThanOrEqual(FAIL_AFTER);
    expect(products1).toBeLessThan(reference.products);
    // The heartbeat said how far the page got: records done of those taken.
    const last = beats.at(-1)!.page!;
    expect(last.total).toBe(reference.result.counters.processed);
    expect(last.done).toBeGreaterThanOrEqual(FAIL_AFTER);

    const { result, beats: retryBeats, before } = await retry(beats);
    // It resumed where the failed attempt's heartbeat left off.
    expect(retryBeats[0].page!.done).toBe(last.done);
    // Only the missing writes: the products and vendor rows not made yet, nothing patched.
    expect(requestsSince(sandbox, before, WRITES)).toBe(reference.products - products1 + (reference.vendors - vendors1));
    expect(requestsSince(sandbox, before, PATCHES)).toBe(0);
    // At most the refused record needs its vendor row looked up (a product created before its vendor create was refused).
    expect(requestsSince(sandbox, before, VENDOR_QUERIES)).toBeLessThanOrEqual(1);
    expect(sandbox.autotask.records('Products').length).toBe(reference.products);
    expect(sandbox.autotask.records('ProductVendors').length).toBe(reference.vendors);
    // The page's counters are the uninterrupted attempt's (a half-written record counts as recovered).
    const { created, adopted, ...rest } = result.counters;
    const { created: refCreated, adopted: refAdopted, ...refRest } = reference.result.counters;
    expect(created + adopted).toBe(refCreated + refAdopted);
    expect(adopted - refAdopted).toBeLessThanOrEqual(1);
    expect(rest).toEqual(refRest);
  });

  it('after the attempt is cancelled mid-page (timed out), the retry writes exactly the rest', async () => {
    const beats = await failingAttempt((env) => env.cancel());
    const products1 = sandbox.autotask.records('Products').length;
    expect(products1).toBeGreaterThanOrEqual(FAIL_AFTER);
    expect(products1).toBeLessThan(reference.products);
    // Records in flight at the cancellation finished and were recorded: every product has its vendor row.
    expect(sandbox.autotask.records('ProductVendors').length).toBe(products1);

    const { result, before } = await retry(beats);
    expect(requestsSince(sandbox, before, WRITES)).toBe(reference.writes - 2 * products1);
    expect(requestsSince(sandbox, before, VENDOR_QUERIES)).toBe(0);
    expect(sandbox.autotask.records('Products').length).toBe(reference.products);
    expect(result.counters).toEqual(reference.result.counters);
    const skus = sandbox.autotask.records('Products').map((p) => p.sku);
    expect(new Set(skus).size).toBe(skus.length);
  });
});
