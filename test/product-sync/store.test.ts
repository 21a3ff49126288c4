// The page queries of the links table: a page's links and its MPNs' owners in one query, and its
// linked SKUs marked seen (and the unchanged ones handled) in one update.
import { ProductSyncStore, type LinkWrite } from '../../src/product-sync/store';
import { testDatabases } from '../helpers/db';

const scope = { connectorId: 'c1', integrationId: 'ingram' };
const link = (sku: string, mpn: string | null, id: number): LinkWrite => ({
  distributorSku: sku, autotaskProductId: id, productVendorId: null, hash: `h-${sku}`, written: { product: { sku } }, isActive: true,
  origin: 'created', mpn, discontinuedRunId: null, endUserRequired: false, processedAs: 'created',
});

describe.each(testDatabases())('product link page queries on $driver', (db) => {
  it('reads the links of a page and the linked owner of each of its MPNs, in this scope only', async () => {
    const database = await db.open();
    try {
      const store = new ProductSyncStore(database);
      await store.upsertLinks(scope, 'run0', 'run0@', [link('A', 'MPN-A', 1), link('B', 'MPN-B', 2), link('C', null, 3)]);
      await store.upsertLinks({ ...scope, integrationId: 'td-synnex' }, 'run0', 'run0@', [link('X', 'MPN-X', 9)]);
      const { links, skusByMpn } = await store.pageLinks(scope, ['A', 'C', 'NEW'], ['MPN-A', 'MPN-B', 'MPN-X', 'MPN-NONE']);
      expect([...links.keys()].sort()).toEqual(['A', 'C']);
      expect(links.get('A')).toMatchObject({ autotaskProductId: 1, hash: 'h-A', written: { product: { sku: 'A' } }, mpn: 'MPN-A' });
      // B is not on the page but owns MPN-B; MPN-X belongs to another integration's links.
      expect(Object.fromEntries(skusByMpn)).toEqual({ 'MPN-A': 'A', 'MPN-B': 'B' });
      expect((await store.pageLinks(scope, [], [])).links.size).toBe(0);
      expect([...(await store.links(scope, ['B'])).keys()]).toEqual(['B']);
    } finally {
      await database.close();
    }
  });

  it('marks the page seen and, in the same update, only its unchanged SKUs handled by this page', async () => {
    const database = await db.open();
    try {
      const store = new ProductSyncStore(database);
      await store.upsertLinks(scope, 'run0', 'run0@', [link('A', null, 1), link('B', null, 2), link('C', null, 3)]);
      await store.markSeen(scope, 'run1', ['A', 'B'], { marker: 'run1@p2', skus: ['A'] });
      const links = await store.links(scope, ['A', 'B', 'C']);
      expect(links.get('A')).toMatchObject({ lastSeenRunId: 'run1', processedRunId: 'run1@p2', processedAs: 'unchanged' });
      expect(links.get('B')).toMatchObject({ lastSeenRunId: 'run1', processedRunId: 'run0@', processedAs: 'created' });
      expect(links.get('C')).toMatchObject({ lastSeenRunId: 'run0', processedRunId: 'run0@' });
      await store.markSeen(scope, 'run2', ['C']);
      expect((await store.links(scope, ['C'])).get('C')).toMatchObject({ lastSeenRunId: 'run2', processedRunId: 'run0@' });
    } finally {
      await database.close();
    }
  });
});
