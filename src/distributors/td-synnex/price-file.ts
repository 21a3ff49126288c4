// The daily price-and-availability flat file (`<account>.ap`): one `~`-delimited record per line.
//
// Column layout (0-based), from "Flat File P&A Spec Doc (For ALL Standard Accounts) (June 2013 - v2.61)" as
// transcribed in github nahidacm/synnex-parser (src/Synnex/HeaderMap.php, db/flat_file.sql for the
// warehouse names). We have not seen the spec document itself, so everything below is [unverified] against
// a current file; the items marked (guess) are not in those sources at all.
//
//   0 trading partner code      1 detail record id          2 manufacturer part number   4 SYNNEX SKU
//   5 status code               6 part description          7 manufacturer name          9 qty on hand (total)
//  12 contract price (with promo/rebate)                    13 MSRP                      20 unit cost (w/o promo/rebate)
//  24 SYNNEX category code     27 ship weight              33 UPC                       34 UNSPSC
//  36 SKU created date         38 ETA date                 46 promotion flag            47 promotion comment
//  48 promotion expiration     64 replacement SKU          65 minimum order quantity
//  warehouse quantities: 14 15 17 19 21 23 25 29 30 55 60 61 62 63 68 (names below); 69 = manufacturer drop-ship qty
//  3 8 10 11 26 31 35 59 = SYNNEX internal/reserved; other columns (gov/edu prices, dimensions, FR description) unused.
//
// - The first line is skipped when it is a header (its SKU column is not a number): the same source loads the
//   file with `IGNORE 1 ROWS`.
// - Fields may be enclosed in double quotes (the same source loads with `ENCLOSED BY '"'`).
// - Status codes (guess): D, Z and X mean discontinued; anything else is orderable.
// - Dates (guess): MM/DD/YYYY, YYYYMMDD or YYYY-MM-DD are read; anything else is ignored.
// - Promotion flag (guess): Y means the contract price is a promotion, ending on the expiration date.
import type { Availability, PriceAvailability, Product, Promo, WarehouseStock } from '../adapter';
import type { TdSynnexRegion } from './settings';

export const COL = {
  tradingPartner: 0, recordId: 1, mpn: 2, sku: 4, status: 5, description: 6, manufacturer: 7, quantity: 9,
  contractPrice: 12, msrp: 13, unitCost: 20, category: 24, weight: 27, upc: 33, unspsc: 34, created: 36, eta: 38,
  promoFlag: 46, promoComment: 47, promoExpiry: 48, replacementSku: 64, minimumOrderQuantity: 65,
} as const;

/** Warehouse quantity columns with their locations (US / CA), per db/flat_file.sql. */
export const WAREHOUSE_COLUMNS: ReadonlyArray<{ col: number; us: string; ca: string | null }> = [
  { col: 14, us: 'Miami, FL', ca: 'Chicago, IL' },
  { col: 15, us: 'Fremont, CA', ca: 'Halifax, NS' },
  { col: 17, us: 'Chantilly, VA', ca: null },
  { col: 19, us: 'Richardson, TX', ca: 'Calgary, AB' },
  { col: 21, us: 'Chicago, IL', ca: 'Guelph, ON' },
  { col: 23, us: 'Olive Branch, MS', ca: 'Markham, ON' },
  { col: 25, us: 'Keasby, NJ', ca: 'Richmond, BC' },
  { col: 29, us: 'Beaverton, OR', ca: null },
  { col: 30, us: 'Norcross, GA', ca: null },
  { col: 55, us: 'Olive Branch, MS (2)', ca: null },
  { col: 60, us: 'Ontario, CA', ca: null },
  { col: 61, us: 'Keasby, NJ (2)', ca: null },
  { col: 62, us: 'Ontario, CA (2)', ca: null },
  { col: 63, us: 'Columbus, OH', ca: null },
  { col: 68, us: 'Columbus, OH (2)', ca: null },
];

/** Columns in a v2.61 record; a line with fewer than `MIN_FIELDS` is cut short (truncated file, bad record). */
export const FIELD_COUNT = 70;
export const MIN_FIELDS = COL.minimumOrderQuantity + 1;
export const DELIMITER = '~';

const LONG_TEXT = 2000;
const ABSURD_PRICE = 1_000_000;
const DISCONTINUED = new Set(['D', 'Z', 'X']);

/** One record of the file, named. */
export interface PriceFileRecord {
  line: number;
  sku: string;
  mpn: string | null;
  statusCode: string | null;
  description: string | null;
  manufacturer: string | null;
  quantity: number | null;
  contractPrice: number | null;
  msrp: number | null;
  unitCost: number | null;
  category: string | null;
  upc: string | null;
  unspsc: string | null;
  eta: string | null;
  promotion: boolean;
  promoComment: string | null;
  promoExpiry: string | null;
  replacementSku: string | null;
  minimumOrderQuantity: number | null;
  warehouses: Array<{ col: number; quantity: number }>;
}

export type ParsedLine = { kind: 'record'; record: PriceFileRecord } | { kind: 'header' } | { kind: 'blank' } | { kind: 'invalid'; reason: string; raw: string };

export function splitFields(text: string): string[] {
  return text.split(DELIMITER).map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"').trim() : t;
  });
}

/** Parses one line (without its line break). `line` is 1-based. */
export function parseLine(text: string, line: number): ParsedLine {
  const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (!clean.trim()) return { kind: 'blank' };
  const f = splitFields(clean);
  const sku = f[COL.sku] ?? '';
  if (line === 1 && !/^\d+$/.test(sku)) return { kind: 'header' };
  if (f.length < MIN_FIELDS) return { kind: 'invalid', reason: `line ${line}: ${f.length} fields, expected ${FIELD_COUNT} (record cut short)`, raw: preview(clean) };
  if (!/^\d+$/.test(sku)) return { kind: 'invalid', reason: `line ${line}: no SYNNEX SKU (column ${COL.sku + 1} is "${sku.slice(0, 20)}")`, raw: preview(clean) };
  const warehouses: PriceFileRecord['warehouses'] = [];
  for (const w of WAREHOUSE_COLUMNS) {
    const q = int(f[w.col]);
    if (q) warehouses.push({ col: w.col, quantity: q });
  }
  return {
    kind: 'record',
    record: {
      line,
      sku,
      mpn: blank(f[COL.mpn]),
      statusCode: blank(f[COL.status]),
      description: blank(f[COL.description]),
      manufacturer: blank(f[COL.manufacturer]),
      quantity: int(f[COL.quantity]),
      contractPrice: num(f[COL.contractPrice]),
      msrp: num(f[COL.msrp]),
      unitCost: num(f[COL.unitCost]),
      category: blank(f[COL.category]),
      upc: blank(f[COL.upc]),
      unspsc: blank(f[COL.unspsc]),
      eta: isoDate(f[COL.eta]),
      promotion: /^y/i.test(f[COL.promoFlag] ?? ''),
      promoComment: blank(f[COL.promoComment]),
      promoExpiry: isoDate(f[COL.promoExpiry]),
      replacementSku: blank(f[COL.replacementSku]),
      minimumOrderQuantity: int(f[COL.minimumOrderQuantity]),
      warehouses,
    },
  };
}

export function toProduct(r: PriceFileRecord, region: TdSynnexRegion, pna = toPriceAvailability(r, region)): Product {
  const issues: string[] = [];
  if (!r.mpn) issues.push('missing manufacturer part number');
  if (!r.manufacturer) issues.push('missing manufacturer');
  if (!r.description) issues.push('missing description');
  else if (r.description.length > LONG_TEXT) issues.push(`description longer than ${LONG_TEXT} characters`);
  if (r.upc && !/^\d{12,14}$/.test(r.upc)) issues.push('malformed UPC');
  return {
    distributorSku: r.sku,
    mpn: r.mpn,
    upc: r.upc,
    vendor: r.manufacturer,
    description: r.description,
    category: r.category,
    subcategory: null,
    kind: 'physical',
    // The file's "Purchasing Requirements" column may say so; we have not seen its values [unverified].
    endUserRequired: false,
    status: pna.status === 'discontinued' ? 'discontinued' : 'active',
    replacementSku: r.replacementSku,
    cost: pna.cost,
    msrp: pna.msrp,
    map: null,
    currency: pna.currency,
    promo: pna.promo,
    availability: pna.availability,
    issues: [...issues, ...pna.issues],
    raw: r,
  };
}

/** `counted`: the warehouses whose stock counts as availability (none: all; see `countedWarehouses`). */
export function toPriceAvailability(r: PriceFileRecord, region: TdSynnexRegion, counted: readonly string[] = []): PriceAvailability {
  const issues: string[] = [];
  const cost = r.unitCost ?? r.contractPrice;
  if (cost === null) issues.push('no cost');
  else if (cost <= 0) issues.push(`non-positive cost ${cost}`);
  else if (cost >= ABSURD_PRICE) issues.push(`implausible cost ${cost}`);
  if (r.msrp !== null && r.msrp < 0) issues.push(`negative MSRP ${r.msrp}`);
  const status = r.statusCode && DISCONTINUED.has(r.statusCode.toUpperCase()) ? 'discontinued' : 'active';
  return {
    distributorSku: r.sku,
    status,
    cost,
    msrp: r.msrp,
    map: null,
    currency: region === 'ca' ? 'CAD' : 'USD',
    promo: promoOf(r, cost),
    availability: availabilityOf(r, region, counted),
    acceptsBackorder: null,
    endUserRequired: null,
    vendorStatus: r.statusCode,
    vendorMessage: null,
    issues,
    raw: r,
  };
}

function promoOf(r: PriceFileRecord, cost: number | null): Promo | null {
  if (!r.promotion || r.contractPrice === null || cost === null || r.contractPrice >= cost) return null;
  return { price: r.contractPrice, discount: round2(cost - r.contractPrice), from: null, to: r.promoExpiry, minQuantity: null, reference: r.promoComment };
}

function availabilityOf(r: PriceFileRecord, region: TdSynnexRegion, counted: readonly string[]): Availability {
  const all: WarehouseStock[] = r.warehouses.map((w) => {
    const where = WAREHOUSE_COLUMNS.find((c) => c.col === w.col);
    return { id: `col${w.col}`, location: (region === 'ca' ? where?.ca : where?.us) ?? null, quantity: w.quantity, backorderQuantity: 0, backorderEta: null };
  });
  const warehouses = countedWarehouses(all, counted);
  // The file's own total covers every warehouse; a chosen few are summed.
  const total = counted.length ? sum(warehouses) : r.quantity ?? sum(warehouses);
  return { available: total > 0, total, backorderQuantity: 0, backorderEta: total > 0 ? null : r.eta, warehouses };
}

/**
 * The warehouses whose stock counts (setting `availabilityWarehouses`): each entry names a warehouse by id or by
 * city, without case (`chicago` counts `Chicago, IL`). No entries: all of them.
 */
export function countedWarehouses(warehouses: WarehouseStock[], counted: readonly string[]): WarehouseStock[] {
  if (!counted.length) return warehouses;
  const wanted = new Set(counted.map((c) => c.toLowerCase()));
  const city = (w: WarehouseStock) => (w.location ?? '').split(',')[0].trim().toLowerCase();
  return warehouses.filter((w) => wanted.has(w.id.toLowerCase()) || wanted.has(city(w)));
}

function sum(warehouses: WarehouseStock[]): number {
  return warehouses.reduce((n, w) => n + w.quantity, 0);
}

export function blank(v: string | undefined | null): string | null {
  return v === undefined || v === null || v.trim() === '' ? null : v.trim();
}

function num(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v.replace(/[$,]/g, ''));
  return Number.isFinite(n) ? n : null;
}

function int(v: string | undefined): number | null {
  const n = num(v);
  return n === null ? null : Math.trunc(n);
}

/** MM/DD/YYYY, YYYYMMDD or YYYY-MM-DD → YYYY-MM-DD; anything else (or an all-zero date) → null. */
export function isoDate(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return valid(`${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`);
  m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(t);
  if (m) return valid(`${m[1]}-${m[2]}-${m[3]}`);
  return null;
}

function valid(iso: string): string | null {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1990 || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

function preview(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
