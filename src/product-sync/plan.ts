// Product Sync's decisions for one catalog page, pure: which records to create, adopt, update, leave
// alone or quarantine (and why), with the fields each write changes. The page, its prices, the links
// and the Autotask lookups come in; a plan comes out. A dry run reports it; apply.ts executes it.
// A record an earlier attempt of this page finished (its link carries this page's marker) is settled
// as what that attempt did, so a retried page redoes only the rest.
import type { ProductLinkRow, SyncCounters } from '../../db/schema/catalog';
import type { ProductSyncSettings } from '../connector/settings';
import { withPriceAndAvailability, type PriceAvailability, type Product, type ProductPage } from '../distributors/adapter';
import { emptySamples, SAMPLE_LIMIT, ZERO_COUNTERS, type PlanSamples } from './counters';
import { stockQuantity, type StockLevel } from './inventory';
import { changedFields, desiredHash, mapProduct, selected, type DesiredProduct } from './mapping';
import type { LinkWrite, QuarantineEntry } from './store';

export type AutotaskRecord = Record<string, any>;

export const DUPLICATE_SKU = 'duplicate SKU in the distributor catalog';
export const mpnListedTwice = (mpn: string, otherSku: string) => `vendor part number ${mpn} is also listed as SKU ${otherSku}`;

/** Marks a SKU as handled by this run on this page: a retry of the same page is not a duplicate. */
export const processedMarker = (runId: string, page: ProductPage) => `${runId}@${page.cursor ?? ''}`;

/** The link a write records once Autotask accepted it (ids filled in by apply). */
export type PendingLink = Omit<LinkWrite, 'autotaskProductId' | 'productVendorId'>;

interface WriteBase {
  sku: string;
  link: PendingLink;
  /** The distributor's ProductVendors values (the row is created, with the vendor company, when missing). */
  vendor: AutotaskRecord;
}

/** One record's Autotask writes. `productPatch` is the whole PATCH body, or null when the product is right. */
export type PlannedWrite =
  | (WriteBase & { action: 'create'; product: AutotaskRecord })
  | (WriteBase & { action: 'adopt'; productId: number; matchedBy: string; productPatch: AutotaskRecord | null })
  | (WriteBase & { action: 'update'; productId: number; productPatch: AutotaskRecord | null; vendorId: number | null; vendorChanges: AutotaskRecord });

export const COUNTER_OF = { create: 'created', adopt: 'adopted', update: 'updated' } as const;

/** What the plan needs besides the page: all read before planning (see lookup.ts). */
export interface PageFacts {
  runId: string;
  settings: ProductSyncSettings;
  vendorCompanyId: number;
  billingCodeId: number;
  /** SKUs still to take toward the run's selection limit. */
  remaining: number;
  links: Map<string, ProductLinkRow>;
  /** Price and availability of the records not finished yet. */
  pna: Map<string, PriceAvailability>;
  /** Linked SKU by MPN, for the MPNs on the page. */
  linkedMpns: Map<string, string>;
  /** Records an earlier attempt of this page quarantined after Autotask rejected them (from its heartbeat). */
  rejected?: Record<string, string>;
}

/** Existing Autotask products for unlinked SKUs (see `lookupNeeds`). */
export interface ExistingProducts {
  bySku: Map<string, AutotaskRecord>;
  /** By the value of the adoption key (`settings.matchKey`). */
  byKey: Map<string, AutotaskRecord>;
  /** Products already linked, and to which SKU. */
  linkedTo: Map<number, string>;
}

export interface PagePlan {
  marker: string;
  /** Every SKU the page lists: a linked one counts as seen, selected or not. */
  seen: string[];
  /** SKUs taken toward the run's limit. */
  taken: number;
  /** Everything decided without an Autotask write: processed, skipped, unchanged, quarantined, finished earlier. */
  settled: SyncCounters;
  writes: PlannedWrite[];
  /** Links to rewrite without an Autotask write (new hash, same values). */
  relinks: LinkWrite[];
  /** SKUs with nothing to write. */
  unchanged: string[];
  quarantined: QuarantineEntry[];
  samples: PlanSamples;
  /** The distributor's quantity on hand by SKU (records finished earlier: as their link recorded it), for inventory.ts. */
  stock: Record<string, StockLevel>;
}

interface Target {
  sku: string;
  desired: DesiredProduct;
  hash: string;
  mpn: string | null;
  endUserRequired: boolean;
  stock: number | null;
}

/** Validated and mapped records of a page, before the Autotask lookups. */
export interface PreparedPage {
  plan: Omit<PagePlan, 'writes' | 'relinks' | 'unchanged'>;
  targets: Target[];
}

/** The selected products of a page, up to the run's limit; the rest is skipped. */
export function choosePage(page: ProductPage, settings: ProductSyncSettings, remaining: number): { chosen: Product[]; skipped: number } {
  const chosen: Product[] = [];
  let skipped = 0;
  for (const p of page.items) {
    if (!selected(p, settings.selection) || chosen.length >= remaining) skipped++;
    else chosen.push(p);
  }
  return { chosen, skipped };
}

/** The link's recorded outcome when an earlier attempt of this page finished the record. */
export function finishedHere(link: ProductLinkRow | undefined, marker: string): LinkWrite['processedAs'] | null {
  return link?.processedRunId === marker && link.processedAs ? (link.processedAs as LinkWrite['processedAs']) : null;
}

/** Validates and maps the chosen records; duplicates (same SKU twice, one MPN under two SKUs) are quarantined. */
export function preparePage(page: ProductPage, facts: PageFacts): PreparedPage {
  const marker = processedMarker(facts.runId, page);
  const settled: SyncCounters = { ...ZERO_COUNTERS };
  const samples = emptySamples();
  const quarantined: QuarantineEntry[] = [];
  const stock: Record<string, StockLevel> = {};
  const quarantineOne = (sku: string, reason: string, record: unknown) => {
    settled.quarantined++;
    quarantined.push({ recordKey: sku, reason, record });
    if (samples.quarantined.length < SAMPLE_LIMIT) samples.quarantined.push({ sku, reason });
  };
  for (const bad of page.invalid) quarantineOne('(unreadable)', bad.reason, bad.raw);

  const { chosen, skipped } = choosePage(page, facts.settings, facts.remaining);
  settled.skipped = skipped;
  settled.processed = chosen.length;

  const targets: Target[] = [];
  const seenSku = new Set<string>();
  const seenMpn = new Map<string, string>();
  for (const raw of chosen) {
    const sku = raw.distributorSku;
    const link = facts.links.get(sku);
    const handledOnAnotherPage = link?.processedRunId?.startsWith(`${facts.runId}@`) && link.processedRunId !== marker;
    if (seenSku.has(sku) || handledOnAnotherPage) {
      quarantineOne(sku, DUPLICATE_SKU, raw.raw);
      continue;
    }
    seenSku.add(sku);
    const finished = finishedHere(link, marker);
    if (finished) {
      settled[finished]++;
      if (raw.mpn) seenMpn.set(raw.mpn, sku);
      const written = link?.written as { stock?: unknown; product?: { unitCost?: unknown } } | null | undefined;
      if (typeof written?.stock === 'number') stock[sku] = { quantity: written.stock, unitCost: typeof written.product?.unitCost === 'number' ? written.product.unitCost : null };
      continue;
    }
    const rejected = facts.rejected?.[sku];
    if (rejected) {
      quarantineOne(sku, rejected, null);
      continue;
    }
    const p = withPriceAndAvailability(raw, facts.pna.get(sku));
    const mapped = mapProduct(p, facts.settings);
    if (!mapped.ok) {
      quarantineOne(sku, mapped.reason, p.raw);
      continue;
    }
    if (p.mpn) {
      const other = seenMpn.get(p.mpn) ?? facts.linkedMpns.get(p.mpn);
      if (other && other !== sku) {
        quarantineOne(sku, mpnListedTwice(p.mpn, other), p.raw);
        continue;
      }
      seenMpn.set(p.mpn, sku);
    }
    const quantity = stockQuantity(p);
    if (quantity !== null) stock[sku] = { quantity, unitCost: mapped.desired.product.unitCost };
    targets.push({ sku, desired: mapped.desired, hash: desiredHash(mapped.desired), mpn: p.mpn, endUserRequired: p.endUserRequired === true, stock: quantity });
  }
  const seen = page.items.map((p) => p.distributorSku).filter(Boolean);
  return { plan: { marker, seen, taken: chosen.length, settled, quarantined, samples, stock }, targets };
}

/**
 * What to look up in Autotask: SKUs without a link (to adopt an existing product, or recover one a
 * crashed attempt created), by SKU and by the adoption key. Discontinued SKUs are never created, so
 * they need no lookup.
 */
export function lookupNeeds(prepared: PreparedPage, facts: PageFacts): { skus: string[]; keyValues: string[] } {
  const unlinked = prepared.targets.filter((t) => !facts.links.get(t.sku)?.autotaskProductId && t.desired.active);
  const key = facts.settings.matchKey;
  const keyValues = key === 'sku' ? [] : [...new Set(unlinked.map((t) => keyOf(t, key)).filter((v): v is string => !!v))];
  return { skus: unlinked.map((t) => t.sku), keyValues };
}

/** Decides each prepared record's writes against its link and the Autotask lookups. */
export function planPage(prepared: PreparedPage, facts: PageFacts, existing: ExistingProducts): PagePlan {
  const { marker } = prepared.plan;
  const settled = { ...prepared.plan.settled };
  const samples = structuredClone(prepared.plan.samples);
  const writes: PlannedWrite[] = [];
  const relinks: LinkWrite[] = [];
  const unchanged: string[] = [];
  const found = matchExisting(prepared.targets.filter((t) => !facts.links.get(t.sku)?.autotaskProductId && t.desired.active), facts.settings.matchKey, existing);
  const pending = (t: Target, origin: LinkWrite['origin'], isActive: boolean, discontinuedRunId: string | null, processedAs: LinkWrite['processedAs'], vendor = t.desired.vendor): PendingLink => ({
    distributorSku: t.sku,
    hash: t.hash,
    written: { product: t.desired.product, vendor, udfs: t.desired.udfs, active: isActive, stock: t.stock },
    isActive,
    origin,
    mpn: t.mpn,
    endUserRequired: t.endUserRequired,
    discontinuedRunId,
    processedAs,
  });

  for (const t of prepared.targets) {
    const link = facts.links.get(t.sku);
    if (link?.autotaskProductId) {
      const productId = link.autotaskProductId;
      const previous = (link.written ?? undefined) as { product?: AutotaskRecord; vendor?: AutotaskRecord; udfs?: AutotaskRecord } | undefined;
      // Deactivation waits for the end of the run (and its guard); a discontinued SKU is only marked here.
      const discontinued = !t.desired.active && link.isActive;
      const wantActive = t.desired.active || !link.isActive ? t.desired.active : true;
      const discontinuedRunId = discontinued ? facts.runId : link.discontinuedRunId;
      const origin = link.origin as LinkWrite['origin'];
      // A link whose end-user flag is stale is rewritten below (counted unchanged: nothing goes to Autotask).
      if (link.hash === t.hash && link.isActive === t.desired.active && link.endUserRequired === t.endUserRequired) {
        settled.unchanged++;
        unchanged.push(t.sku);
        continue;
      }
      const productChanges = changedFields(previous?.product, t.desired.product);
      const udfChanges = changedFields(previous?.udfs, t.desired.udfs);
      // A vendor row added beside the customer's own default vendor stays non-default (see adopt below).
      const vendor = previous?.vendor?.isDefault === false && !facts.settings.takeDefaultVendor ? { ...t.desired.vendor, isDefault: false } : t.desired.vendor;
      const vendorChanges = changedFields(previous?.vendor, vendor);
      const activeChange = wantActive !== link.isActive;
      const productPatch = patch(productId, productChanges, udfChanges, activeChange ? wantActive : undefined);
      if (!productPatch && !Object.keys(vendorChanges).length) {
        settled.unchanged++;
        relinks.push({ ...pending(t, origin, link.isActive, discontinuedRunId, 'unchanged', vendor), autotaskProductId: productId, productVendorId: link.productVendorId });
        continue;
      }
      if (samples.updates.length < SAMPLE_LIMIT) {
        samples.updates.push({ sku: t.sku, productId, changes: diffSample(previous, t.desired, productChanges, udfChanges, vendorChanges, activeChange ? [link.isActive, wantActive] : undefined) });
      }
      writes.push({ action: 'update', sku: t.sku, productId, productPatch, vendorId: link.productVendorId, vendorChanges, vendor, link: pending(t, origin, wantActive, discontinuedRunId, 'updated', vendor) });
      continue;
    }

    const match = found.get(t.sku);
    if (match) {
      // Only active SKUs are looked up, so an adopted product is (re)activated.
      const product = match.product;
      const current = { product: pick(product, Object.keys(t.desired.product)), udfs: udfValues(product) };
      const productPatch = patch(product.id, changedFields(current.product, t.desired.product), changedFields(current.udfs, t.desired.udfs), product.isActive !== true ? true : undefined);
      if (samples.adoptions.length < SAMPLE_LIMIT) samples.adoptions.push({ sku: t.sku, productId: product.id, matchedBy: match.matchedBy });
      const origin = match.matchedBy === 'sku' ? 'recovered' : 'adopted';
      // The customer's product may already have a default vendor: Autotask keeps one per product, and
      // taking it over would change what their purchasing uses. Ours is added beside it unless the setting says so.
      const othersDefault = typeof product.defaultVendorID === 'number' && product.defaultVendorID !== facts.vendorCompanyId;
      const vendor = othersDefault && !facts.settings.takeDefaultVendor ? { ...t.desired.vendor, isDefault: false } : t.desired.vendor;
      writes.push({ action: 'adopt', sku: t.sku, productId: product.id, matchedBy: match.matchedBy, productPatch, vendor, link: pending(t, origin, true, null, 'adopted', vendor) });
      continue;
    }

    if (!t.desired.active) {
      settled.skipped++; // never create a product the distributor has discontinued
      continue;
    }
    if (samples.creates.length < SAMPLE_LIMIT) samples.creates.push({ sku: t.sku, name: t.desired.product.name, unitCost: t.desired.product.unitCost, unitPrice: t.desired.product.unitPrice });
    writes.push({
      action: 'create',
      sku: t.sku,
      product: { ...t.desired.product, isActive: true, isSerialized: false, productBillingCodeID: facts.billingCodeId, defaultVendorID: facts.vendorCompanyId, ...udfPayload(t.desired.udfs) },
      vendor: t.desired.vendor,
      link: pending(t, 'created', true, null, 'created'),
    });
  }
  return { ...prepared.plan, settled, samples, writes, relinks, unchanged };
}

/** The counters a plan reports before anything is written (a dry run's result). */
export function plannedCounters(plan: PagePlan): SyncCounters {
  const counters = { ...plan.settled };
  for (const w of plan.writes) counters[COUNTER_OF[w.action]]++;
  return counters;
}

/** Pairs unlinked SKUs with existing products: ours by `sku` first, then by the adoption key; never one product twice. */
function matchExisting(unlinked: Target[], key: ProductSyncSettings['matchKey'], existing: ExistingProducts): Map<string, { product: AutotaskRecord; matchedBy: string }> {
  const out = new Map<string, { product: AutotaskRecord; matchedBy: string }>();
  const claimed = new Set<number>();
  for (const t of unlinked) {
    const mine = existing.bySku.get(t.sku);
    const keyValue = keyOf(t, key);
    const byKey = keyValue ? existing.byKey.get(keyValue) : undefined;
    const match = mine && !claimed.has(mine.id) ? { product: mine, matchedBy: 'sku' } : byKey ? { product: byKey, matchedBy: key } : undefined;
    if (!match || claimed.has(match.product.id)) continue;
    // A product already linked to another SKU is never adopted a second time.
    const other = existing.linkedTo.get(match.product.id);
    if (other && other !== t.sku) continue;
    claimed.add(match.product.id);
    out.set(t.sku, match);
  }
  return out;
}

const keyOf = (t: Target, key: ProductSyncSettings['matchKey']) => (t.desired.product as AutotaskRecord)[key] as string | null;

function patch(id: number, product: AutotaskRecord, udfs: Record<string, string | null | undefined>, isActive: boolean | undefined): AutotaskRecord | null {
  if (!Object.keys(product).length && !Object.keys(udfs).length && isActive === undefined) return null;
  return { id, ...product, ...(isActive !== undefined ? { isActive } : {}), ...udfPayload(udfs) };
}

function udfPayload(udfs: Record<string, string | null | undefined>): { userDefinedFields?: Array<{ name: string; value: string | null }> } {
  const entries = Object.entries(udfs);
  return entries.length ? { userDefinedFields: entries.map(([name, value]) => ({ name, value: value ?? null })) } : {};
}

function udfValues(product: AutotaskRecord): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const u of (product.userDefinedFields ?? []) as Array<{ name: string; value: unknown }>) out[u.name] = u.value === null || u.value === undefined ? null : String(u.value);
  return out;
}

function pick(record: AutotaskRecord, keys: string[]): AutotaskRecord {
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

function diffSample(previous: { product?: AutotaskRecord; vendor?: AutotaskRecord; udfs?: AutotaskRecord } | undefined, next: DesiredProduct, product: AutotaskRecord, udfs: AutotaskRecord, vendor: AutotaskRecord, active?: [unknown, unknown]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(product)) out[k] = [previous?.product?.[k] ?? null, (next.product as AutotaskRecord)[k]];
  for (const k of Object.keys(udfs)) out[`udf:${k}`] = [previous?.udfs?.[k] ?? null, next.udfs[k]];
  for (const k of Object.keys(vendor)) out[`vendor.${k}`] = [previous?.vendor?.[k] ?? null, (next.vendor as AutotaskRecord)[k]];
  if (active) out.isActive = active;
  return out;
}
