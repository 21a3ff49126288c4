// TD SYNNEX catalog from the daily price file, read from a real FTP server (the simulator's): paging
// over one streamed transfer, resuming from a cursor at a byte offset, bad and cut-short records,
// files that change or are still being written, and prices from the file or from EC Express XML.
import { TdSynnexAdapter } from '../../src/distributors/td-synnex/adapter';
import type { TdSynnexSettingsInput } from '../../src/distributors/td-synnex/settings';
import { startTdSynnexSim, type TdSynnexSim } from '../../src/distributors/td-synnex/sim';
import { runTdSynnexCatalogBench } from '../../src/distributors/td-synnex/sim/bench';
import type { ProductPage } from '../../src/distributors/adapter';

const PNA = 'POST /SynnexXML/PriceAvailability';

describe('TD SYNNEX adapter: price file over FTP', () => {
  let sim: TdSynnexSim;
  const adapters: TdSynnexAdapter[] = [];
  const adapter = (overrides: Partial<TdSynnexSettingsInput> = {}, secrets = sim.secrets) => {
    const a = new TdSynnexAdapter(sim.settings({ pageSize: 250, timeoutMs: 5_000, ftpTimeoutMs: 5_000, ...overrides }), secrets, 'tds-test');
    adapters.push(a);
    return a;
  };
  const walk = async (a: TdSynnexAdapter, cursor: string | null = null) => {
    const pages: ProductPage[] = [];
    for await (const p of a.listProducts(cursor)) pages.push(p);
    return pages;
  };
  const SKUS = 1_200;
  const badCount = (kinds: string[]) => Array.from({ length: SKUS }, (_, i) => sim.catalog.record(i, sim.state.day)).filter((r) => r.bad && kinds.includes(r.bad)).length;

  beforeAll(async () => {
    sim = await startTdSynnexSim({ catalog: { skus: SKUS, badRecordShare: 0.02 } });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    await sim.writeFile({ day: 0 });
    sim.ftp.counts.logins = sim.ftp.counts.retr = 0;
    sim.ftp.transfers.length = 0;
    sim.server.counts.clear();
  });
  afterEach(() => {
    for (const a of adapters.splice(0)) a.close();
    expect(sim.takeViolations()).toEqual([]);
  });

  it('walks the whole file in pages over one FTP transfer; the header is skipped, unreadable lines quarantined', async () => {
    const pages = await walk(adapter());
    expect(pages).toHaveLength(Math.ceil(SKUS / 250));
    expect(pages[0].cursor).toBeNull();
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const items = pages.flatMap((p) => p.items);
    const invalid = pages.flatMap((p) => p.invalid);
    expect(items.length + invalid.length).toBe(SKUS);
    expect(invalid.length).toBe(badCount(['cut-short', 'no-sku']));
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.map((i) => i.reason).join('\n')).toMatch(/record cut short|no SYNNEX SKU/);
    expect(new Set(items.map((p) => p.distributorSku)).size).toBe(items.length);
    expect(sim.ftp.counts).toMatchObject({ logins: 1, retr: 1 });

    // Field mapping, against the generator's record.
    const promo = sim.catalog.record(items.map((p) => sim.catalog.indexOf(p.distributorSku)!).find((i) => sim.catalog.record(i, 0).promotion)!, 0);
    const p = items.find((x) => x.distributorSku === promo.sku)!;
    expect(p).toMatchObject({
      mpn: promo.mpn, upc: promo.upc, vendor: promo.vendor, description: promo.description, category: promo.category, status: 'active',
      cost: promo.cost, msrp: promo.msrp, currency: 'USD', promo: { price: promo.contractPrice, to: promo.promoExpiry, reference: `PROMO-${promo.index}` },
      availability: { total: promo.quantity, available: promo.quantity > 0 },
    });
    const disc = items.find((x) => x.status === 'discontinued')!;
    expect(disc.replacementSku).toBe(sim.catalog.skuOf(sim.catalog.indexOf(disc.distributorSku)! + 1));
    expect(items.some((x) => x.issues.includes('missing manufacturer part number'))).toBe(true);
    expect(items.some((x) => x.description?.includes('édition Pro'))).toBe(true); // latin1 both ways
  });

  it('resumes from a cursor mid-file with a new adapter (REST at the byte offset) and reads exactly what follows', async () => {
    const whole = await walk(adapter());
    expect(sim.ftp.transfers).toEqual([0]);
    // A retried activity: another process, the cursor from the checkpoint.
    const resumed = await walk(adapter(), whole[2].cursor);
    expect(resumed.flatMap((p) => p.items.map((i) => i.distributorSku))).toEqual(whole.slice(2).flatMap((p) => p.items.map((i) => i.distributorSku)));
    expect(resumed.flatMap((p) => p.invalid)).toEqual(whole.slice(2).flatMap((p) => p.invalid));
    expect(sim.ftp.counts).toMatchObject({ logins: 2, retr: 2 });
    const offset = sim.ftp.transfers[1];
    expect(offset).toBeGreaterThan(0);
    // The offset is where line 501 starts: the file from there begins with the first SKU of page 3.
    const text = (await import('node:fs')).readFileSync(sim.ftp.path(sim.fileName), 'latin1');
    expect(text.slice(0, offset).split('\n')).toHaveLength(501 + 1);
    expect(text.slice(offset, offset + 400)).toContain(resumed[0].items[0].distributorSku);
  });

  it('a truncated file (last line cut short) quarantines that line and ends the walk', async () => {
    const full = await sim.writeFile({ day: 0 });
    await sim.writeFile({ day: 0, cutAtBytes: Math.floor(full.bytes * 0.6) });
    const pages = await walk(adapter());
    const invalid = pages.flatMap((p) => p.invalid);
    expect(invalid.at(-1)!.reason).toMatch(/last line has no line break — the file is cut short/);
    const items = pages.flatMap((p) => p.items);
    expect(items.length).toBeGreaterThan(SKUS * 0.5);
    expect(items.length).toBeLessThan(SKUS * 0.62);
  });

  it('a different file on resume restarts the walk on it, or fails with onFileChange "fail"', async () => {
    const a = adapter();
    const p1 = await a.fetchProductPage(null);
    await sim.writeFile({ day: 3 }); // tomorrow's prices
    const restarted = await adapter().fetchProductPage(p1.nextCursor);
    expect(restarted.items[0].distributorSku).toBe(p1.items[0].distributorSku);
    expect(restarted.nextCursor).not.toBe(p1.nextCursor);
    const next = await adapter().fetchProductPage(restarted.nextCursor);
    expect(next.items[0].distributorSku).not.toBe(p1.items[0].distributorSku);

    const err = await adapter({ onFileChange: 'fail' }).fetchProductPage(p1.nextCursor).catch((e) => e);
    expect(err).toMatchObject({ kind: 'conflict' });
    expect(err.message).toMatch(/price file changed since this catalog walk began/);
  });

  it('a file replaced while it is read is reported as transient (being written), not read as whole', async () => {
    await sim.writeFile({ day: 0 });
    const a = adapter({ pageSize: 100 });
    const first = await a.fetchProductPage(null);
    await sim.writeFile({ day: 5 });
    const err = await (async () => {
      let cursor: string | null = first.nextCursor;
      for (;;) {
        const page: ProductPage = await a.fetchProductPage(cursor);
        if (!page.nextCursor) return null;
        cursor = page.nextCursor;
      }
    })().catch((e) => e);
    expect(err).toMatchObject({ kind: 'transient' });
    expect(err.message).toMatch(/changed while it was read/);
  });

  it('price and availability come from the file while it is fresh, from EC Express XML when it is older than maxFileAgeHours', async () => {
    const fresh = adapter({ maxFileAgeHours: 24 });
    const page = await fresh.fetchProductPage(null);
    const skus = page.items.slice(0, 60).map((p) => p.distributorSku);
    const fromFile = await fresh.priceAndAvailability(skus);
    expect(sim.server.counts.get(PNA) ?? 0).toBe(0);
    expect(fromFile.map((p) => p.cost)).toEqual(page.items.slice(0, 60).map((p) => p.cost));

    await sim.setFileAge(30);
    const stale = adapter({ maxFileAgeHours: 24, pnaBatchSize: 50 });
    const stalePage = await stale.fetchProductPage(null);
    const fromXml = await stale.priceAndAvailability(stalePage.items.slice(0, 60).map((p) => p.distributorSku));
    expect(sim.server.counts.get(PNA)).toBe(2);
    const rec = sim.catalog.record(sim.catalog.indexOf(fromXml[0].distributorSku)!, 0);
    expect(fromXml[0]).toMatchObject({ cost: rec.contractPrice, vendorStatus: rec.status === 'D' ? 'Discontinued' : 'Active', msrp: rec.msrp });
  });

  it("a page's prices still come from the file once the next page is read (Product Sync reads one page ahead), not two pages on", async () => {
    const a = adapter({ maxFileAgeHours: 24 });
    const first = await a.fetchProductPage(null);
    const second = await a.fetchProductPage(first.nextCursor);
    const skus = first.items.slice(0, 20).map((p) => p.distributorSku);
    expect((await a.priceAndAvailability(skus)).map((p) => p.cost)).toEqual(first.items.slice(0, 20).map((p) => p.cost));
    expect(sim.server.counts.get(PNA) ?? 0).toBe(0);
    // Only the last two pages are kept (memory is bounded by the page size, not the file).
    await a.fetchProductPage(second.nextCursor);
    await a.priceAndAvailability(skus);
    expect(sim.server.counts.get(PNA)).toBe(1);
  });

  it('bad settings and credentials: unreadable cursor, refused FTP login, missing file', async () => {
    expect(await adapter().fetchProductPage('not-a-cursor').catch((e) => e.kind)).toBe('validation');
    const login = await adapter({}, { ...sim.secrets, ftpPassword: 'wrong-pass' }).fetchProductPage(null).catch((e) => e);
    expect(login).toMatchObject({ kind: 'auth' });
    expect(login.message).toMatch(/login refused/);
    expect(`${login.message}${JSON.stringify(login)}`).not.toContain('wrong-pass');
    const missing = await adapter({ priceFile: 'nope.ap' }).fetchProductPage(null).catch((e) => e);
    expect(missing).toMatchObject({ kind: 'not_found' });
  });

  it('the benchmark walks a file and reports its numbers', async () => {
    const r = await runTdSynnexCatalogBench({ skus: 3_000, pageSize: 500 });
    expect(r).toMatchObject({ skus: 3_000, pages: 6, requestsByKind: { ftpLogins: 1, ftpTransfers: 1, xml: 0 }, requests: 2 });
    expect(r.items + r.invalid).toBe(3_000);
    expect(r.elapsedMs).toBeGreaterThan(0);
    expect(r.peakRssMb).toBeGreaterThan(0);
    // Contract checks are on by default in benches.
    expect(r.contractViolations).toEqual([]);
  });
});
