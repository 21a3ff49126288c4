// The page queries of the links table: a page's links and its MPNs' owners in one query, and its
// linked SKUs marked seen (and the unchanged ones handled) in one update.
import { sql, type Database } from '../../db';
import { ZERO_COUNTERS } from '../../src/product-sync/counters';
import { ProductSyncStore, type LinkWrite } from '../../src/product-sync/store';
import { testDatabases } from '../helpers/db';

const scope = { connectorId: 'c1', integrationId: 'ingram' };
const link = (sku: string, mpn: string | null, id: number): LinkWrite => ({
  distributorSku: sku, autotaskProductId: id, productVendorId: null, hash: `h-${sku}`, written: { product: { sku } }, isActive: true,
  origin: 'created', mpn, discontinuedRunId: null, endUserRequired: false, processedAs: 'created',
});

describe.each(testDatabases())('product link page queries on $driver', (db) => {
  /** A store on a fresh migrated database of this driver, closed after `fn`. */
  const withStore = async (fn: (store: ProductSyncStore, database: Database) => Promise<void>) => {
    const database = await db.open();
    try {
      await fn(new ProductSyncStore(database), database);
    } finally {
      await database.close();
    }
  };

  it('reads the links of a page and the linked owner of each of its MPNs, in this scope only', async () => {
    await withStore(async (store, database) => {
      await store.upsertLinks(scope, 'run0', 'run0@', [link('A', 'MPN-A', 1), link('B', 'MPN-B', 2), link('C', null, 3)]);
      await store.upsertLinks({ ...scope, integrationId: 'td-synnex' }, 'run0', 'run0@', [link('X', 'MPN-X', 9)]);
      const { links, skusByMpn } = await store.pageLinks(scope, ['A', 'C', 'NEW'], ['MPN-A', 'MPN-B', 'MPN-X', 'MPN-NONE']);
      expect([...links.keys()].sort()).toEqual(['A', 'C']);
      expect(links.get('A')).toMatchObject({ autotaskProductId: 1, hash: 'h-A', written: { product: { sku: 'A' } }, mpn: 'MPN-A' });
      // B is not on the page but owns MPN-B; MPN-X belongs to another integration's links.
      expect(Object.fromEntries(skusByMpn)).toEqual({ 'MPN-A': 'A', 'MPN-B': 'B' });
      expect((await store.pageLinks(scope, [], [])).links.size).toBe(0);
      expect([...(await store.links(scope, ['B'])).keys()]).toEqual(['B']);
    });
  });

  it('keeps an MPN with the page\'s own link when another linked SKU holds it too, and reads an MPN owner\'s link whole only when it is on the page', async () => {
    await withStore(async (store) => {
      await store.upsertLinks(scope, 'run0', 'run0@', [link('A', 'MPN-S', 1), link('Z', 'MPN-S', 2), link('Y', 'MPN-Y', 3)]);
      for (const [skus, owner] of [[['A'], 'A'], [['Z'], 'Z'], [['A', 'Z'], undefined]] as const) {
        const { links, skusByMpn } = await store.pageLinks(scope, [...skus], ['MPN-S', 'MPN-Y']);
        expect([...links.keys()].sort()).toEqual([...skus]);
        if (owner) expect(skusByMpn.get('MPN-S')).toBe(owner);
        else expect(['A', 'Z']).toContain(skusByMpn.get('MPN-S'));
        expect(skusByMpn.get('MPN-Y')).toBe('Y');
        for (const l of links.values()) expect(l.updatedAt).toBeInstanceOf(Date);
      }
    });
  });

  it('stores links as column arrays: nulls, booleans, awkward JSON and SKUs round-trip, and a second write updates', async () => {
    await withStore(async (store, database) => {
      const awkward = { product: { name: 'Cable "Pro" 2m, {blue} \\ \u00e9\u4e2d', sku: 'A,"1"' }, udfs: { a: null, b: '' }, stock: 3, active: true };
      await store.upsertLinks(scope, 'run0', 'run0@p1', [
        { ...link('A,"1"', 'M{1}', 1), written: awkward, productVendorId: 11, endUserRequired: true },
        { ...link('NULL', null, 2), hash: 'h', isActive: false, discontinuedRunId: 'run0', origin: 'adopted', processedAs: 'adopted' },
      ]);
      const first = await store.links(scope, ['A,"1"', 'NULL']);
      expect(first.get('A,"1"')).toMatchObject({ autotaskProductId: 1, productVendorId: 11, mpn: 'M{1}', written: awkward, endUserRequired: true, isActive: true, lastSeenRunId: 'run0', processedRunId: 'run0@p1', processedAs: 'created' });
      expect(first.get('NULL')).toMatchObject({ autotaskProductId: 2, productVendorId: null, mpn: null, isActive: false, discontinuedRunId: 'run0', origin: 'adopted' });
      const [{ kind }] = await database.query<{ kind: string }>(sql`select jsonb_typeof(written) as kind from product_links where distributor_sku = 'NULL'`);
      expect(kind).toBe('object');
      // A second write updates in place (the origin a link was made with stays).
      await store.upsertLinks(scope, 'run1', 'run1@p1', [{ ...link('NULL', 'M2', 5), hash: 'h2', processedAs: 'updated' }]);
      expect((await store.links(scope, ['NULL'])).get('NULL')).toMatchObject({ autotaskProductId: 5, hash: 'h2', mpn: 'M2', isActive: true, discontinuedRunId: null, origin: 'adopted', lastSeenRunId: 'run1', processedAs: 'updated' });
    });
  });

  it('marks the page seen and, in the same update, only its unchanged SKUs handled by this page', async () => {
    await withStore(async (store, database) => {
      await store.upsertLinks(scope, 'run0', 'run0@', [link('A', null, 1), link('B', null, 2), link('C', null, 3)]);
      await store.markSeen(scope, 'run1', ['A', 'B'], { marker: 'run1@p2', skus: ['A'] });
      const links = await store.links(scope, ['A', 'B', 'C']);
      expect(links.get('A')).toMatchObject({ lastSeenRunId: 'run1', processedRunId: 'run1@p2', processedAs: 'unchanged' });
      expect(links.get('B')).toMatchObject({ lastSeenRunId: 'run1', processedRunId: 'run0@', processedAs: 'created' });
      expect(links.get('C')).toMatchObject({ lastSeenRunId: 'run0', processedRunId: 'run0@' });
      await store.markSeen(scope, 'run2', ['C']);
      expect((await store.links(scope, ['C'])).get('C')).toMatchObject({ lastSeenRunId: 'run2', processedRunId: 'run0@' });
    });
  });

  it('claims SKUs for one page of a run: not those another page of the run holds; again on a retry of that page; any in a later run', async () => {
    await withStore(async (store, database) => {
      await store.upsertLinks(scope, 'run0', 'run0@', [link('A', null, 1)]);
      const claim = async (run: string, marker: string, skus: string[]) => [...(await store.claimForPage(scope, run, marker, skus.map((sku) => ({ sku })))).granted].sort();
      expect(await claim('run1', 'run1@p1', ['A', 'NEW1', 'NEW2'])).toEqual(['A', 'NEW1', 'NEW2']);
      // A claimed link counts as not finished until its link is written (processed_as cleared); a new SKU has no product yet.
      const claimed = await store.links(scope, ['A', 'NEW1']);
      expect(claimed.get('A')).toMatchObject({ autotaskProductId: 1, processedRunId: 'run1@p1', processedAs: null });
      expect(claimed.get('NEW1')).toMatchObject({ autotaskProductId: null, processedRunId: 'run1@p1', processedAs: null });
      // Another page of the same run gets only what no page of the run holds.
      expect(await claim('run1', 'run1@p2', ['NEW2', 'NEW3'])).toEqual(['NEW3']);
      // The same page again (a retried attempt) gets its SKUs back; a later run gets any.
      expect(await claim('run1', 'run1@p1', ['NEW2'])).toEqual(['NEW2']);
      expect(await claim('run10', 'run10@p2', ['NEW2', 'NEW3'])).toEqual(['NEW2', 'NEW3']);
      expect(await claim('run1', 'run1@p1', [])).toEqual([]);
    });
  });

  it('claims no SKU whose vendor part number another page of the run claimed under another SKU, and says which', async () => {
    await withStore(async (store, database) => {
      // Linked in an earlier run under MPN-OLD: the plan quarantines by links; claims only look at this run.
      await store.upsertLinks(scope, 'run0', 'run0@', [link('OLD', 'MPN-OLD', 1)]);
      const first = await store.claimForPage(scope, 'run1', 'run1@p1', [{ sku: 'S1', mpn: 'MPN-X' }, { sku: 'S2', mpn: null }]);
      expect([...first.granted].sort()).toEqual(['S1', 'S2']);
      const second = await store.claimForPage(scope, 'run1', 'run1@p2', [{ sku: 'S3', mpn: 'MPN-X' }, { sku: 'S4', mpn: 'MPN-OLD' }, { sku: 'S5', mpn: 'MPN-Y' }]);
      expect([...second.granted].sort()).toEqual(['S4', 'S5']);
      expect([...second.mpnHeldBy]).toEqual([['S3', 'S1']]);
      expect((await store.links(scope, ['S3'])).has('S3')).toBe(false);
      // The page that claimed it first keeps it on a retry; a later run's pages start afresh.
      expect([...(await store.claimForPage(scope, 'run1', 'run1@p1', [{ sku: 'S1', mpn: 'MPN-X' }])).granted]).toEqual(['S1']);
      expect([...(await store.claimForPage(scope, 'run2', 'run2@p2', [{ sku: 'S3', mpn: 'MPN-X' }])).granted]).toEqual(['S3']);
      // A claim's row (no product yet) is no MPN owner for a plan: only linked products are.
      expect((await store.pageLinks(scope, [], ['MPN-X', 'MPN-OLD'])).skusByMpn).toEqual(new Map([['MPN-OLD', 'OLD']]));
      // Claims of two pages at once: one of them gets the MPN.
      const [a, b] = await Promise.all([
        store.claimForPage(scope, 'run3', 'run3@p1', [{ sku: 'R1', mpn: 'MPN-R' }]),
        store.claimForPage(scope, 'run3', 'run3@p2', [{ sku: 'R2', mpn: 'MPN-R' }]),
      ]);
      expect(a.granted.size + b.granted.size).toBe(1);
      expect(a.mpnHeldBy.size + b.mpnHeldBy.size).toBe(1);
    });
  });

  it('stores a page\'s quarantined records with its checkpoint: a null record, awkward text and JSON, and a record too big to keep whole', async () => {
    await withStore(async (store, database) => {
      await store.beginRun(scope, 'run1', false);
      const big = { text: 'x'.repeat(30_000) };
      const counters = { ...ZERO_COUNTERS, processed: 3, quarantined: 3 };
      await store.checkpoint('run1', { cursor: 'page-2', counters, pages: 1, quarantined: [
        { recordKey: 'A,"1"', reason: 'bad "cost" {x} \\ \u00e9', record: { cost: null, list: [1, 'a'], nested: { ok: false } } },
        { recordKey: '(unreadable)', reason: 'no JSON', record: null },
        { recordKey: 'BIG', reason: 'r'.repeat(3000), record: big },
      ] });
      await store.checkpoint('run1', { cursor: 'page-3', counters, pages: 2, plan: { samples: [] } });
      // A run that does not exist: neither its position nor the records are stored.
      await store.checkpoint('no-such-run', { cursor: 'page-9', counters, pages: 1, quarantined: [{ recordKey: 'LOST', reason: 'r', record: null }] });
      expect(await store.run('run1')).toMatchObject({ cursor: 'page-3', pages: 2, counters, plan: { samples: [] } });
      await store.checkpoint('run1', { cursor: 'page-4', counters, pages: 3 });
      expect(await store.run('run1')).toMatchObject({ cursor: 'page-4', pages: 3, plan: { samples: [] } });
      const rows = await database.query<{ record_key: string; reason: string; record: unknown; template: string; connector_id: string }>(
        sql`select record_key, reason, record, template, connector_id from quarantine where run_id = 'run1' order by id`);
      expect(rows.map((r) => [r.record_key, r.template, r.connector_id])).toEqual([['A,"1"', 'product-sync', 'c1'], ['(unreadable)', 'product-sync', 'c1'], ['BIG', 'product-sync', 'c1']]);
      expect(rows[0]).toMatchObject({ reason: 'bad "cost" {x} \\ \u00e9', record: { cost: null, list: [1, 'a'], nested: { ok: false } } });
      expect(rows[1].record).toBeNull();
      expect(rows[2].reason).toHaveLength(2000);
      expect(rows[2].record).toEqual({ truncated: JSON.stringify(big).slice(0, 20_000) });
      expect(await database.query(sql`select 1 from quarantine where run_id = 'no-such-run'`)).toEqual([]);
    });
  });

  it('adds up the counters of page lanes that checkpoint at once: each lane\'s latest on top of the run\'s before the lanes', async () => {
    await withStore(async (store) => {
      await store.beginRun(scope, 'lanes', false);
      const c = (processed: number, created: number) => ({ ...ZERO_COUNTERS, processed, created });
      const base = c(100, 90);
      // Three lanes checkpoint at once, twice each; a lane's counters only grow (a retried page rewrites the same).
      await Promise.all([0, 1, 2].map(async (index) => {
        await store.checkpoint('lanes', { cursor: `l${index}-1`, counters: base, pages: 1, lane: { index, counters: c(10 * (index + 1), 5) } });
        await store.checkpoint('lanes', { cursor: `l${index}-2`, counters: base, pages: 2, lane: { index, counters: c(20 * (index + 1), 10) } });
      }));
      expect((await store.run('lanes'))!.counters).toEqual(c(100 + 20 + 40 + 60, 90 + 30));
      // Lane 1 redoes its last page after a retry: the same counters again, nothing counted twice.
      await store.checkpoint('lanes', { cursor: 'l1-2', counters: base, pages: 2, lane: { index: 1, counters: c(40, 10) } });
      const run = await store.run('lanes');
      expect(run!.counters).toEqual(c(220, 120));
      expect(run!.laneCounters).toEqual({ 0: c(20, 10), 1: c(40, 10), 2: c(60, 10) });
      // The run resumed (a new workflow for the same run): its counters so far are the base, and its lanes start afresh.
      const resumed = await store.beginRun(scope, 'lanes', false);
      expect(resumed).toMatchObject({ resumed: true, counters: c(220, 120) });
      await store.checkpoint('lanes', { cursor: 'r', counters: resumed.counters, pages: 3, lane: { index: 2, counters: c(5, 1) } });
      expect(await store.run('lanes')).toMatchObject({ counters: c(225, 121), laneCounters: { 2: c(5, 1) } });
      // A checkpoint without a lane (one lane, or a history from before lane counters) sets the counters as given.
      await store.checkpoint('lanes', { cursor: 'x', counters: c(1, 1), pages: 3 });
      expect((await store.run('lanes'))!.counters).toEqual(c(1, 1));
    });
  });
});
