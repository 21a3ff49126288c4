// What Product Sync writes for one distributor product, where (Product field, ProductVendor field
// or UDF), and the hash that says whether anything changed. Pure: no I/O.
import { createHash } from 'node:crypto';
import type { Product } from '../distributors/adapter';
import type { ProductSyncSettings } from '../connector/settings';

/** Autotask field lengths we must respect (Products entity). */
const NAME_MAX = 100;
const DESCRIPTION_MAX = 2000;
const SKU_MAX = 50;

export interface DesiredProduct {
  /** Autotask Product fields (isActive handled separately: deactivation is deferred to the run's end). */
  product: {
    name: string;
    description: string;
    sku: string;
    manufacturerName: string | null;
    manufacturerProductName: string | null;
    vendorProductNumber: string | null;
    unitCost: number;
    unitPrice: number;
    msrp: number | null;
    productCategory: number | null;
  };
  /** ProductVendors: the distributor as vendor company. */
  vendor: { vendorCost: number; vendorPartNumber: string; isDefault: boolean; isActive: boolean };
  /** UDFs by name (values as Autotask stores them: strings). */
  udfs: Record<string, string | null>;
  /** True when the distributor lists the SKU as active (false → deactivate at the end of the run). */
  active: boolean;
}

export type MapResult = { ok: true; desired: DesiredProduct } | { ok: false; reason: string };

const round2 = (n: number) => Math.round(n * 100) / 100;

export function unitPrice(cost: number, msrp: number | null | undefined, pricing: ProductSyncSettings['pricing']): number {
  if (pricing.rule === 'msrp') return msrp && msrp > 0 ? round2(msrp) : round2(cost * (1 + pricing.fallbackMarkupPercent / 100));
  return round2(cost * (1 + pricing.markupPercent / 100));
}

function availabilityText(p: Product): string | null {
  const a = p.availability;
  if (!a) return null;
  if (a.total > 0) return `${a.total} in stock`;
  if (a.backorderQuantity && a.backorderQuantity > 0) return `backorder ${a.backorderQuantity}${a.backorderEta ? ` (ETA ${a.backorderEta})` : ''}`;
  return 'out of stock';
}

/** Maps and validates one product; a problem is a quarantine reason, never a throw. */
export function mapProduct(p: Product, settings: ProductSyncSettings): MapResult {
  if (p.issues.length) return { ok: false, reason: p.issues.join('; ') };
  const problems: string[] = [];
  const description = p.description?.trim() ?? '';
  if (!description) problems.push('missing description');
  if (description.length > DESCRIPTION_MAX) problems.push(`description longer than ${DESCRIPTION_MAX} characters`);
  if (!p.distributorSku || p.distributorSku.length > SKU_MAX) problems.push(`SKU missing or longer than ${SKU_MAX} characters`);
  const cost = p.cost;
  if (cost === null || cost === undefined || !Number.isFinite(cost) || cost <= 0) problems.push(`unusable cost ${cost}`);
  if (p.msrp !== null && p.msrp !== undefined && (!Number.isFinite(p.msrp) || p.msrp < 0)) problems.push(`unusable MSRP ${p.msrp}`);
  if (problems.length) return { ok: false, reason: problems.join('; ') };
  const c = cost as number;
  const promo = p.promo;
  const desired: DesiredProduct = {
    product: {
      name: description.length > NAME_MAX ? `${description.slice(0, NAME_MAX - 1)}…` : description,
      description,
      sku: p.distributorSku,
      manufacturerName: p.vendor?.slice(0, 100) ?? null,
      manufacturerProductName: p.mpn?.slice(0, 100) ?? null,
      vendorProductNumber: p.mpn?.slice(0, 50) ?? null,
      unitCost: round2(c),
      unitPrice: unitPrice(c, p.msrp, settings.pricing),
      msrp: p.msrp === null || p.msrp === undefined ? null : round2(p.msrp),
      productCategory: p.category ? settings.categoryMap[p.category] ?? null : null,
    },
    vendor: { vendorCost: round2(c), vendorPartNumber: p.distributorSku, isDefault: true, isActive: true },
    udfs: {
      [settings.udfs.availability]: availabilityText(p),
      [settings.udfs.promoPrice]: promo?.price != null ? String(round2(promo.price)) : null,
      [settings.udfs.promoEndDate]: promo?.to ?? null,
      [settings.udfs.distributorSku]: p.distributorSku,
    },
    active: p.status === 'active',
  };
  return { ok: true, desired };
}

/** Stable hash of everything we write (key order independent). */
export function desiredHash(d: DesiredProduct): string {
  return createHash('sha256').update(stableJson({ product: d.product, vendor: d.vendor, udfs: d.udfs, active: d.active })).digest('base64url').slice(0, 22);
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Fields of `next` whose values differ from `previous` (what a PATCH must carry). */
export function changedFields<T extends Record<string, unknown>>(previous: Partial<T> | undefined, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(next)) {
    const before = previous?.[k as keyof T];
    if (!sameValue(before, v)) out[k as keyof T] = v as T[keyof T];
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined || a === '') && (b === null || b === undefined || b === '')) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return a === b;
}

/** The selection in the connector's settings: vendors, categories, keywords, explicit SKUs (any match). */
export function selected(p: Product, selection: ProductSyncSettings['selection']): boolean {
  const { vendors, categories, keywords, skus } = selection;
  if (!vendors.length && !categories.length && !keywords.length && !skus.length) return true;
  const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
  if (skus.includes(p.distributorSku)) return true;
  if (vendors.some((v) => lower(p.vendor) === v.toLowerCase())) return true;
  if (categories.some((c) => lower(p.category) === c.toLowerCase() || lower(p.subcategory) === c.toLowerCase())) return true;
  const text = `${lower(p.description)} ${lower(p.mpn)}`;
  return keywords.some((k) => text.includes(k.toLowerCase()));
}
