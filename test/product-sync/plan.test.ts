// The page plan alone (pure): one page, its links and Autotask lookups in; the planned create /
// adopt / update (with only the changed fields) / unchanged / skip / quarantine (with reason) out.
import type { ProductLinkRow } from '../../db/schema/catalog';
import { productSyncSettingsSchema } from '../../src/connector/settings';
import type { PriceAvailability, Product, ProductPage } from '../../src/distributors/adapter';
import { desiredHash, mapProduct } from '../../src/product-sync/mapping';
import { lookupNeeds, planPage, plannedCounters, preparePage, processedMarker, type ExistingProducts, type PageFacts } from '../../src/product-sync/plan';

const RUN = 'run-1';
const settings = productSyncSettingsSchema.parse({ selection: { vendors: ['Acme'] }, pricing: { rule: 'markup', markupPercent: 10 } });
const page = (items: Product[]): ProductPage => ({ items, cursor: 'c1', nextCursor: 'c2', invalid: [{ reason: 'no SKU', raw: { x: 1 } }] });

const product = (sku: string, extra: Partial<Product> = {}): Product => ({
  distributorSku: sku, mpn: `MPN-${sku}`, upc: null, vendor: 'Acme', description: `Product ${sku}`, category: null, subcategory: null,
  kind: 'physical', status: 'active', replacementSku: null, issues: [], raw: { sku }, ...extra,
});
const pna = (sku: string, cost = 100, status: PriceAvailability['status'] = 'active'): PriceAvailability => ({
  distributorSku: sku, status, vendorStatus: null, vendorMessage: null, cost, msrp: null, map: null, currency: 'USD', promo: null, availability: null, acceptsBackorder: null, issues: [], raw: {},
});

/** The link a previous run left for `p` priced at `cost`. */
function link(p: Product, cost: number, extra: Partial<ProductLinkRow> = {}): ProductLinkRow {
  const mapped = mapProduct({ ...p, cost, msrp: null }, settings);
  if (!mapped.ok) throw new Error(mapped.reason);
  const d = mapped.desired;
  return {
    connectorId: 'c', integrationId: 'ingram', distributorSku: p.distributorSku, autotaskProductId: 500 + Number(p.distributorSku.slice(1)), productVendorId: 900,
    hash: desiredHash(d), written: { product: d.product, vendor: d.vendor, udfs: d.udfs, active: true }, isActive: true, endUserRequired: false, origin: 'created',
    mpn: p.mpn, lastSeenRunId: 'run-0', processedRunId: 'run-0@c1', processedAs: 'created', discontinuedRunId: null, updatedAt: new Date(0), ...extra,
  } as ProductLinkRow;
}

describe('planPage', () => {
  const items = {
    create: product('S1'),
    update: product('S2'),
    unchanged: product('S3'),
    adopt: product('S4'),
    invalid: product('S5', { description: '' }),
    unselected: product('S6', { vendor: 'Other' }),
    finished: product('S7'),
    discontinued: product('S8'),
    rejected: product('S9'),
  };
  const p = page(Object.values(items));
  const facts: PageFacts = {
    runId: RUN, settings, vendorCompanyId: 77, billingCodeId: 88, remaining: 1000,
    links: new Map([
      ['S2', link(items.update, 90)],
      ['S3', link(items.unchanged, 100)],
      ['S7', link(items.finished, 100, { processedRunId: processedMarker(RUN, p), processedAs: 'created' })],
    ]),
    pna: new Map([...['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S9'].map((s) => [s, pna(s)] as const), ['S8', pna('S8', 100, 'discontinued')] as const]),
    linkedMpns: new Map(),
    rejected: { S9: 'Autotask rejected the write: name too long' },
  };
  const existing: ExistingProducts = {
    bySku: new Map(),
    byKey: new Map([['MPN-S4', { id: 4004, name: 'Hand-made', vendorProductNumber: 'MPN-S4', isActive: true, userDefinedFields: [] }]]),
    linkedTo: new Map(),
  };
  const prepared = preparePage(p, facts);
  const plan = planPage(prepared, facts, existing);
  const write = (sku: string) => plan.writes.find((w) => w.sku === sku);

  it('looks up only unlinked, active, valid SKUs, by SKU and by the adoption key', () => {
    expect(lookupNeeds(prepared, facts)).toEqual({ skus: ['S1', 'S4'], keyValues: ['MPN-S1', 'MPN-S4'] });
  });

  it('creates a new SKU with the billing code, the distributor as vendor and its SKU', () => {
    const w = write('S1')!;
    expect(w.action).toBe('create');
    expect(w).toMatchObject({ product: { sku: 'S1', name: 'Product S1', unitCost: 100, unitPrice: 110, isActive: true, productBillingCodeID: 88, defaultVendorID: 77 }, vendor: { vendorCost: 100, vendorPartNumber: 'S1' } });
    expect(w.link).toMatchObject({ distributorSku: 'S1', origin: 'created', processedAs: 'created' });
  });

  it('updates only the changed fields of a linked SKU', () => {
    const w = write('S2')!;
    expect(w.action).toBe('update');
    if (w.action !== 'update') return;
    expect(w.productPatch).toEqual({ id: 502, unitCost: 100, unitPrice: 110 });
    expect(w.vendorChanges).toEqual({ vendorCost: 100 });
    expect(w.vendorId).toBe(900);
    expect(plan.samples.updates[0]).toEqual({ sku: 'S2', productId: 502, changes: { unitCost: [90, 100], unitPrice: [99, 110], 'vendor.vendorCost': [90, 100] } });
  });

  it('adopts a hand-made product matched by the vendor part number, sending what differs', () => {
    const w = write('S4')!;
    expect(w).toMatchObject({ action: 'adopt', productId: 4004, matchedBy: 'vendorProductNumber', link: { origin: 'adopted', processedAs: 'adopted' } });
    if (w.action !== 'adopt') return;
    expect(w.productPatch).toMatchObject({ id: 4004, name: 'Product S4', sku: 'S4' });
    expect(w.productPatch).not.toHaveProperty('vendorProductNumber');
    expect(w.productPatch).not.toHaveProperty('isActive');
  });

  it("never takes over an adopted product's default vendor unless the setting says so, on adoption or later", () => {
    // S4's hand-made product has no default vendor: ours becomes it.
    expect(write('S4')).toMatchObject({ action: 'adopt', vendor: { isDefault: true } });
    const customersOwn: ExistingProducts = { ...existing, byKey: new Map([['MPN-S4', { id: 4004, name: 'Hand-made', vendorProductNumber: 'MPN-S4', isActive: true, defaultVendorID: 55, userDefinedFields: [] }]]) };
    const kept = planPage(prepared, facts, customersOwn).writes.find((w) => w.sku === 'S4')!;
    expect(kept).toMatchObject({ action: 'adopt', vendor: { vendorPartNumber: 'S4', isDefault: false }, link: { written: { vendor: { isDefault: false } } } });
    const takeOver = { ...facts, settings: { ...settings, takeDefaultVendor: true } };
    expect(planPage(preparePage(p, takeOver), takeOver, customersOwn).writes.find((w) => w.sku === 'S4')).toMatchObject({ vendor: { isDefault: true } });
    // A later price change updates the cost and leaves the row non-default.
    const adopted = link(items.update, 90);
    const later = { ...facts, links: new Map([...facts.links, ['S2', { ...adopted, origin: 'adopted', written: { ...(adopted.written as object), vendor: { ...(adopted.written as { vendor: object }).vendor, isDefault: false } } } as ProductLinkRow]]) };
    const update = planPage(preparePage(p, later), later, existing).writes.find((w) => w.sku === 'S2')!;
    expect(update).toMatchObject({ action: 'update', vendorChanges: { vendorCost: 100 }, vendor: { isDefault: false } });
    if (update.action === 'update') expect(update.vendorChanges).not.toHaveProperty('isDefault');
  });

  it('leaves unchanged, finished, unselected and discontinued records without a write; quarantines with reasons', () => {
    expect(plan.writes.map((w) => w.sku).sort()).toEqual(['S1', 'S2', 'S4']);
    expect(plan.unchanged).toEqual(['S3']);
    expect(plan.quarantined.map((q) => [q.recordKey, q.reason])).toEqual([
      ['(unreadable)', 'no SKU'],
      ['S5', 'missing description'],
      ['S9', 'Autotask rejected the write: name too long'],
    ]);
    // S7 was finished by an earlier attempt of this page: counted as what it did, not redone.
    expect(plan.settled).toEqual({ processed: 8, created: 1, updated: 0, unchanged: 1, adopted: 0, deactivated: 0, quarantined: 3, skipped: 2 });
    expect(plannedCounters(plan)).toEqual({ processed: 8, created: 2, updated: 1, unchanged: 1, adopted: 1, deactivated: 0, quarantined: 3, skipped: 2 });
    expect(plan.seen).toHaveLength(9);
  });

  it('is a function of its inputs', () => {
    expect(planPage(preparePage(p, facts), facts, existing)).toEqual(plan);
  });
});
