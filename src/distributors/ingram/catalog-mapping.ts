// Ingram catalog and price-and-availability records → normalised Product / PriceAvailability.
// Problems that should send a record to quarantine are listed in `issues`, never thrown.
import type { Availability, PriceAvailability, Product, Promo } from '../adapter';
import type { CatalogRecord, PnaRecord } from './schemas';

/** Text longer than this is flagged (Autotask product descriptions are bounded). */
const LONG_TEXT = 2000;
/** A unit cost at or above this is taken for a data error. */
const ABSURD_PRICE = 1_000_000;

export function toProduct(r: CatalogRecord): Product {
  const issues: string[] = [];
  const mpn = blank(r.vendorPartNumber);
  // `description` is the product's description; `extraDescription` (the extended one) only when it is empty.
  const description = blank(r.description) ?? blank(r.extraDescription);
  if (!mpn) issues.push('missing vendor part number');
  if (!blank(r.vendorName)) issues.push('missing vendor');
  if (!description) issues.push('missing description');
  else if (description.length > LONG_TEXT) issues.push(`description longer than ${LONG_TEXT} characters`);
  const upc = blank(r.upcCode);
  if (upc && !/^\d{12,14}$/.test(upc)) issues.push('malformed UPC');
  return {
    distributorSku: r.ingramPartNumber,
    mpn,
    upc,
    vendor: blank(r.vendorName),
    description,
    category: blank(r.category),
    subcategory: blank(r.subCategory),
    kind: /digital/i.test(r.type ?? '') ? 'cloud' : 'physical',
    endUserRequired: yes(r.endUserRequired),
    status: yes(r.discontinued) ? 'discontinued' : 'active',
    replacementSku: blank(r.replacementSku),
    issues,
    raw: r,
  };
}

export function toPriceAvailability(sku: string, r: PnaRecord): PriceAvailability {
  const statusText = `${r.productStatusMessage ?? ''} ${r.productStatus ?? ''}`;
  if (r.productStatusCode === 'E' && !r.pricing && !r.availability) return { ...notFound(sku), vendorStatus: r.productStatusCode, vendorMessage: r.productStatusMessage ?? null, raw: r };
  const issues: string[] = [];
  const cost = r.pricing?.customerPrice ?? null;
  if (cost === null) issues.push('no cost');
  else if (cost <= 0) issues.push(`non-positive cost ${cost}`);
  else if (cost >= ABSURD_PRICE) issues.push(`implausible cost ${cost}`);
  const msrp = r.pricing?.retailPrice ?? null;
  if (msrp !== null && msrp < 0) issues.push(`negative MSRP ${msrp}`);
  return {
    distributorSku: r.ingramPartNumber ?? sku,
    status: /discontinu/i.test(statusText) ? 'discontinued' : 'active',
    cost,
    msrp,
    map: r.pricing?.mapPrice ?? null,
    currency: r.pricing?.currencyCode ?? null,
    promo: toPromo(r, cost),
    availability: toAvailability(r),
    acceptsBackorder: r.acceptBackOrder ?? null,
    endUserRequired: r.endUserInfoRequired ?? null,
    vendorStatus: r.productStatusCode ?? null,
    vendorMessage: r.productStatusMessage ?? null,
    issues,
    raw: r,
  };
}

function toPromo(r: PnaRecord, cost: number | null): Promo | null {
  for (const d of r.discounts ?? []) {
    for (const sp of d.specialPricing ?? []) {
      const discount = sp.specialPricingDiscount ?? null;
      if (discount === null) continue;
      return {
        price: cost === null ? null : round2(cost - discount),
        discount,
        from: sp.specialPricingEffectiveDate ?? null,
        to: sp.specialPricingExpirationDate ?? null,
        minQuantity: sp.specialPricingMinQuantity ?? null,
        reference: sp.specialBidNumer ?? null,
      };
    }
  }
  return null;
}

function toAvailability(r: PnaRecord): Availability | null {
  const a = r.availability;
  if (!a) return null;
  const warehouses = (a.availabilityByWarehouse ?? []).map((w) => ({
    id: w.warehouseId ?? '',
    location: w.location ?? null,
    quantity: w.quantityAvailable ?? 0,
    backorderQuantity: w.quantityBackordered ?? 0,
    backorderEta: blank(w.quantityBackorderedEta),
  }));
  const etas = warehouses.map((w) => w.backorderEta).filter((e): e is string => Boolean(e)).sort();
  const total = a.totalAvailability ?? warehouses.reduce((n, w) => n + w.quantity, 0);
  return {
    available: a.available ?? total > 0,
    total,
    backorderQuantity: warehouses.reduce((n, w) => n + w.backorderQuantity, 0),
    backorderEta: etas[0] ?? null,
    warehouses,
  };
}

export function notFound(sku: string): PriceAvailability {
  return {
    distributorSku: sku, status: 'not_found', cost: null, msrp: null, map: null, currency: null, promo: null,
    availability: null, acceptsBackorder: null, endUserRequired: null, vendorStatus: null, vendorMessage: null, issues: [], raw: null,
  };
}

export function blank(v: string | null | undefined): string | null {
  return v === undefined || v === null || v.trim() === '' ? null : v;
}

function yes(v: string | null | undefined): boolean {
  return /^(true|y|yes|1)$/i.test(v ?? '');
}

export function unique(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
