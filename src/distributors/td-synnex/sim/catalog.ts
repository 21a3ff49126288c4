// The simulator's catalog: records computed from (seed, index, day), so 100,000 SKUs cost no memory
// until the file is written, and the file is written as a stream. The layout is the one price-file.ts
// reads (v2.61, see there); values are invented but shaped like TD SYNNEX's: 7-digit SKUs, MPNs per
// vendor, valid UPC-A codes, stock in a few warehouse columns, promotions with an expiry, discontinued
// SKUs with a replacement, and a share of deliberately bad records.
import { createWriteStream } from 'node:fs';
import { rename, truncate, utimes } from 'node:fs/promises';
import { once } from 'node:events';
import { COL, DELIMITER, FIELD_COUNT, WAREHOUSE_COLUMNS } from '../price-file';
import type { TdSynnexRegion } from '../settings';

export const SIM_EPOCH = Date.UTC(2026, 0, 1);
export const DAY_MS = 86_400_000;
/** SKU of index 0; SKUs are `SKU_BASE + index`. */
export const SKU_BASE = 5_000_000;

export const BAD_RECORD_KINDS = ['missing-mpn', 'zero-price', 'absurd-price', 'long-text', 'cut-short', 'no-sku'] as const;
export type BadRecordKind = (typeof BAD_RECORD_KINDS)[number];

export interface CatalogSettings {
  seed: number;
  skus: number;
  region: TdSynnexRegion;
  /** Share of SKUs whose price or stock changes from one day to the next. */
  changeRate: number;
  badRecordShare: number;
  encoding: 'latin1' | 'utf8';
}

export const DEFAULT_CATALOG: CatalogSettings = { seed: 42, skus: 20_000, region: 'us', changeRate: 0.05, badRecordShare: 0.01, encoding: 'latin1' };

const VENDORS = [
  ['HP INC.', 'HP'], ['LENOVO', 'LN'], ['CISCO SYSTEMS', 'CS'], ['DELL TECHNOLOGIES', 'DL'], ['MICROSOFT', 'MS'],
  ['APC BY SCHNEIDER ELECTRIC', 'AP'], ['LOGITECH', 'LG'], ['SAMSUNG', 'SM'], ['UBIQUITI', 'UB'], ['KINGSTON', 'KT'],
] as const;
const NOUNS = ['Notebook', 'Desktop', 'Monitor 27"', 'Switch 24-port', 'Access Point', 'UPS 1500VA', 'Headset', 'SSD 1TB', 'Dock', 'Keyboard & Mouse'];
const CATEGORIES = ['002057240', '002057245', '002057246', '002057247', '002057249', '002057253', '002057446', '002057509', '002057530', '002057659'];
/** Warehouse columns the simulator stocks (the four named for both US and CA). */
export const STOCKED_COLUMNS = [19, 21, 23, 25];

export interface SimRecord {
  index: number;
  sku: string;
  mpn: string;
  vendor: string;
  description: string;
  status: 'A' | 'D';
  cost: number;
  contractPrice: number;
  msrp: number;
  category: string;
  upc: string;
  quantity: number;
  warehouses: Array<{ col: number; quantity: number }>;
  eta: string | null;
  promotion: boolean;
  promoExpiry: string | null;
  replacementSku: string | null;
  bad: BadRecordKind | null;
}

export class SimCatalog {
  settings: CatalogSettings;

  constructor(settings: Partial<CatalogSettings> = {}) {
    this.settings = { ...DEFAULT_CATALOG, ...settings };
  }

  skuOf(index: number): string {
    return String(SKU_BASE + index);
  }

  indexOf(sku: string): number | null {
    const i = /^\d+$/.test(sku) ? Number(sku) - SKU_BASE : NaN;
    return Number.isInteger(i) && i >= 0 && i < this.settings.skus ? i : null;
  }

  indexOfMpn(mpn: string): number | null {
    const m = /^[A-Z]{2}-([0-9A-Z]+)$/.exec(mpn.toUpperCase());
    return m ? this.indexOf(this.skuOf(parseInt(m[1], 36))) : null;
  }

  /** The record of `index` as the file of `day` lists it. */
  record(index: number, day: number): SimRecord {
    const { seed } = this.settings;
    const r = (salt: number) => unit(seed, index, salt);
    const [vendor, prefix] = VENDORS[Math.floor(r(1) * VENDORS.length)];
    const base = round2(5 + r(2) ** 3 * 3000);
    // The price on `day` moves from the base each day the SKU changes.
    let cost = base;
    let stockDay = 0;
    for (let d = 1; d <= day; d++) {
      if (unit(seed, index, 1000 + d) < this.settings.changeRate) {
        cost = round2(base * (0.9 + unit(seed, index, 2000 + d) * 0.2));
        stockDay = d;
      }
    }
    const discontinued = r(3) < 0.03;
    const backordered = !discontinued && unit(seed, index, 3000 + stockDay) < 0.1;
    const quantity = discontinued || backordered ? 0 : 1 + Math.floor(unit(seed, index, 4000 + stockDay) * 400);
    const warehouses: SimRecord['warehouses'] = [];
    if (quantity > 0) {
      const count = 1 + Math.floor(r(5) * 3);
      let left = quantity;
      for (let k = 0; k < count; k++) {
        const q = k === count - 1 ? left : Math.floor(left / 2);
        if (q > 0) warehouses.push({ col: STOCKED_COLUMNS[(index + k) % STOCKED_COLUMNS.length], quantity: q });
        left -= q;
      }
    }
    const promotion = !discontinued && r(6) < 0.1;
    const share = this.settings.badRecordShare;
    const bad = share > 0 && r(7) < share ? BAD_RECORD_KINDS[Math.floor(r(8) * BAD_RECORD_KINDS.length)] : null;
    const record: SimRecord = {
      index,
      sku: this.skuOf(index),
      mpn: `${prefix}-${index.toString(36).toUpperCase()}`,
      vendor,
      description: `${vendor} ${NOUNS[Math.floor(r(9) * NOUNS.length)]} ${prefix}${Math.floor(r(10) * 9000 + 1000)}${r(11) < 0.05 ? ' - édition Pro' : ''}`,
      status: discontinued ? 'D' : 'A',
      cost,
      contractPrice: promotion ? round2(cost * 0.9) : cost,
      msrp: round2(cost * 1.25),
      category: CATEGORIES[Math.floor(r(12) * CATEGORIES.length)],
      upc: upcA(seed, index),
      quantity,
      warehouses,
      eta: backordered ? dateOf(day + 7) : null,
      promotion,
      promoExpiry: promotion ? dateOf(day + 14) : null,
      replacementSku: discontinued && index + 1 < this.settings.skus ? this.skuOf(index + 1) : null,
      bad,
    };
    if (bad === 'missing-mpn') record.mpn = '';
    if (bad === 'zero-price') record.cost = record.contractPrice = 0;
    if (bad === 'absurd-price') record.cost = record.contractPrice = 1_000_000_000;
    if (bad === 'long-text') record.description = `${record.description} ${'x'.repeat(2_100)}`;
    return record;
  }

  /** The record's line (without the line break). */
  line(rec: SimRecord): string {
    const f = new Array<string>(FIELD_COUNT).fill('');
    f[COL.tradingPartner] = 'SYNNEX';
    f[COL.recordId] = 'D';
    f[COL.mpn] = rec.mpn;
    f[COL.sku] = rec.bad === 'no-sku' ? 'N/A' : rec.sku;
    f[COL.status] = rec.status;
    f[COL.description] = rec.description;
    f[COL.manufacturer] = rec.vendor;
    f[COL.quantity] = String(rec.quantity);
    f[COL.contractPrice] = rec.contractPrice.toFixed(2);
    f[COL.msrp] = rec.msrp.toFixed(2);
    f[COL.unitCost] = rec.cost.toFixed(2);
    f[COL.category] = rec.category;
    f[COL.weight] = '2.5';
    f[COL.upc] = rec.upc;
    f[COL.unspsc] = '43211500';
    f[COL.created] = '01/15/2024';
    f[COL.eta] = rec.eta ? usDate(rec.eta) : '';
    f[COL.promoFlag] = rec.promotion ? 'Y' : 'N';
    f[COL.promoComment] = rec.promotion ? `PROMO-${rec.index}` : '';
    f[COL.promoExpiry] = rec.promoExpiry ? usDate(rec.promoExpiry) : '';
    f[COL.replacementSku] = rec.replacementSku ?? '';
    f[COL.minimumOrderQuantity] = '1';
    for (const w of WAREHOUSE_COLUMNS) f[w.col] = '0';
    for (const w of rec.warehouses) f[w.col] = String(w.quantity);
    const fields = rec.bad === 'cut-short' ? f.slice(0, 20) : f;
    return fields.join(DELIMITER);
  }

  /** The header line (the file's first row, skipped by readers). */
  header(): string {
    const f = new Array<string>(FIELD_COUNT).fill('');
    f[COL.mpn] = 'Manufacturer Part#';
    f[COL.sku] = 'SYNNEX SKU #';
    f[COL.status] = 'Status Code';
    f[COL.description] = 'Part Description';
    return f.join(DELIMITER);
  }

  /**
   * Writes the file of `day` to `path` as a stream: to a temporary file renamed into place (what an
   * upload that completes looks like), or in place and cut after `cutAtBytes` (an upload in progress).
   */
  async writeFile(path: string, options: { day: number; cutAtBytes?: number; modifiedAt?: Date }): Promise<{ bytes: number; lines: number }> {
    const atomic = options.cutAtBytes === undefined;
    const target = atomic ? `${path}.part` : path;
    const out = createWriteStream(target);
    let bytes = 0;
    let lines = 0;
    const write = async (text: string) => {
      const buf = Buffer.from(text, this.settings.encoding);
      bytes += buf.length;
      if (!out.write(buf)) await once(out, 'drain');
    };
    let batch = `${this.header()}\n`;
    lines++;
    for (let i = 0; i < this.settings.skus; i++) {
      batch += `${this.line(this.record(i, options.day))}\n`;
      lines++;
      if (batch.length > 64 * 1024) {
        await write(batch);
        batch = '';
      }
    }
    await write(batch);
    out.end();
    await once(out, 'close');
    if (!atomic) await truncate(target, Math.min(options.cutAtBytes!, bytes));
    else await rename(target, path);
    if (options.modifiedAt) await utimes(path, options.modifiedAt, options.modifiedAt);
    return { bytes: atomic ? bytes : Math.min(options.cutAtBytes!, bytes), lines };
  }
}

/** Deterministic uniform [0, 1) from (seed, index, salt). */
export function unit(seed: number, index: number, salt: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(salt + 0x27d4eb2f, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4_294_967_296;
}

function upcA(seed: number, index: number): string {
  const body = `0${String(Math.floor(unit(seed, index, 99) * 1e5)).padStart(5, '0')}${String(index % 100_000).padStart(5, '0')}`;
  let sum = 0;
  for (let k = 0; k < 11; k++) sum += Number(body[k]) * (k % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

export function dateOf(day: number): string {
  return new Date(SIM_EPOCH + day * DAY_MS).toISOString().slice(0, 10);
}

function usDate(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
