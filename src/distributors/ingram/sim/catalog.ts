// Deterministic Ingram catalog. Every record is computed on demand from (seed, index, day), so
// 100,000+ SKUs cost one Int32Array of present indices per day and nothing else.
//
// Per day d (day 0 = the seed catalog, 2026-01-01):
// - a `changeRate` share of SKUs gets a new price and new stock (drawn per SKU and day);
// - a `churnRate` share disappears and as many new SKUs appear (appended after the seed range);
// - a fixed `badRecordShare` (default 1%) of indices are deliberately bad, spread evenly over
//   BAD_RECORD_KINDS; see README.md. Bad records are never discontinued.
// - 3% are discontinued (with a replacement SKU when a sound successor exists), 10% carry a promo,
//   10% are out of stock with a backorder quantity and ETA.
import { CURRENCY_BY_COUNTRY, VENDORS, WAREHOUSES, type ProductLine, type VendorInfo } from './catalog-data';
import { fillPattern, hash, pick, unit } from './random';

export interface CatalogSettings {
  seed: number;
  /** SKUs on day 0. */
  skus: number;
  /** Share of SKUs whose price and stock change per day advanced. */
  changeRate: number;
  /** Share of SKUs that disappear per day (and as many new ones appear). */
  churnRate: number;
  /** Share of deliberately bad records. */
  badRecordShare: number;
  /** Country of the customer: sets the currency. */
  countryCode: string;
}

export const DEFAULT_CATALOG_SETTINGS: CatalogSettings = {
  seed: 42, skus: 20_000, changeRate: 0.05, churnRate: 0.002, badRecordShare: 0.01, countryCode: 'US',
};

export const BAD_RECORD_KINDS = ['missing-fields', 'negative-price', 'zero-price', 'absurd-price', 'long-text', 'duplicate-mpn', 'duplicate-sku'] as const;
export type BadRecordKind = (typeof BAD_RECORD_KINDS)[number];

export const DISCONTINUED_SHARE = 0.03;
export const PROMO_SHARE = 0.1;
export const BACKORDER_SHARE = 0.1;
export const ABSURD_PRICE = 1_000_000_000;
const BASE_DATE = Date.UTC(2026, 0, 1);

// Salts: one per independent draw.
const S = { VENDOR: 1, LINE: 2, SERIES: 3, COST: 4, MSRP: 5, BAD: 6, BADKIND: 7, DISC: 8, CHANGE: 9, GONE: 10, PRICE: 11, STOCK: 12, PROMO: 13, MAP: 14, UPC: 15, MPN: 16, ATTR: 17 } as const;

export interface SimWarehouseStock {
  id: string;
  location: string;
  quantity: number;
  backordered: number;
  eta: string | null;
}

export interface SimPromo {
  discount: number;
  from: string;
  to: string;
  minQuantity: number;
  bidNumber: string;
}

/** One generated product as the simulator knows it (vendor shapes are built from it). */
export interface SimProduct {
  index: number;
  sku: string;
  mpn?: string;
  upc?: string;
  vendor: string;
  vendorNumber: string;
  category?: string;
  subCategory?: string;
  description?: string;
  digital: boolean;
  discontinued: boolean;
  replacementSku?: string;
  cost: number;
  msrp: number | null;
  map: number | null;
  currency: string;
  promo?: SimPromo;
  warehouses: SimWarehouseStock[];
  newProduct: boolean;
  bad?: BadRecordKind;
  /** Last day its price/stock changed (its appearance day if never). */
  version: number;
}

/** `YYYY-MM-DD` of a simulated day. */
export function simDate(day: number): string {
  return new Date(BASE_DATE + day * 86_400_000).toISOString().slice(0, 10);
}

// SKUs: a bijection of the index (odd multiplier mod 2^32), 7 base-36 characters.
const imul = Math.imul; // bound once: `Math` lookups are slow inside jest's VM sandbox
const K = 0x9e3779b1;
const K_INV = (() => {
  let x = K;
  for (let i = 0; i < 5; i++) x = imul(x, (2 - imul(K, x)) >>> 0);
  return x >>> 0;
})();

export class CatalogGenerator {
  readonly settings: CatalogSettings;
  private dayValue = 0;
  private readonly presentCache = new Map<number, Int32Array>();
  private readonly offset: number;
  private readonly newPerDay: number;

  constructor(settings: Partial<CatalogSettings> = {}) {
    this.settings = { ...DEFAULT_CATALOG_SETTINGS, ...settings };
    this.offset = hash(this.settings.seed, 0xabc) >>> 0;
    this.newPerDay = this.settings.churnRate > 0 ? Math.max(1, Math.round(this.settings.skus * this.settings.churnRate)) : 0;
  }

  get day(): number {
    return this.dayValue;
  }

  set day(value: number) {
    if (!Number.isInteger(value) || value < 0) throw new Error('day must be a non-negative integer');
    this.dayValue = value;
  }

  skuOf(index: number): string {
    const v = (imul(index + 1, K) + this.offset) >>> 0;
    return v.toString(36).toUpperCase().padStart(7, '0');
  }

  /** The index a SKU string encodes (whether or not it is listed today). */
  indexOf(sku: string): number | undefined {
    if (!/^[0-9A-Z]{7}$/.test(sku)) return undefined;
    const v = parseInt(sku, 36);
    if (!Number.isFinite(v) || v > 0xffffffff) return undefined;
    const index = (imul((v - this.offset) >>> 0, K_INV) >>> 0) - 1;
    return index >= 0 && index < this.universe(this.dayValue + 1000) && this.skuOf(index) === sku ? index : undefined;
  }

  /** Indices listed on `day`, ascending (new SKUs come after the seed range). */
  present(day = this.dayValue): Int32Array {
    let list = this.presentCache.get(day);
    if (!list) {
      const n = this.universe(day);
      const out = new Int32Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) if (!this.goneBy(i, day)) out[k++] = i;
      list = out.slice(0, k);
      if (this.presentCache.size >= 4) this.presentCache.delete(this.presentCache.keys().next().value as number);
      this.presentCache.set(day, list);
    }
    return list;
  }

  isPresent(index: number, day = this.dayValue): boolean {
    return index >= 0 && index < this.universe(day) && !this.goneBy(index, day);
  }

  /** The listed product with this SKU today, if any. */
  findBySku(sku: string, day = this.dayValue): SimProduct | undefined {
    const index = this.indexOf(sku.toUpperCase());
    if (index === undefined) return undefined;
    // A duplicate-SKU record reuses its predecessor's SKU: look at the next index too.
    for (const i of [index, index + 1]) {
      if (!this.isPresent(i, day)) continue;
      const p = this.product(i, day);
      if (p.sku === sku.toUpperCase()) return p;
    }
    return undefined;
  }

  badKind(index: number): BadRecordKind | undefined {
    const { seed, badRecordShare } = this.settings;
    if (unit(seed, index, S.BAD) >= badRecordShare) return undefined;
    const kind = BAD_RECORD_KINDS[hash(seed, index, S.BADKIND) % BAD_RECORD_KINDS.length];
    return kind === 'duplicate-sku' || kind === 'duplicate-mpn' ? (index > 0 ? kind : 'missing-fields') : kind;
  }

  isDiscontinued(index: number): boolean {
    return !this.badKind(index) && unit(this.settings.seed, index, S.DISC) < DISCONTINUED_SHARE;
  }

  product(index: number, day = this.dayValue): SimProduct {
    const { seed } = this.settings;
    const bad = this.badKind(index);
    const id = this.identity(index);
    const appear = this.appearDay(index);
    const version = this.lastChange(index, day);
    const discontinued = this.isDiscontinued(index);
    const currency = CURRENCY_BY_COUNTRY[this.settings.countryCode] ?? 'EUR';

    const u = unit(seed, index, S.COST);
    let cost = id.line.minCost + (id.line.maxCost - id.line.minCost) * u * u;
    if (version !== appear) cost *= 0.85 + 0.3 * unit(seed, index, S.PRICE, version);
    cost = round2(cost);
    const msrp = round2(cost * (1.12 + 0.3 * unit(seed, index, S.MSRP)));
    const map = unit(seed, index, S.MAP) < 0.2 ? round2(msrp * 0.95) : null;

    const p: SimProduct = {
      index,
      sku: this.skuOf(index),
      mpn: id.mpn,
      upc: id.upc,
      vendor: id.vendor.name,
      vendorNumber: id.vendor.number,
      category: id.line.category,
      subCategory: id.line.subCategory,
      description: id.description,
      digital: Boolean(id.line.digital),
      discontinued,
      cost,
      msrp,
      map,
      currency,
      warehouses: id.line.digital ? [] : this.stock(index, version, day, discontinued),
      newProduct: day - appear < 7 && appear > 0,
      version,
    };
    if (discontinued) p.replacementSku = this.replacementFor(index);
    if (unit(seed, index, S.PROMO) < PROMO_SHARE) {
      const start = (hash(seed, index, S.PROMO, 1) % 60) - 20;
      p.promo = {
        discount: round2(cost * (0.03 + 0.12 * unit(seed, index, S.PROMO, 2))),
        from: simDate(start),
        to: simDate(start + 7 + (hash(seed, index, S.PROMO, 3) % 24)),
        minQuantity: pick([1, 1, 5, 10], hash(seed, index, S.PROMO, 4)),
        bidNumber: fillPattern('SPnnnnnnn', seed, index, S.PROMO),
      };
    }
    if (bad) {
      p.bad = bad;
      switch (bad) {
        case 'missing-fields':
          delete p.mpn; delete p.upc; delete p.description; delete p.category; delete p.subCategory;
          p.msrp = null;
          break;
        case 'negative-price': p.cost = -p.cost; break;
        case 'zero-price': p.cost = 0; break;
        case 'absurd-price': p.cost = ABSURD_PRICE; break;
        case 'long-text': p.description = `${p.description} ${'with extended warranty and accessories bundle '.repeat(110)}`.trim(); break;
        case 'duplicate-mpn': {
          const prev = this.identity(index - 1);
          p.mpn = prev.mpn; p.vendor = prev.vendor.name; p.vendorNumber = prev.vendor.number;
          break;
        }
        case 'duplicate-sku': p.sku = this.skuOf(index - 1); break;
      }
    }
    return p;
  }

  /** SKUs listed on `day`, in catalog order (duplicate-SKU records appear twice). */
  expectedSkus(day = this.dayValue): string[] {
    return Array.from(this.present(day), (i) => this.product(i, day).sku);
  }

  /** The deliberately bad records listed on `day`. */
  badRecords(day = this.dayValue): Array<{ index: number; sku: string; kind: BadRecordKind }> {
    const out: Array<{ index: number; sku: string; kind: BadRecordKind }> = [];
    for (const i of this.present(day)) {
      const kind = this.badKind(i);
      if (kind) out.push({ index: i, sku: this.product(i, day).sku, kind });
    }
    return out;
  }

  summary(day = this.dayValue): Record<string, unknown> {
    return { ...this.settings, day, date: simDate(day), listed: this.present(day).length, newPerDay: this.newPerDay };
  }

  // ---- internals ------------------------------------------------------------------------------

  private universe(day: number): number {
    return this.settings.skus + day * this.newPerDay;
  }

  private appearDay(index: number): number {
    return index < this.settings.skus ? 0 : 1 + Math.floor((index - this.settings.skus) / this.newPerDay);
  }

  private goneBy(index: number, day: number): boolean {
    const { seed, churnRate } = this.settings;
    if (churnRate <= 0) return false;
    for (let d = this.appearDay(index) + 1; d <= day; d++) if (unit(seed, index, S.GONE, d) < churnRate) return true;
    return false;
  }

  private lastChange(index: number, day: number): number {
    const { seed, changeRate } = this.settings;
    const appear = this.appearDay(index);
    for (let d = day; d > appear; d--) if (unit(seed, index, S.CHANGE, d) < changeRate) return d;
    return appear;
  }

  private identity(index: number): { vendor: VendorInfo; line: ProductLine; mpn: string; upc: string; description: string } {
    const { seed } = this.settings;
    const vendor = pick(VENDORS, hash(seed, index, S.VENDOR));
    const productLine = pick(vendor.lines, hash(seed, index, S.LINE));
    const series = pick(productLine.series, hash(seed, index, S.SERIES));
    const mpn = fillPattern(vendor.mpn, seed, index, S.MPN);
    const digits = vendor.upcPrefix + String(hash(seed, index, S.UPC) % 100_000_000).padStart(8, '0');
    const attr = pick(['Black', 'Silver', 'Gen 2', '3-Year Warranty', 'TAA Compliant', 'Refresh', 'Bundle', 'US Version'], hash(seed, index, S.ATTR));
    return { vendor, line: productLine, mpn, upc: digits + upcCheckDigit(digits), description: `${titleCase(vendor.name)} ${series} ${productLine.noun} - ${attr} (${mpn})` };
  }

  private stock(index: number, version: number, day: number, discontinued: boolean): SimWarehouseStock[] {
    const { seed } = this.settings;
    const h = hash(seed, index, S.STOCK, version);
    const count = 1 + (h % 3);
    const first = (h >>> 8) % WAREHOUSES.length;
    const backorder = unit(seed, index, S.STOCK, version + 100_000) < BACKORDER_SHARE;
    const out: SimWarehouseStock[] = [];
    for (let k = 0; k < count; k++) {
      const w = WAREHOUSES[(first + k) % WAREHOUSES.length];
      const q = unit(seed, index, S.STOCK, version * 8 + k + 200_000);
      const quantity = backorder ? 0 : discontinued ? Math.floor(q * 5) : Math.floor(1 + q * q * q * 400);
      const backordered = backorder && k === 0 ? 5 + (h % 95) : 0;
      out.push({ id: w.id, location: w.location, quantity, backordered, eta: backordered ? simDate(day + 5 + (h % 30)) : null });
    }
    return out;
  }

  private replacementFor(index: number): string | undefined {
    for (let k = 1; k <= 5; k++) {
      const j = index + k;
      if (j < this.settings.skus && !this.badKind(j) && !this.isDiscontinued(j)) return this.skuOf(j);
    }
    return undefined;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function titleCase(s: string): string {
  return s.length <= 4 ? s : s.charAt(0) + s.slice(1).toLowerCase();
}

function upcCheckDigit(digits11: string): string {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(digits11[i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}
