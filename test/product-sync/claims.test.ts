// A SKU listed on two catalog pages that run at once (page lanes; the distributor lists a duplicate
// across a page boundary) is written by one page only: both pages planned it with no link, and the
// page's claim before its writes decides. The other page quarantines it as a duplicate.
import { applyPlan } from '../../src/product-sync/apply';
import { ConnectorClientCache } from '../../src/connector/clients';
import type { ProductPage } from '../../src/distributors/adapter';
import { planCatalogPage, type PageContext } from '../../src/product-sync/page';
import { DUPLICATE_SKU } from '../../src/product-sync/plan';
import { ProductSyncStore } from '../../src/product-sync/store';
import { startSandbox, type Sandbox } from '../../src/sim';
import { saveConnectedConnector } from '../helpers/connector';
import { testDatabases } from '../helpers/db';
import { testKeyRing } from '../helpers/temporal';

const CONNECTOR = 'claims';
const scope = { connectorId: CONNECTOR, integrationId: 'ingram' };

describe.each(testDatabases())('page claims on $driver', (driver) => {
  /** A connected connector on a 20-SKU Ingram sandbox, and the page context of one Product Sync run. */
  async function withRun(runId: string, test: (t: { ctx: PageContext; sandbox: Sandbox; store: ProductSyncStore }) => Promise<void>): Promise<void> {
    const database = await driver.open();
    const sandbox = await startSandbox({ autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 20, seed: 3, badRecordShare: 0 }, rateLimit: false } });
    try {
      const connectors = await saveConnectedConnector(database, testKeyRing(), sandbox, CONNECTOR);
      const clients = new ConnectorClientCache(connectors, false);
      const { connector, autotask, distributor, vendorCompanyId } = await clients.distributor(CONNECTOR, 'ingram');
      const store = new ProductSyncStore(database);
      const settings = connector.settings.productSync;
      const ctx: PageContext = { scope, runId, dryRun: false, settings, vendorCompanyId: vendorCompanyId!, billingCodeId: settings.billingCodeId!, autotask, distributor, store };
      await test({ ctx, sandbox, store });
      expect(sandbox.takeViolations()).toEqual([]);
    } finally {
      await sandbox.stop();
      await database.close();
    }
  }

  it('two pages of one run writing the same new SKUs at once create each product once', async () => {
    await withRun('claims-run', async ({ ctx, sandbox, store }) => {
      const { distributor } = ctx;
      const items = (await distributor.fetchProductPage(null)).items.slice(0, 6);
      // Two pages sharing items 2 and 3, as two lanes would hold them.
      const pageA: ProductPage = { items: items.slice(0, 4), invalid: [], cursor: 'p1', nextCursor: null };
      const pageB: ProductPage = { items: items.slice(2, 6), invalid: [], cursor: 'p2', nextCursor: null };
      const [planA, planB] = [await planCatalogPage(ctx, pageA, 100), await planCatalogPage(ctx, pageB, 100)];
      // Both plans create every one of their SKUs: neither saw a link.
      expect(planA.writes.map((w) => w.action)).toEqual(['create', 'create', 'create', 'create']);
      expect(planB.writes.map((w) => w.action)).toEqual(['create', 'create', 'create', 'create']);

      const [a, b] = await Promise.all([applyPlan(ctx, planA), applyPlan(ctx, planB)]);
      const products = sandbox.autotask.records('Products');
      const skus = items.map((p) => p.distributorSku);
      for (const sku of skus) expect(products.filter((p) => p.sku === sku)).toHaveLength(1);
      expect(products).toHaveLength(6);
      expect(a.counters.created + b.counters.created).toBe(6);
      expect(a.counters.quarantined + b.counters.quarantined).toBe(2);
      expect([...a.samples.quarantined, ...b.samples.quarantined].map((q) => [q.sku, q.reason]).sort()).toEqual([[skus[2], DUPLICATE_SKU], [skus[3], DUPLICATE_SKU]].sort());
      // Every SKU is linked to its one product.
      const links = await store.links(scope, skus);
      expect(new Set([...links.values()].map((l) => l.autotaskProductId)).size).toBe(6);
    });
  });

  it('a SKU whose create Autotask rejected leaves its part number to a later page, as a serial run does', async () => {
    await withRun('mpn-run', async ({ ctx, sandbox, store }) => {
      const { distributor } = ctx;
      const [a, b] = (await distributor.fetchProductPage(null)).items.slice(0, 2);
      // A and B share a part number, on two pages of one run.
      const mpn = 'MPN-SHARED';
      const pageA: ProductPage = { items: [{ ...a, mpn }], invalid: [], cursor: 'p1', nextCursor: 'p2' };
      const pageB: ProductPage = { items: [{ ...b, mpn }], invalid: [], cursor: 'p2', nextCursor: null };
      const planA = await planCatalogPage(ctx, pageA, 100);
      expect(planA.writes.map((w) => [w.sku, w.action])).toEqual([[a.distributorSku, 'create']]);
      // Autotask refuses A's product (a name longer than the field allows).
      const write = planA.writes[0] as Extract<(typeof planA.writes)[number], { action: 'create' }>;
      write.product = { ...write.product, name: 'N'.repeat(500) };
      const first = await applyPlan(ctx, planA);
      expect(first.quarantined.map((q) => q.recordKey)).toEqual([a.distributorSku]);
      expect(first.quarantined[0].reason).toMatch(/^Autotask rejected the write: /);

      const second = await applyPlan(ctx, await planCatalogPage(ctx, pageB, 100));
      expect(second.counters.created).toBe(1);
      expect(second.quarantined).toEqual([]);
      const products = sandbox.autotask.records('Products');
      expect(products.map((p) => p.sku)).toEqual([b.distributorSku]);
      expect((await store.pageLinks(scope, [], [mpn])).skusByMpn).toEqual(new Map([[mpn, b.distributorSku]]));
      // A SKU that was written keeps its claim: a third page's SKU with B's part number is quarantined.
      const third = await store.claimForPage(scope, 'mpn-run', 'mpn-run@p3', [{ sku: 'OTHER', mpn }]);
      expect(third.mpnHeldBy).toEqual(new Map([['OTHER', b.distributorSku]]));
    });
  });
});
