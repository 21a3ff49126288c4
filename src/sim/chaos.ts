// Chaos on the sandbox: the fault mix a real API shows now and then (issue 11), switched on for
// every simulator, and the simulators' final state in a form two runs can be compared by. Ids,
// times and the distributor's generated numbers differ between runs; what the engine decided
// (which products, which values, which orders, which lines, which statuses) must not.
import { simEntities } from '../autotask/sim/entities';
import type { SimOrder } from '../distributors/ingram/sim';
import type { ExportDocument } from '../exports/documents';
import type { SimRecord } from '../autotask/sim/store';
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

/**
 * Switches the chaos mix on for every simulator of the sandbox (each with a seed of its own). CloudBlue's
 * gateway and a webhook receiver answer with 500, 502 and 503 alike (unverified for both: the usual
 * set of an API behind a gateway or load balancer).
 */
export function injectChaos(sandbox: Sandbox, seed: number): void {
  sandbox.autotask.sim.setFaults(chaosFaults(seed));
  sandbox.ingram.server.setFaults(chaosFaults(seed + 1, [500, 502, 503]));
  if (sandbox.simulators.has('cloudblue')) sandbox.cloudblue.server.setFaults(chaosFaults(seed + 2, [500, 502, 503]));
  if (sandbox.simulators.has('webhook')) sandbox.webhook.setFaults(chaosFaults(seed + 3, [500, 502, 503]));
}

/** Faults injected so far, per simulator and kind. */
export function injectedFaults(sandbox: Sandbox): Record<string, Record<string, number>> {
  return {
    autotask: Object.fromEntries(sandbox.autotask.sim.injected),
    ingram: Object.fromEntries(sandbox.ingram.server.injected),
    ...(sandbox.simulators.has('cloudblue') ? { cloudblue: Object.fromEntries(sandbox.cloudblue.server.injected) } : {}),
    ...(sandbox.simulators.has('webhook') ? { webhook: Object.fromEntries(sandbox.webhook.sim.injected) } : {}),
  };
}

export interface SandboxState {
  /** Per SKU: the product's fields and UDFs, and its vendor rows. */
  products: Record<string, unknown>;
  /** Per PO id (seeded, so equal in both runs): the PO and its items, product ids as SKUs. */
  purchaseOrders: Record<string, unknown>;
  /** Per customer order number: the distributor's orders and their lines. */
  distributorOrders: Record<string, unknown>;
  /** Per `contract/service` (names): the contract service, its adjustments and its service units. */
  contractServices: Record<string, unknown>;
  /** Per contract name: its charges. */
  contractCharges: Record<string, unknown>;
  /** Per exported record (`customer:<company name>`, `contract:<contract name>`): the documents received, by version. */
  exportedDocuments: Record<string, unknown>;
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
  /**
   * ContractServiceAdjustments beyond the first for one intent. Autotask keeps no key on an adjustment
   * (create-only, no reference field), so an intent is its natural key: contract service and effective
   * day (the chaos run makes at most one change per subscription a day, each on a contract service of its own).
   */
  adjustmentsPerIntent: number;
  /** ContractCharges beyond the first for one intent key (the engine writes it to internalPurchaseOrderNumber). */
  chargesPerIntent: number;
  /** Versions of a record's document exported again with the content of the version before (a new key for nothing new). */
  exportedDocumentsPerVersion: number;
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
    adjustmentsPerIntent: extra(sandbox.autotask.records('ContractServiceAdjustments').map((a) => `${a.contractServiceID}/${day(a.effectiveDate)}`)),
    chargesPerIntent: extra(sandbox.autotask.records('ContractCharges').map((c) => String(c.internalPurchaseOrderNumber ?? `${c.contractID}/${c.name}/${day(c.datePurchased)}`))),
    exportedDocumentsPerVersion: [...exportedByRecord(sandbox).values()].reduce((n, docs) => {
      const bodies = docs.map((d) => JSON.stringify(documentBody(d)));
      return n + bodies.filter((b, i) => i > 0 && b === bodies[i - 1]).length;
    }, 0),
  };
}

const day = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : String(v));

/** The documents the webhook receiver kept (one per idempotency key), per record, in version order. */
function exportedByRecord(sandbox: Sandbox): Map<string, ExportDocument[]> {
  if (!sandbox.simulators.has('webhook')) return new Map();
  const out = groupBy(sandbox.webhook.documents(), (d) => (d.type === 'contract.upserted' ? `contract:${d.contract.autotaskContractId}` : `customer:${d.customer.autotaskCompanyId}`));
  for (const list of out.values()) list.sort((a, b) => a.version - b.version);
  return out;
}

/** `items` grouped by `keyOf`, each as `valueOf` makes it, in their order. */
function groupBy<T, K, V = T>(items: Iterable<T>, keyOf: (item: T) => K, valueOf: (item: T) => V = (item) => item as unknown as V): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(valueOf(item));
    else out.set(key, [valueOf(item)]);
  }
  return out;
}

/** A document without its identity (key and source name the connector, which differs between runs). */
function documentBody(d: ExportDocument): Record<string, unknown> {
  const { idempotencyKey: _key, source: _source, version: _version, ...body } = d;
  return body;
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
  return { products, purchaseOrders, distributorOrders, ...subscriptionState(sandbox), exportedDocuments: exportedState(sandbox), counts };
}

const nameOf = (records: SimRecord[], field: string) => new Map(records.map((r) => [r.id, String(r[field])]));
/** What differs between runs without the engine deciding it: ids, and the times Autotask stamps a write with. */
const STAMPS = ['id', 'contractID', 'serviceID', 'contractServiceID', 'createDate', 'creatorResourceID', 'statusLastModifiedDate', 'statusLastModifiedBy', 'approveAndPostDate'];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const INTENT_KEY = /\bsub:[0-9a-f]{32}\b/g;

/** Contract services (with their adjustments and units) and charges, by contract, service and company names. */
function subscriptionState(sandbox: Sandbox): Pick<SandboxState, 'contractServices' | 'contractCharges'> {
  const { autotask } = sandbox;
  const contracts = nameOf(autotask.records('Contracts'), 'contractName');
  const services = nameOf(autotask.records('Services'), 'name');
  // Text may name a marketplace report, whose id the simulator draws at random (a UUID), or carry an
  // intent key, which hashes the connector's id (src/subscriptions/intent-key.ts): compared without them.
  const text = (v: string) => v.replace(UUID, '<uuid>').replace(INTENT_KEY, '<intent>');
  const strip = (row: SimRecord) => Object.fromEntries(Object.entries(row).filter(([k]) => !STAMPS.includes(k)).map(([k, v]) => [k, typeof v === 'string' ? text(v) : v]));
  const under = (entity: string) => groupBy(autotask.records(entity), (r) => Number(r.contractServiceID), strip);
  const adjustments = under('ContractServiceAdjustments');
  const units = under('ContractServiceUnits');
  const contractServices: Record<string, unknown> = {};
  for (const cs of autotask.records('ContractServices')) {
    // A service on a contract more than once (allowRepeatService) gets a number, in creation order.
    let key = `${contracts.get(Number(cs.contractID))}/${services.get(Number(cs.serviceID))}`;
    for (let k = 2; key in contractServices; k++) key = `${key.replace(/ #\d+$/, '')} #${k}`;
    contractServices[key] = { ...strip(cs), adjustments: sortJson(adjustments.get(cs.id) ?? []), units: sortJson(units.get(cs.id) ?? []) };
  }
  const contractCharges: Record<string, Array<Record<string, unknown>>> = {};
  for (const c of autotask.records('ContractCharges')) (contractCharges[contracts.get(Number(c.contractID)) ?? `#${c.contractID}`] ??= []).push(strip(c));
  for (const [k, list] of Object.entries(contractCharges)) contractCharges[k] = sortJson(list);
  return { contractServices, contractCharges };
}

/** The exported documents per record, ids replaced by the company's and contract's names. */
function exportedState(sandbox: Sandbox): Record<string, unknown> {
  const companies = nameOf(sandbox.autotask.records('Companies'), 'companyName');
  const contracts = nameOf(sandbox.autotask.records('Contracts'), 'contractName');
  const out: Record<string, unknown> = {};
  for (const docs of exportedByRecord(sandbox).values()) {
    const d = docs[0];
    const key = d.type === 'contract.upserted' ? `contract:${contracts.get(d.contract.autotaskContractId)}` : `customer:${companies.get(d.customer.autotaskCompanyId)}`;
    out[key] = docs.map((doc) => {
      const body = documentBody(doc);
      const record = (doc.type === 'contract.upserted' ? { ...doc.contract, autotaskContractId: undefined, autotaskCompanyId: companies.get(doc.contract.autotaskCompanyId) } : { ...doc.customer, autotaskCompanyId: undefined });
      return { ...body, version: doc.version, [doc.type === 'contract.upserted' ? 'contract' : 'customer']: record };
    });
  }
  return out;
}

/** Where two states differ, as `section.key` lines with both values (shortened). */
export function stateDifferences(actual: SandboxState, expected: SandboxState): string[] {
  const out: string[] = [];
  for (const section of ['products', 'purchaseOrders', 'distributorOrders', 'contractServices', 'contractCharges', 'exportedDocuments', 'counts'] as const) {
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
