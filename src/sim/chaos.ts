// Chaos on the sandbox: the fault mix a real API shows now and then (issue 11), switched on for
// every simulator, and the simulators' final state in a form two runs can be compared by. Ids,
// times and the distributor's generated numbers differ between runs; what the engine decided
// (which products, which values, which orders, which lines, which statuses) must not.
import { simEntities } from '../autotask/sim/entities';
import type { SimOrder } from '../distributors/ingram/sim';
import type { Sandbox } from './index';
import type { FaultSettings } from './kit/server';

/**
 * ~5% 5xx, 2% 429 with Retry-After, 1% resets and 1% timeouts, half of those after the server
 * applied the request. Autotask answers server faults with 500 and 503; Ingram's Apigee gateway
 * also with 502.
 */
export function chaosFaults(seed: number, errorStatuses: number[] = [500, 503]): Partial<FaultSettings> {
  return { errorRate: 0.05, errorStatuses, rateLimitRate: 0.02, retryAfterSeconds: 1, resetRate: 0.01, timeoutRate: 0.01, afterShare: 0.5, seed };
}

/** Switches the chaos mix on for every simulator of the sandbox (each with a seed of its own). */
export function injectChaos(sandbox: Sandbox, seed: number): void {
  sandbox.autotask.sim.setFaults(chaosFaults(seed));
  sandbox.ingram.server.setFaults(chaosFaults(seed + 1, [500, 502, 503]));
}

/** Faults injected so far, per simulator and kind. */
export function injectedFaults(sandbox: Sandbox): Record<string, Record<string, number>> {
  return { autotask: Object.fromEntries(sandbox.autotask.sim.injected), ingram: Object.fromEntries(sandbox.ingram.server.injected) };
}

export interface SandboxState {
  /** Per SKU: the product's fields and UDFs, and its vendor rows. */
  products: Record<string, unknown>;
  /** Per PO id (seeded, so equal in both runs): the PO and its items, product ids as SKUs. */
  purchaseOrders: Record<string, unknown>;
  /** Per customer order number: the distributor's orders and their lines. */
  distributorOrders: Record<string, unknown>;
  /** Rows per Autotask entity (a duplicate anywhere shows here). */
  counts: Record<string, number>;
}

export interface Duplicates {
  /** Products beyond the first for a SKU. */
  productsPerSku: number;
  /** ProductVendors rows beyond the first for a (product, vendor). */
  vendorRowsPerProduct: number;
  /** Orders placed more than once for a PO (a line ordered twice). */
  distributorOrdersPerPo: number;
}

export function duplicates(sandbox: Sandbox): Duplicates {
  const extra = (keys: string[]) => {
    const seen = new Map<string, number>();
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
    return [...seen.values()].reduce((n, c) => n + c - 1, 0);
  };
  const perPo = new Map<string, string[]>();
  for (const o of sandbox.ingram.orders.list()) {
    const lines = perPo.get(o.customerOrderNumber) ?? [];
    lines.push(...o.lines.map((l) => l.customerLineNumber));
    perPo.set(o.customerOrderNumber, lines);
  }
  return {
    productsPerSku: extra(sandbox.autotask.records('Products').map((p) => String(p.sku))),
    vendorRowsPerProduct: extra(sandbox.autotask.records('ProductVendors').map((v) => `${v.productID}/${v.vendorID}`)),
    // Each create repeats every line: the most repeated line of a PO says how many extra creates it got.
    distributorOrdersPerPo: [...perPo.values()].reduce((n, lines) => {
      const counts = new Map<string, number>();
      for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
      return n + Math.max(0, ...counts.values()) - 1;
    }, 0),
  };
}

export function sandboxState(sandbox: Sandbox): SandboxState {
  const { autotask } = sandbox;
  const entities = simEntities();
  const datetimes = (entity: string) => new Set(entities.get(entity.toLowerCase())?.fields.filter((f) => f.dataType === 'datetime').map((f) => f.name) ?? []);
  const tokens = distributorTokens(sandbox.ingram.orders.list());
  const clean = (entity: string, row: Record<string, unknown>, drop: string[] = [], text: (s: string) => string = (s) => s) => {
    const skip = new Set([...datetimes(entity), 'id', ...drop]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (!skip.has(k)) out[k] = typeof v === 'string' ? text(v) : v;
    return out;
  };

  const skuOf = new Map<number, string>();
  const vendorRows = new Map<number, Array<Record<string, unknown>>>();
  for (const v of autotask.records('ProductVendors')) {
    const list = vendorRows.get(Number(v.productID)) ?? [];
    list.push(clean('ProductVendors', v, ['productID']));
    vendorRows.set(Number(v.productID), list);
  }
  const products: Record<string, unknown> = {};
  for (const p of autotask.records('Products')) {
    const sku = String(p.sku);
    skuOf.set(p.id, sku);
    const view = autotask.store.view('Products', p);
    products[sku] = { ...clean('Products', view), vendors: sortJson(vendorRows.get(p.id) ?? []) };
  }

  const items = new Map<number, Array<Record<string, unknown>>>();
  for (const i of autotask.records('PurchaseOrderItems')) {
    const list = items.get(Number(i.orderID)) ?? [];
    list.push({ ...clean('PurchaseOrderItems', i, ['productID'], tokens), product: skuOf.get(Number(i.productID)) ?? `#${i.productID}` });
    items.set(Number(i.orderID), list);
  }
  const purchaseOrders: Record<string, unknown> = {};
  for (const po of autotask.records('PurchaseOrders')) purchaseOrders[po.id] = { ...clean('PurchaseOrders', po, [], tokens), items: sortJson(items.get(po.id) ?? []) };

  const distributorOrders: Record<string, unknown> = {};
  for (const [po, orders] of byPo(sandbox.ingram.orders.list())) {
    distributorOrders[po] = orders.map((o) => ({
      hold: o.hold, cancelled: o.cancelled, notes: o.notes, shipToInfo: o.shipToInfo, endUserInfo: o.endUserInfo,
      lines: o.lines.map((l) => ({ line: l.customerLineNumber, sku: l.sku, quantity: l.quantity, confirmed: l.confirmed, backordered: l.backordered, shipped: l.shipments.reduce((n, s) => n + s.quantity, 0) })),
    }));
  }

  const counts: Record<string, number> = {};
  for (const e of entities.values()) {
    const n = autotask.records(e.name).length;
    if (n) counts[e.name] = n;
  }
  return { products, purchaseOrders, distributorOrders, counts };
}

/** Where two states differ, as `section.key` lines with both values (shortened). */
export function stateDifferences(actual: SandboxState, expected: SandboxState): string[] {
  const out: string[] = [];
  for (const section of ['products', 'purchaseOrders', 'distributorOrders', 'counts'] as const) {
    const a = actual[section] as Record<string, unknown>;
    const b = expected[section] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = JSON.stringify(a[key] ?? null);
      const y = JSON.stringify(b[key] ?? null);
      if (x !== y) out.push(`${section}.${key}: ${firstDifference(x, y)}`);
    }
  }
  return out;
}

/** The distributor's orders per PO, in a stable order (by their first line). */
function byPo(orders: SimOrder[]): Map<string, SimOrder[]> {
  const out = new Map<string, SimOrder[]>();
  for (const o of orders) out.set(o.customerOrderNumber, [...(out.get(o.customerOrderNumber) ?? []), o]);
  for (const list of out.values()) list.sort((a, b) => firstLine(a).localeCompare(firstLine(b), undefined, { numeric: true }));
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })));
}

const firstLine = (o: SimOrder) => o.lines.map((l) => l.customerLineNumber).sort()[0] ?? '';

/**
 * Replaces what the distributor generates in the order it happens to be asked (order, tracking,
 * delivery and invoice numbers, the carrier drawn) with placeholders named after the PO, so text
 * the engine wrote back (external reference, memos) compares across runs.
 */
function distributorTokens(orders: SimOrder[]): (text: string) => string {
  const map = new Map<string, string>();
  for (const [po, list] of byPo(orders)) {
    list.forEach((o, k) => {
      map.set(o.ingramOrderNumber, `<order ${po}/${k + 1}>`);
      for (const l of o.lines) {
        for (const s of l.shipments) {
          map.set(s.trackingNumber, '<tracking>');
          map.set(s.deliveryNumber, '<delivery>');
          map.set(s.carrierName, '<carrier>');
          if (s.invoiceNumber) map.set(s.invoiceNumber, '<invoice>');
          for (const serial of s.serials) map.set(serial, '<serial>');
        }
      }
    });
  }
  // Longest first, so a number that contains another is replaced whole.
  const keys = [...map.keys()].filter(Boolean).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const k of keys) if (out.includes(k)) out = out.split(k).join(map.get(k)!);
    return out;
  };
}

function sortJson<T>(list: T[]): T[] {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `${a.slice(from, i + 80)} ≠ ${b.slice(from, i + 80)}`;
}
