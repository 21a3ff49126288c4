// Product Sync reads the next catalog page, and asks for its prices, while a page is written: the
// distributor's answer time hides behind Autotask's. A read ahead that fails surfaces only when its
// page's turn comes, after the page before it is checkpointed, and the retry goes on from there.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { SyncPagesInput, SyncPagesResult } from '../../src/activities/catalog';
import { BridgeError } from '../../src/failures';
import { ZERO_COUNTERS } from '../../src/product-sync/counters';
import { startSandbox } from '../../src/sim';
import { catalogActivities } from '../helpers/catalog-activities';
import { testDatabases } from '../helpers/db';

// Three Ingram pages (100 records each).
const SKUS = 250;
const CONNECTOR = 'ahead';

describe.each(testDatabases())('Product Sync read-ahead on $driver', (driver) => {
  it('asks for the next page and its prices before the current page is written; a failed read ahead fails after the page before it', async () => {
    const database = await driver.open();
    const sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: SKUS, seed: 5 }, rateLimit: false } });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // The adapter instance is cached per integration: the activity uses this one.
      const { activities, sync, distributor } = await catalogActivities(database, sandbox, CONNECTOR);
      const fetchPage = distributor.fetchProductPage.bind(distributor);
      const prices = distributor.priceAndAvailability.bind(distributor);
      const products = () => sandbox.autotask.records('Products').length;
      const fetches: Array<{ products: number }> = [];
      const priceCalls: Array<{ products: number }> = [];
      distributor.fetchProductPage = async (cursor) => {
        fetches.push({ products: products() });
        if (fetches.length === 3) throw new BridgeError('transient', 'Ingram Micro GET /resellers/v6/catalog: HTTP 503 (test)', { source: 'ingram' });
        return fetchPage(cursor);
      };
      distributor.priceAndAvailability = async (skus) => {
        priceCalls.push({ products: products() });
        return prices(skus);
      };

      const runId = 'ahead-run';
      const input: SyncPagesInput = { connectorId: CONNECTOR, integrationId: 'ingram', runId, dryRun: false, cursor: null, runCounters: ZERO_COUNTERS };
      await activities.beginProductSync({ connectorId: CONNECTOR, integrationId: 'ingram', runId, dryRun: false });
      const beats: unknown[] = [];
      const env = new MockActivityEnvironment({ attempt: 1 });
      let afterPageOne: number | undefined;
      env.on('heartbeat', (d: { pages: number; page?: unknown }) => {
        beats.push(structuredClone(d));
        if (d.pages === 1 && !d.page) afterPageOne ??= products();
      });
      await expect(env.run(activities.syncCatalogPages, input)).rejects.toThrow(/Ingram Micro GET \/resellers\/v6\/catalog: HTTP 503/);

      // Page 2 was asked for before page 1 wrote its first product, and its prices before page 1 was done.
      expect(fetches[1].products).toBe(0);
      expect(afterPageOne).toBeGreaterThan(0);
      expect(priceCalls).toHaveLength(2);
      expect(priceCalls[0].products).toBe(0);
      expect(priceCalls[1].products).toBeLessThan(afterPageOne!);
      // Page 3's read failed while page 2 was written; it surfaced once page 2 was done and checkpointed.
      const afterTwoPages = products();
      expect(fetches[2].products).toBeLessThan(afterTwoPages);
      const run = await sync.run(runId);
      expect(run.pages).toBe(2);
      expect(run.cursor).not.toBeNull();
      expect(unhandled).toEqual([]);

      // The retry starts at page 3 (from the heartbeat) and finishes the catalog.
      const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: beats.at(-1) });
      const result = (await retry.run(activities.syncCatalogPages, input)) as SyncPagesResult;
      expect(result.endOfCatalog).toBe(true);
      expect(result.pages).toBe(3);
      expect(fetches).toHaveLength(4);
      expect(products()).toBeGreaterThan(afterTwoPages);
      expect(new Set(sandbox.autotask.records('Products').map((p) => p.sku)).size).toBe(products());
      expect(unhandled).toEqual([]);
      expect(sandbox.takeViolations()).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await sandbox.stop();
      await database.close();
    }
  });
});
