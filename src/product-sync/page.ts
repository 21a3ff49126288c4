// Applies one distributor catalog page to Autotask: select, price, validate, then create, adopt or
// update only what changed. Exactly once: every product we create carries the distributor SKU in
// `sku`, and any SKU without a recorded link is first looked up in Autotask (by SKU and by the
// adoption key), so a retry after a crash finds what the crashed attempt created.
import type { SyncCounters } from '../../db/schema/catalog';
import type { AutotaskClient } from '../autotask/client';
import { AutotaskError } from '../autotask/errors';
import { f } from '../autotask/query';
import { chunks, mapWithConcurrency } from '../concurrency';
import type { ProductSyncSettings } from '../connector/settings';
import { withPriceAndAvailability, type DistributorAdapter, type Product, type ProductPage } from '../distributors/adapter';
import { changedFields, desiredHash, mapProduct, selected, type DesiredProduct } from './mapping';
import { emptySamples, SAMPLE_LIMIT, ZERO_COUNTERS, type PlanSamples } from './counters';
import type { LinkScope, LinkWrite, ProductSyncStore, QuarantineEntry } from './store';

/** Parallel writes per page; the Autotask limiter keeps each endpoint at its 3-thread limit. */
const WRITE_CONCURRENCY = 6;

export interface PageContext {
  /** The connector and distributor integration the links belong to. */
  scope: LinkScope;
  runId: string;
  dryRun: boolean;
  settings: ProductSyncSettings;
  vendorCompanyId: number;
  billingCodeId: number;
  autotask: AutotaskClient;
  distributor: DistributorAdapter;
  store: ProductSyncStore;
}

export interface PageOutcome {
  counters: SyncCounters;
  samples: PlanSamples;
  /** SKUs taken toward the run's limit. */
  taken: number;
}

type Autotask = Record<string, any>;

interface Work {
  sku: string;
  desired: DesiredProduct;
  hash: string;
  mpn: string | null;
}

/** Marks a SKU as handled by this run on this page: a retry of the same page is not a duplicate. */
export const processedMarker = (runId: string, page: ProductPage) => `${runId}@${page.cursor ?? ''}`;

export async function processPage(ctx: PageContext, page: ProductPage, remaining: number): Promise<PageOutcome> {
  const marker = processedMarker(ctx.runId, page);
  const counters: SyncCounters = { ...ZERO_COUNTERS };
  const samples = emptySamples();
  const quarantined: QuarantineEntry[] = [];
  const quarantineOne = (sku: string, reason: string, record: unknown) => {
    counters.quarantined++;
    quarantined.push({ recordKey: sku, reason, record });
    if (samples.quarantined.length < SAMPLE_LIMIT) samples.quarantined.push({ sku, reason });
  };

  for (const bad of page.invalid) quarantineOne('(unreadable)', bad.reason, bad.raw);

  // Every linked SKU the distributor still lists counts as seen, selected or not.
  if (!ctx.dryRun) await ctx.store.markSeen(ctx.scope, ctx.runId, page.items.map((p) => p.distributorSku).filter(Boolean));

  const chosen: Product[] = [];
  for (const p of page.items) {
    if (!selected(p, ctx.settings.selection) || chosen.length >= remaining) counters.skipped++;
    else chosen.push(p);
  }
  counters.processed = chosen.length;

  const pna = new Map((await ctx.distributor.priceAndAvailability(chosen.map((p) => p.distributorSku))).map((x) => [x.distributorSku, x]));
  const links = await ctx.store.links(ctx.scope, chosen.map((p) => p.distributorSku));

  // Validate and map; duplicates (same SKU twice, one MPN under two SKUs) are quarantined.
  const work: Work[] = [];
  const seenSku = new Set<string>();
  const seenMpn = new Map<string, string>();
  const linkedMpns = await ctx.store.skusByMpn(ctx.scope, [...new Set(chosen.map((p) => p.mpn).filter((m): m is string => !!m))]);
  for (const raw of chosen) {
    const p = withPriceAndAvailability(raw, pna.get(raw.distributorSku));
    const link = links.get(p.distributorSku);
    const handledOnAnotherPage = link?.processedRunId?.startsWith(`${ctx.runId}@`) && link.processedRunId !== marker;
    if (seenSku.has(p.distributorSku) || handledOnAnotherPage) {
      quarantineOne(p.distributorSku, 'duplicate SKU in the distributor catalog', p.raw);
      continue;
    }
    seenSku.add(p.distributorSku);
    const mapped = mapProduct(p, ctx.settings);
    if (!mapped.ok) {
      quarantineOne(p.distributorSku, mapped.reason, p.raw);
      continue;
    }
    if (p.mpn) {
      const other = seenMpn.get(p.mpn) ?? linkedMpns.get(p.mpn);
      if (other && other !== p.distributorSku) {
        quarantineOne(p.distributorSku, `vendor part number ${p.mpn} is also listed as SKU ${other}`, p.raw);
        continue;
      }
      seenMpn.set(p.mpn, p.distributorSku);
    }
    work.push({ sku: p.distributorSku, desired: mapped.desired, hash: desiredHash(mapped.desired), mpn: p.mpn });
  }

  // SKUs without a link: adopt an existing product, recover one a crashed attempt created, or create.
  // Discontinued SKUs are never created, so they need no lookup.
  const unlinked = work.filter((w) => !links.get(w.sku)?.autotaskProductId && w.desired.active);
  const found = await lookupExisting(ctx, unlinked);

  const writes: LinkWrite[] = [];
  const unchanged: string[] = [];
  const discontinuedLinked: string[] = [];
  // Writes to make; each counts only once Autotask accepted it.
  const ops: Array<{ sku: string; kind: 'created' | 'updated' | 'adopted'; run: () => Promise<void> }> = [];
  const plan = (kind: 'created' | 'updated' | 'adopted') => {
    if (ctx.dryRun) counters[kind]++;
  };

  for (const w of work) {
    const link = links.get(w.sku);
    const previous = (link?.written ?? undefined) as { product?: Autotask; vendor?: Autotask; udfs?: Autotask; active?: boolean } | undefined;
    if (link?.autotaskProductId) {
      const productId = link.autotaskProductId;
      // Deactivation waits for the end of the run (and its guard); a discontinued SKU is only marked here.
      const wantActive = w.desired.active || !link.isActive ? w.desired.active : true;
      if (!w.desired.active && link.isActive) discontinuedLinked.push(w.sku);
      if (link.hash === w.hash && link.isActive === w.desired.active) {
        counters.unchanged++;
        unchanged.push(w.sku);
        continue;
      }
      const productChanges = changedFields(previous?.product, w.desired.product);
      const udfChanges = changedFields(previous?.udfs, w.desired.udfs);
      const activeChange = wantActive !== link.isActive;
      const vendorChanges = changedFields(previous?.vendor, w.desired.vendor);
      if (!Object.keys(productChanges).length && !Object.keys(udfChanges).length && !activeChange && !Object.keys(vendorChanges).length) {
        counters.unchanged++;
        if (!ctx.dryRun) writes.push(linkWrite(w, productId, link.productVendorId, link.origin as LinkWrite['origin'], link.isActive, link.discontinuedRunId));
        continue;
      }
      plan('updated');
      if (samples.updates.length < SAMPLE_LIMIT) samples.updates.push({ sku: w.sku, productId, changes: diffSample(previous, w.desired, productChanges, udfChanges, vendorChanges, activeChange ? [link.isActive, wantActive] : undefined) });
      if (ctx.dryRun) continue;
      ops.push({ sku: w.sku, kind: 'updated', run: async () => {
        if (Object.keys(productChanges).length || Object.keys(udfChanges).length || activeChange) {
          await ctx.autotask.products.update({ id: productId, ...productChanges, ...(activeChange ? { isActive: wantActive } : {}), ...udfPayload(udfChanges) });
        }
        let vendorId = link.productVendorId;
        if (Object.keys(vendorChanges).length || !vendorId) vendorId = await upsertVendor(ctx, productId, vendorId, w.desired, vendorChanges);
        writes.push(linkWrite(w, productId, vendorId, link.origin as LinkWrite['origin'], wantActive, link.discontinuedRunId));
      } });
      continue;
    }

    const existing = found.get(w.sku);
    if (existing) {
      plan('adopted');
      const product = existing.product;
      if (samples.adoptions.length < SAMPLE_LIMIT) samples.adoptions.push({ sku: w.sku, productId: product.id, matchedBy: existing.matchedBy });
      if (ctx.dryRun) continue;
      ops.push({ sku: w.sku, kind: 'adopted', run: async () => {
        const current = { product: pick(product, Object.keys(w.desired.product)), udfs: udfValues(product) };
        const productChanges = changedFields(current.product, w.desired.product);
        const udfChanges = changedFields(current.udfs, w.desired.udfs);
        const activeChange = product.isActive !== w.desired.active && w.desired.active;
        if (Object.keys(productChanges).length || Object.keys(udfChanges).length || activeChange) {
          await ctx.autotask.products.update({ id: product.id, ...productChanges, ...(activeChange ? { isActive: true } : {}), ...udfPayload(udfChanges) });
        }
        const vendorId = await upsertVendor(ctx, product.id, null, w.desired, w.desired.vendor);
        if (!w.desired.active && product.isActive !== false) discontinuedLinked.push(w.sku);
        writes.push(linkWrite(w, product.id, vendorId, existing.matchedBy === 'sku' ? 'recovered' : 'adopted', product.isActive !== false || w.desired.active, null));
      } });
      continue;
    }

    if (!w.desired.active) {
      counters.skipped++; // never create a product the distributor has discontinued
      continue;
    }
    plan('created');
    if (samples.creates.length < SAMPLE_LIMIT) samples.creates.push({ sku: w.sku, name: w.desired.product.name, unitCost: w.desired.product.unitCost, unitPrice: w.desired.product.unitPrice });
    if (ctx.dryRun) continue;
    ops.push({ sku: w.sku, kind: 'created', run: async () => {
      const productId = await ctx.autotask.products.create({
        ...w.desired.product,
        isActive: true,
        isSerialized: false,
        productBillingCodeID: ctx.billingCodeId,
        defaultVendorID: ctx.vendorCompanyId,
        ...udfPayload(w.desired.udfs),
      });
      const vendorId = await ctx.autotask.productVendors.create(productId, { vendorID: ctx.vendorCompanyId, ...w.desired.vendor });
      writes.push(linkWrite(w, productId, vendorId, 'created', true, null));
    } });
  }

  // Writes run in parallel; a record Autotask rejects is quarantined and the page goes on.
  await mapWithConcurrency(ops, WRITE_CONCURRENCY, async (op) => {
    try {
      await op.run();
      counters[op.kind]++;
    } catch (err) {
      if (err instanceof AutotaskError && err.kind === 'validation') {
        quarantineOne(op.sku, `Autotask rejected the write: ${err.message}`, null);
        return;
      }
      throw err;
    }
  });

  if (!ctx.dryRun) {
    await ctx.store.upsertLinks(ctx.scope, ctx.runId, marker, writes);
    await ctx.store.markProcessed(ctx.scope, marker, unchanged);
    await ctx.store.markDiscontinued(ctx.scope, ctx.runId, discontinuedLinked);
    await ctx.store.quarantine(ctx.scope, ctx.runId, quarantined);
  }
  return { counters, samples, taken: chosen.length };
}

function linkWrite(w: Work, productId: number, vendorId: number | null, origin: LinkWrite['origin'], isActive: boolean, discontinuedRunId: string | null): LinkWrite {
  return {
    distributorSku: w.sku,
    autotaskProductId: productId,
    productVendorId: vendorId,
    hash: w.hash,
    written: { product: w.desired.product, vendor: w.desired.vendor, udfs: w.desired.udfs, active: isActive },
    isActive,
    origin,
    mpn: w.mpn,
    discontinuedRunId,
  };
}

function udfPayload(udfs: Record<string, string | null | undefined>): { userDefinedFields?: Array<{ name: string; value: string | null }> } {
  const entries = Object.entries(udfs);
  return entries.length ? { userDefinedFields: entries.map(([name, value]) => ({ name, value: value ?? null })) } : {};
}

function udfValues(product: Autotask): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const u of (product.userDefinedFields ?? []) as Array<{ name: string; value: unknown }>) out[u.name] = u.value === null || u.value === undefined ? null : String(u.value);
  return out;
}

function pick(record: Autotask, keys: string[]): Autotask {
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

function diffSample(previous: { product?: Autotask; vendor?: Autotask; udfs?: Autotask } | undefined, next: DesiredProduct, product: Autotask, udfs: Autotask, vendor: Autotask, active?: [unknown, unknown]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(product)) out[k] = [previous?.product?.[k] ?? null, (next.product as Autotask)[k]];
  for (const k of Object.keys(udfs)) out[`udf:${k}`] = [previous?.udfs?.[k] ?? null, next.udfs[k]];
  for (const k of Object.keys(vendor)) out[`vendor.${k}`] = [previous?.vendor?.[k] ?? null, (next.vendor as Autotask)[k]];
  if (active) out.isActive = active;
  return out;
}

/** Finds existing Autotask products for unlinked SKUs: by `sku` first (ours), then by the adoption key. */
async function lookupExisting(ctx: PageContext, unlinked: Work[]): Promise<Map<string, { product: Autotask; matchedBy: string }>> {
  const out = new Map<string, { product: Autotask; matchedBy: string }>();
  if (!unlinked.length) return out;
  const claimed = new Set<number>();
  const bySku = new Map<string, Autotask>();
  for (const part of chunks(unlinked.map((w) => w.sku), 500)) {
    const page = await ctx.autotask.products.query(f.in('sku', part), { maxRecords: 500 });
    for (const p of page.items as Autotask[]) if (p.sku && !bySku.has(p.sku)) bySku.set(p.sku, p);
  }
  const key = ctx.settings.matchKey;
  const byKey = new Map<string, Autotask>();
  if (key !== 'sku') {
    const values = [...new Set(unlinked.map((w) => (w.desired.product as Autotask)[key] as string | null).filter((v): v is string => !!v))];
    for (const part of chunks(values, 500)) {
      const page = await ctx.autotask.products.query(f.in(key, part), { maxRecords: 500 });
      for (const p of page.items as Autotask[]) if (p[key] && !byKey.has(p[key])) byKey.set(p[key], p);
    }
  }
  // A product already linked to another SKU is never adopted a second time.
  const candidates = [...bySku.values(), ...byKey.values()].map((p) => p.id as number);
  const linkedElsewhere = await ctx.store.linksForProducts(ctx.scope, candidates);
  for (const w of unlinked) {
    const mine = bySku.get(w.sku);
    const keyValue = (w.desired.product as Autotask)[key] as string | null;
    const match = mine && !claimed.has(mine.id) ? { product: mine, matchedBy: 'sku' } : keyValue && byKey.get(keyValue) ? { product: byKey.get(keyValue)!, matchedBy: key } : undefined;
    if (!match || claimed.has(match.product.id)) continue;
    const other = linkedElsewhere.get(match.product.id);
    if (other && other !== w.sku) continue;
    claimed.add(match.product.id);
    out.set(w.sku, match);
  }
  return out;
}

/** Creates or updates the distributor's ProductVendors row of a product (looked up when unknown). */
async function upsertVendor(ctx: PageContext, productId: number, knownId: number | null, desired: DesiredProduct, changes: Autotask): Promise<number> {
  let vendorId = knownId;
  if (!vendorId) {
    const existing = await ctx.autotask.productVendors.query([f.eq('productID', productId), f.eq('vendorID', ctx.vendorCompanyId)], { maxRecords: 1 });
    vendorId = (existing.items[0] as Autotask | undefined)?.id ?? null;
    if (!vendorId) return ctx.autotask.productVendors.create(productId, { vendorID: ctx.vendorCompanyId, ...desired.vendor });
    changes = desired.vendor;
  }
  if (Object.keys(changes).length) await ctx.autotask.productVendors.update(productId, { id: vendorId, ...changes });
  return vendorId;
}
