// A first Product Sync is a bulk load into product_links: until the table is analyzed, the planner
// answers "the links of these 100 SKUs" by scanning the whole scope through the MPN index. The page
// loop analyzes each time the run's new links double (statisticsDue); this shows what that buys.
import type { SQL, SQLWrapper } from 'drizzle-orm';
import { sql } from '../../db';
import { statisticsDue } from '../../src/activities/catalog';
import { ProductSyncStore } from '../../src/product-sync/store';
import { testDatabases } from '../helpers/db';

describe('statisticsDue', () => {
  it('is due when the links a run added reach 1,000, then each time they double', () => {
    expect(statisticsDue(0, 999)).toBe(false);
    expect(statisticsDue(900, 1000)).toBe(true);
    expect(statisticsDue(1000, 1999)).toBe(false);
    expect(statisticsDue(1900, 2100)).toBe(true);
    expect(statisticsDue(40_000, 63_999)).toBe(false);
    expect(statisticsDue(63_900, 64_100)).toBe(true);
    const due = [];
    for (let n = 0; n < 100_000; n += 100) if (statisticsDue(n, n + 100)) due.push(n + 100);
    expect(due).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000]);
  });
});

describe.each(testDatabases())('links table statistics on $driver', (db) => {
  it('after analyzeLinks a page lookup reads its SKUs through the SKU index, not the whole scope', async () => {
    const database = await db.open();
    try {
      await database.query(sql`
        insert into product_links (connector_id, integration_id, distributor_sku, autotask_product_id, mpn, hash)
        select 'c1', 'ingram', 'SKU' || lpad(g::text, 6, '0'), g, 'MPN' || g, 'h' from generate_series(1, 20000) g`);
      const store = new ProductSyncStore(database);
      const scope = { connectorId: 'c1', integrationId: 'ingram' };
      const explain = async (statement: SQL | SQLWrapper) => (await database.query<{ 'QUERY PLAN': string }>(sql`explain ${statement}`)).map((r) => r['QUERY PLAN']).join('\n');
      const plain = () => explain(sql.raw(`select * from product_links where connector_id = 'c1' and integration_id = 'ingram' and distributor_sku in ('SKU000100', 'SKU012345')`));
      // The page query: its SKUs' links, and the links holding its MPNs.
      const page = () => explain(store.pageLinksQuery(scope, ['SKU000100', 'SKU012345'], ['MPN100', 'MPN12345']));
      // Without statistics the planner takes the MPN index for the scope prefix (the regression this guards).
      expect(await plain()).toContain('product_links_mpn_idx');
      await store.analyzeLinks();
      const analyzed = await plain();
      expect(analyzed).not.toContain('product_links_mpn_idx');
      expect(analyzed).toContain('distributor_sku_pk');
      // Analyzed, the page query reads each index for its own values only: no scan of the scope.
      const pagePlan = await page();
      expect(pagePlan).toMatch(/Append/);
      expect(pagePlan).toContain('distributor_sku_pk');
      expect(pagePlan).toContain('product_links_mpn_idx');
      expect(pagePlan).not.toMatch(/Seq Scan/);
    } finally {
      await database.close();
    }
  });
});
