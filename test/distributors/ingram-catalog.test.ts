import { BAD_RECORD_KINDS, CatalogGenerator } from '../../src/distributors/ingram/sim';
import { withPriceAndAvailability, type Product } from '../../src/distributors/adapter';
import { toProduct } from '../../src/distributors/ingram/catalog-mapping';
import { CATALOG, PNA, TOKEN, useIngramSim } from './helpers';

describe('catalog generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new CatalogGenerator({ seed: 7, skus: 500 });
    const b = new CatalogGenerator({ seed: 7, skus: 500 });
    const c = new CatalogGenerator({ seed: 8, skus: 500 });
    expect(a.expectedSkus()).toEqual(b.expectedSkus());
    expect(a.product(123)).toEqual(b.product(123));
    expect(c.expectedSkus()).not.toEqual(a.expectedSkus());
  });

  it('has a fixed share of bad records of every documented kind', () => {
    const g = new CatalogGenerator({ skus: 20_000 });
    const bad = g.badRecords();
    expect(bad.length / 20_000).toBeGreaterThan(0.008);
    expect(bad.length / 20_000).toBeLessThan(0.012);
    expect(new Set(bad.map((b) => b.kind))).toEqual(new Set(BAD_RECORD_KINDS));
    const negative = bad.find((b) => b.kind === 'negative-price')!;
    expect(g.product(negative.index).cost).toBeLessThan(0);
    const absurd = bad.find((b) => b.kind === 'absurd-price')!;
    expect(g.product(absurd.index).cost).toBe(1e9);
    const dupSku = bad.find((b) => b.kind === 'duplicate-sku')!;
    expect(g.product(dupSku.index).sku).toBe(g.skuOf(dupSku.index - 1));
  });

  it('advancing a day changes about changeRate of prices and churns SKUs', () => {
    const g = new CatalogGenerator({ skus: 10_000, changeRate: 0.05, churnRate: 0.002 });
    const day0 = new Map(Array.from(g.present(0), (i) => [i, g.product(i, 0)]));
    const present1 = g.present(1);
    let common = 0;
    let changed = 0;
    for (const i of present1) {
      const before = day0.get(i);
      if (!before) continue;
      common++;
      if (before.cost !== g.product(i, 1).cost) changed++;
    }
    expect(changed / common).toBeGreaterThan(0.04);
    expect(changed / common).toBeLessThan(0.06);
    const gone = day0.size - common;
    const added = present1.length - common;
    expect(gone).toBeGreaterThan(5);
    expect(gone).toBeLessThan(40);
    expect(added).toBe(20);
  });

  it('generates 100,000 SKUs lazily and quickly', () => {
    const started = Date.now();
    const g = new CatalogGenerator({ skus: 100_000 });
    const present = g.present();
    expect(present.length).toBe(100_000);
    for (let k = 0; k < present.length; k += 97) g.product(present[k]);
    expect(g.findBySku(g.skuOf(99_999))?.index).toBe(99_999);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('Ingram adapter: catalog', () => {
  const h = useIngramSim({ catalog: { skus: 1_000 } });

  it('walks every page once and resumes from a cursor', async () => {
    const expected = h.sim.catalog.expectedSkus();
    const first = h.adapter({ pageSize: 100 });
    const seen: string[] = [];
    let cursor: string | null = null;
    for await (const page of first.listProducts()) {
      seen.push(...page.items.map((p) => p.distributorSku));
      cursor = page.nextCursor;
      if (seen.length >= 300) break; // a workflow checkpoints here
    }
    expect(cursor).toBe('p=4;s=100');
    // A new adapter (new activity attempt) continues from the saved cursor.
    for await (const page of h.adapter({ pageSize: 100 }).listProducts(cursor)) {
      expect(page.cursor).toBe(cursor);
      seen.push(...page.items.map((p) => p.distributorSku));
      cursor = page.nextCursor;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(expected);
    expect(h.count(CATALOG)).toBe(10);
    // Every SKU exactly once, except the documented duplicate-SKU records.
    const dupes = h.sim.catalog.badRecords().filter((b) => b.kind === 'duplicate-sku').map((b) => b.sku);
    const counts = new Map<string, number>();
    for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1).map(([s]) => s).sort()).toEqual(dupes.sort());
  });

  it('handles a page size that does not divide the catalog', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of h.adapter({ pageSize: 37 }).listProducts()) {
      pages++;
      seen.push(...page.items.map((p) => p.distributorSku));
    }
    expect(pages).toBe(Math.ceil(1_000 / 37));
    expect(seen).toEqual(h.sim.catalog.expectedSkus());
  });

  it('rejects a cursor that is not its own', async () => {
    await expect(h.adapter().fetchProductPage('token-abc')).rejects.toMatchObject({ kind: 'validation' });
  });

  it('batches price and availability at 50 and keeps request order', async () => {
    const skus = h.sim.catalog.expectedSkus().slice(0, 120);
    const adapter = h.adapter();
    const result = await adapter.priceAndAvailability([...skus, 'ZZZZZZZ', skus[0]]);
    expect(h.count(PNA)).toBe(3);
    expect(result.map((r) => r.distributorSku)).toEqual([...new Set([...skus, 'ZZZZZZZ'])]);
    expect(result.at(-1)).toMatchObject({ distributorSku: 'ZZZZZZZ', status: 'not_found' });
    const sample = result.find((r) => r.status === 'active' && r.availability?.warehouses.length)!;
    expect(sample.currency).toBe('USD');
    expect(sample.cost).toBe(h.sim.catalog.findBySku(sample.distributorSku)!.cost);
    expect(sample.availability!.total).toBe(sample.availability!.warehouses.reduce((n, w) => n + w.quantity, 0));
    expect(h.count(TOKEN)).toBe(1);
  });

  it('normalises promos, backorders and discontinued SKUs', async () => {
    const g = h.sim.catalog;
    const indices = Array.from(g.present());
    const promo = g.product(indices.find((i) => g.product(i).promo && !g.badKind(i))!);
    const backorder = g.product(indices.find((i) => g.product(i).warehouses.some((w) => w.backordered > 0))!);
    const disc = g.product(indices.find((i) => g.product(i).discontinued && g.product(i).replacementSku)!);
    const [p, b, d] = await h.adapter().priceAndAvailability([promo.sku, backorder.sku, disc.sku]);
    expect(p.promo).toMatchObject({ discount: promo.promo!.discount, from: promo.promo!.from, to: promo.promo!.to, minQuantity: promo.promo!.minQuantity });
    expect(p.promo!.price).toBeCloseTo(promo.cost - promo.promo!.discount, 2);
    expect(b.availability).toMatchObject({ total: 0, available: false });
    expect(b.availability!.backorderQuantity).toBe(backorder.warehouses.reduce((n, w) => n + w.backordered, 0));
    expect(b.availability!.backorderEta).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(d.status).toBe('discontinued');
    const page = await h.adapter({ pageSize: 100 }).fetchProductPage(`p=${Math.floor(g.present().indexOf(disc.index) / 100) + 1};s=100`);
    expect(page.items.find((x) => x.distributorSku === disc.sku)).toMatchObject({ status: 'discontinued', replacementSku: disc.replacementSku });
  });

  it('surfaces every kind of bad record for quarantine', async () => {
    const adapter = h.adapter();
    const products: Product[] = [];
    for await (const page of adapter.listProducts()) products.push(...page.items);
    const pna = new Map((await adapter.priceAndAvailability(products.map((p) => p.distributorSku))).map((r) => [r.distributorSku, r]));
    const merged = products.map((p) => withPriceAndAvailability(p, pna.get(p.distributorSku)));
    const bySku = new Map(merged.map((p) => [p.distributorSku, p]));
    const bad = h.sim.catalog.badRecords();
    expect(bad.length).toBeGreaterThan(0);
    for (const b of bad) {
      const p = bySku.get(b.sku)!;
      switch (b.kind) {
        case 'missing-fields': expect(p.issues).toEqual(expect.arrayContaining(['missing vendor part number', 'missing description'])); break;
        case 'negative-price':
        case 'zero-price': expect(p.issues.some((i) => i.startsWith('non-positive cost'))).toBe(true); break;
        case 'absurd-price': expect(p.issues.some((i) => i.startsWith('implausible cost'))).toBe(true); break;
        case 'long-text': expect(p.issues.some((i) => i.startsWith('description longer'))).toBe(true); break;
        case 'duplicate-mpn': expect(merged.filter((x) => x.mpn === p.mpn && x.vendor === p.vendor).length).toBeGreaterThan(1); break;
        case 'duplicate-sku': expect(products.filter((x) => x.distributorSku === b.sku).length).toBe(2); break;
      }
    }
    const clean = merged.filter((p) => !h.sim.catalog.badKind(h.sim.catalog.indexOf(p.distributorSku)!) && p.status === 'active');
    expect(clean.filter((p) => p.issues.length).length).toBe(0);
  });

  it('sees the catalog move when the admin API advances the day', async () => {
    const adapter = h.adapter();
    const skus = h.sim.catalog.expectedSkus().slice(0, 500);
    const before = await adapter.priceAndAvailability(skus);
    await h.admin('POST', '/catalog/day', { advance: 1 });
    const after = new Map((await adapter.priceAndAvailability(skus)).map((r) => [r.distributorSku, r]));
    const changed = before.filter((b) => after.get(b.distributorSku)?.status !== 'not_found' && after.get(b.distributorSku)?.cost !== b.cost).map((b) => b.distributorSku);
    // Exactly the SKUs whose price the simulated catalog moved on day 1.
    const g = h.sim.catalog;
    const moved = [...new Set(skus)].filter((sku) => g.findBySku(sku, 1) && g.findBySku(sku, 1)!.cost !== g.findBySku(sku, 0)!.cost);
    expect(changed).toEqual(moved);
    expect(moved.length).toBeGreaterThan(0);
    expect(await h.admin('GET', '/catalog')).toMatchObject({ day: 1, date: '2026-01-02' });
  });

  it('reads `description` first and falls back to `extraDescription`; the simulator sends both', async () => {
    expect(toProduct({ ingramPartNumber: 'A1', description: 'SANDISK ULTRA 16GB', extraDescription: 'SanDisk Ultra 16 GB microSDHC UHS-I card, class 10' }).description).toBe('SANDISK ULTRA 16GB');
    expect(toProduct({ ingramPartNumber: 'A1', description: ' ', extraDescription: 'Extended text' }).description).toBe('Extended text');
    expect(toProduct({ ingramPartNumber: 'A1' }).issues).toContain('missing description');
    const page = await h.adapter().fetchProductPage(null);
    const raw = page.items.map((p) => p.raw as { description?: string; extraDescription?: string }).filter((r) => r.description);
    expect(raw.length).toBeGreaterThan(90);
    for (const r of raw) {
      expect(r.extraDescription).toBeTruthy();
      expect(r.extraDescription).not.toBe(r.description);
    }
    for (const p of page.items) if (p.description) expect(p.description).toBe(h.sim.catalog.findBySku(p.distributorSku)!.description);
  });

  it('marks licences as needing the end user (catalog `endUserRequired`, P&A `endUserInfoRequired`)', async () => {
    const adapter = h.adapter();
    const products: Product[] = [];
    for await (const page of adapter.listProducts()) products.push(...page.items);
    const licences = products.filter((p) => h.sim.catalog.findBySku(p.distributorSku)?.digital);
    expect(licences.length).toBeGreaterThan(0);
    expect(licences.every((p) => p.endUserRequired && p.kind === 'cloud')).toBe(true);
    expect(products.filter((p) => p.endUserRequired).length).toBe(licences.length);
    const pna = await adapter.priceAndAvailability([licences[0].distributorSku, products.find((p) => !p.endUserRequired)!.distributorSku]);
    expect(pna.map((r) => r.endUserRequired)).toEqual([true, false]);
  });

  it('reports a walk that asks for a page beyond the end as the end', async () => {
    const page = await h.adapter().fetchProductPage('p=99;s=100');
    expect(page).toMatchObject({ items: [], nextCursor: null });
  });
});
