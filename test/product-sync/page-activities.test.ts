// Page activities take catalog pages until their time budget (productSync.pageActivitySeconds) is
// spent or they did pagesPerActivity pages; the decision is made as a page starts, so no page is read
// ahead and then dropped. A retried one resumes from the run's per-page checkpoint when its last
// heartbeat that reached Temporal (heartbeats are throttled) is older.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SyncPagesInput, SyncPagesResult } from '../../src/activities/catalog';
import { BridgeError } from '../../src/failures';
import { addCounters, ZERO_COUNTERS } from '../../src/product-sync/counters';
import { startSandbox } from '../../src/sim';
import { catalogActivities } from '../helpers/catalog-activities';
import { testDatabases } from '../helpers/db';

// Five Ingram pages (100 records each).
const SKUS = 450;
const CONNECTOR = 'budget';

interface Case {
  name: string;
  settings: { pagesPerActivity?: number; pageActivitySeconds?: number };
  /** Simulated seconds each catalog page read takes. */
  readSeconds: number;
  pagesPerActivity: number[];
}

const cases: Case[] = [
  { name: 'the defaults take a small catalog in one activity', settings: {}, readSeconds: 0, pagesPerActivity: [5] },
  { name: 'a 60 s budget with 25 s page reads: three pages, then two', settings: { pageActivitySeconds: 60 }, readSeconds: 25, pagesPerActivity: [3, 2] },
  { name: 'a budget of 0 takes one page per activity', settings: { pageActivitySeconds: 0 }, readSeconds: 0, pagesPerActivity: [1, 1, 1, 1, 1] },
  { name: 'pagesPerActivity caps a generous budget', settings: { pagesPerActivity: 2, pageActivitySeconds: 600 }, readSeconds: 0, pagesPerActivity: [2, 2, 1] },
];

describe.each(testDatabases())('Product Sync page activity budget on $driver', (driver) => {
  it.each(cases)('$name', async ({ settings, readSeconds, pagesPerActivity }) => {
    const database = await driver.open();
    const sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 9 }, rateLimit: false } });
    // The clock moves only when a page is read, so the budget's arithmetic is exact.
    const realNow = Date.now.bind(Date);
    let offsetMs = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
    try {
      const { activities, sync, distributor } = await catalogActivities(database, sandbox, CONNECTOR, { productSync: settings });
      const fetchPage = distributor.fetchProductPage.bind(distributor);
      let reads = 0;
      distributor.fetchProductPage = async (cursor) => {
        reads++;
        offsetMs += readSeconds * 1000;
        return fetchPage(cursor);
      };

      const runId = 'budget-run';
      const begun = await activities.beginProductSync({ connectorId: CONNECTOR, integrationId: 'ingram', runId, dryRun: false });
      const input: SyncPagesInput = { connectorId: CONNECTOR, integrationId: 'ingram', runId, dryRun: false, cursor: begun.cursor, runCounters: ZERO_COUNTERS, runPages: 0 };
      const taken: number[] = [];
      for (let activity = 1; ; activity++) {
        const r = (await new MockActivityEnvironment({ attempt: 1 }).run(activities.syncCatalogPages, input)) as SyncPagesResult;
        taken.push(r.pages);
        input.cursor = r.cursor;
        input.runCounters = addCounters(input.runCounters, r.counters);
        input.runPages! += r.pages;
        if (r.endOfCatalog || activity > 10) break;
      }

      expect(taken).toEqual(pagesPerActivity);
      // Every page was read once: none was read ahead past an activity's last page.
      expect(reads).toBe(5);
      expect(input.runCounters.processed).toBeGreaterThan(0);
      // The run's checkpoint counts the run's pages, not the last activity's.
      expect((await sync.run(runId)).pages).toBe(5);
      expect(sandbox.takeViolations()).toEqual([]);
    } finally {
      clock.mockRestore();
      await sandbox.stop();
      await database.close();
    }
  });
});

describe.each(testDatabases())('Product Sync page activity retry on $driver', (driver) => {
  it('resumes from the run checkpoint when the heartbeat it is given is older, and counts as one attempt would', async () => {
    const database = await driver.open();
    const sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 9 }, rateLimit: false } });
    try {
      const { activities, sync, distributor } = await catalogActivities(database, sandbox, CONNECTOR);
      const fetchPage = distributor.fetchProductPage.bind(distributor);
      const cursors: Array<string | null | undefined> = [];
      distributor.fetchProductPage = async (cursor) => {
        cursors.push(cursor);
        if (cursors.length === 4) throw new BridgeError('transient', 'Ingram Micro GET /resellers/v6/catalog: HTTP 503 (test)', { source: 'ingram' });
        return fetchPage(cursor);
      };

      const runId = 'retry-run';
      await activities.beginProductSync({ connectorId: CONNECTOR, integrationId: 'ingram', runId, dryRun: false });
      // As if two activities of 1 page each came before this one.
      const before = { ...ZERO_COUNTERS, processed: 7, created: 7 };
      const input: SyncPagesInput = { connectorId: CONNECTOR, integrationId: 'ingram', runId, dryRun: false, cursor: null, runCounters: before, runPages: 2 };
      const beats: Array<{ pages: number }> = [];
      const first = new MockActivityEnvironment({ attempt: 1 });
      first.on('heartbeat', (d: { pages: number }) => beats.push(structuredClone(d)));
      await expect(first.run(activities.syncCatalogPages, input)).rejects.toThrow(/HTTP 503/);
      expect((await sync.run(runId)).pages).toBe(2 + 3);

      // Temporal had only the first page's heartbeat when the attempt failed.
      const stale = beats.find((b) => b.pages === 1)!;
      const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: stale });
      const r = (await retry.run(activities.syncCatalogPages, input)) as SyncPagesResult;
      expect(r.endOfCatalog).toBe(true);
      expect(r.pages).toBe(5);
      // Pages 2 and 3 were not read again: the retry went on at page 4's cursor.
      expect(cursors).toHaveLength(6);
      expect(cursors[4]).toBe(cursors[3]);
      // This activity's counters are the whole catalog's, once (the run's earlier ones excluded).
      const products = sandbox.autotask.records('Products').length;
      expect(r.counters.created).toBe(products);
      expect(r.counters.processed).toBe(r.counters.created + r.counters.quarantined + r.counters.skipped + r.counters.unchanged + r.counters.updated + r.counters.adopted);
      expect(new Set(sandbox.autotask.records('Products').map((p) => p.sku)).size).toBe(products);
      const run = await sync.run(runId);
      expect(run.pages).toBe(2 + 5);
      expect(run.counters.created).toBe(7 + products);
      expect(sandbox.takeViolations()).toEqual([]);
    } finally {
      await sandbox.stop();
      await database.close();
    }
  });
});
