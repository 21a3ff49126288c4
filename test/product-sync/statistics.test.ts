// A first Product Sync is a bulk load into product_links: until the table is analyzed, the planner
// answers "the links of these 100 SKUs" by scanning the whole scope through the MPN index. The page
// loop analyzes each time the run's new links double (statisticsDue); this shows what that buys.
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
      const plan = async () => {
        const rows = await database.query<{ 'QUERY PLAN': string }>(sql.raw(`explain select * from product_links where connector_id = 'c1' and integration_id = 'ingram' and distributor_sku in ('SKU000100', 'SKU012345')`));
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      // Without statistics the planner takes the MPN index for the scope prefix (the regression this guards).
      expect(await plan()).toContain('product_links_mpn_idx');
      await new ProductSyncStore(database).analyzeLinks();
      const analyzed = await plan();
      expect(analyzed).not.toContain('product_links_mpn_idx');
      expect(analyzed).toContain('distributor_sku_pk');
    } finally {
      await database.close();
    }
  });
});
