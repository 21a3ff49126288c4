// Simulated Ingram orders: creation with address checks, line rejections, duplicate-PO refusal and
// warehouse splits; a search that shows new orders after a lag; a lifecycle that advances on a clock
// (`msPerStep`) or on command; cancellation only while on customer hold. Vendor-shaped bodies are
// built in order-records.ts.
import {
  INGRAM_ADDRESS_MAX, INGRAM_ADDRESS_REQUIRED, INGRAM_STATE_REQUIRED_COUNTRIES, type IngramAddress, type OrderCreateRequest,
} from '../schemas';
import { simDate, type CatalogGenerator, type SimProduct } from './catalog';
import { CARRIERS, WAREHOUSES } from './catalog-data';
import { Sequence } from './random';

export interface SimShipment {
  quantity: number;
  deliveryNumber: string;
  shippedDate: string;
  warehouseId: string;
  location: string;
  carrierCode: string;
  carrierName: string;
  trackingNumber: string;
  trackingUrl: string;
  serials: string[];
  deliveredDate?: string;
  invoiceNumber?: string;
  invoiceDate?: string;
}

export interface SimOrderLine {
  ingramLineNumber: string;
  customerLineNumber: string;
  sku: string;
  mpn?: string;
  upc?: string;
  vendorName: string;
  description?: string;
  unitPrice: number;
  quantity: number;
  confirmed: number;
  backordered: number;
  backorderEta?: string;
  warehouseId: string;
  shipments: SimShipment[];
}

export interface SimOrder {
  ingramOrderNumber: string;
  customerOrderNumber: string;
  endCustomerOrderNumber?: string;
  createdAt: string;
  currency: string;
  hold: boolean;
  cancelled: boolean;
  notes?: string;
  shipToInfo?: Record<string, string>;
  endUserInfo?: Record<string, string>;
  lines: SimOrderLine[];
  /** Clock time of the last automatic step. */
  lastStepAt: number;
  /** Clock time of creation: the search shows the order from `createdAtMs + searchLagMs`. */
  createdAtMs: number;
}

export interface RejectedLine {
  customerLineNumber: string;
  sku: string;
  quantity: number;
  code: string;
  reason: string;
}

export type CreateOutcome =
  | { kind: 'created'; orders: SimOrder[]; rejected: RejectedLine[] }
  | { kind: 'duplicate' }
  | { kind: 'all-rejected'; rejected: RejectedLine[] }
  | { kind: 'invalid'; message: string; field: string }
  | { kind: 'invalid-fields'; fields: Array<{ field: string; value?: string; message: string }> };

export interface OrderSettings {
  /** Lines stocked in different warehouses become separate Ingram orders. */
  splitOrders: boolean;
  /** Automatic lifecycle step every this many ms (0 = only on command). */
  msPerStep: number;
  /**
   * How long a new order stays invisible to the order search. Unverified: Ingram does not document
   * it; a lag is assumed because the search reads a different store from order creation (ERP sync).
   */
  searchLagMs: number;
}

export const ADVANCE_ACTIONS = ['next', 'hold', 'release', 'backorder', 'partial', 'ship', 'deliver', 'invoice'] as const;
export type AdvanceAction = (typeof ADVANCE_ACTIONS)[number];

export const REJECT = {
  unknown: { code: 'IS', reason: 'Invalid SKU: the Ingram part number was not found.' },
  discontinued: { code: 'DS', reason: 'Product is discontinued and can no longer be ordered.' },
  noPrice: { code: 'NP', reason: 'Product has no valid price and cannot be ordered.' },
  quantity: { code: 'IQ', reason: 'Quantity must be a positive whole number.' },
  noBackorder: { code: 'NS', reason: 'Insufficient stock and backorders are not accepted.' },
} as const;

export class OrderBook {
  private readonly orders = new Map<string, SimOrder>();
  private seq: Sequence;
  private counter = 0;

  constructor(private readonly catalog: CatalogGenerator, public settings: OrderSettings, private readonly now: () => number = Date.now) {
    this.seq = new Sequence(catalog.settings.seed, 77);
  }

  reset(): void {
    this.orders.clear();
    this.counter = 0;
    this.seq = new Sequence(this.catalog.settings.seed, 77);
  }

  list(): SimOrder[] {
    return [...this.orders.values()].map((o) => this.tick(o));
  }

  get(orderNumber: string): SimOrder | undefined {
    const o = this.orders.get(orderNumber.toUpperCase());
    return o && this.tick(o);
  }

  byCustomerOrderNumber(po: string): SimOrder[] {
    return this.list().filter((o) => o.customerOrderNumber === po);
  }

  /** What the order search shows now: orders older than `searchLagMs`. */
  searchable(): SimOrder[] {
    const now = this.now();
    return this.list().filter((o) => now - o.createdAtMs >= this.settings.searchLagMs);
  }

  create(req: OrderCreateRequest): CreateOutcome {
    const po = req.customerOrderNumber;
    if (!po) return { kind: 'invalid', field: 'customerOrderNumber', message: 'customerOrderNumber is required.' };
    if (!req.lines?.length) return { kind: 'invalid', field: 'lines', message: 'At least one order line is required.' };
    const fields = [
      ...(req.shipToInfo ? addressProblems(req.shipToInfo, 'shipToInfo') : []),
      ...(req.endUserInfo ? addressProblems(req.endUserInfo, 'endUserInfo') : []),
    ];
    if (fields.length) return { kind: 'invalid-fields', fields };
    const allowDuplicate = ((req as { additionalAttributes?: Array<{ attributeName?: string; attributeValue?: string }> }).additionalAttributes ?? [])
      .some((a) => a.attributeName === 'allowDuplicateCustomerOrderNumber' && /^true$/i.test(a.attributeValue ?? ''));
    if (!allowDuplicate && [...this.orders.values()].some((o) => o.customerOrderNumber === po)) return { kind: 'duplicate' };

    const acceptBackOrder = req.acceptBackOrder ?? true;
    const accepted: Array<{ line: SimOrderLine; product: SimProduct }> = [];
    const rejected: RejectedLine[] = [];
    req.lines.forEach((l, i) => {
      const customerLineNumber = l.customerLineNumber ?? String(i + 1);
      const reject = (r: { code: string; reason: string }) => rejected.push({ customerLineNumber, sku: l.ingramPartNumber ?? '', quantity: l.quantity ?? 0, ...r });
      const product = l.ingramPartNumber ? this.catalog.findBySku(l.ingramPartNumber) : undefined;
      if (!product) return reject(REJECT.unknown);
      if (!Number.isInteger(l.quantity) || l.quantity < 1) return reject(REJECT.quantity);
      if (product.discontinued) return reject(REJECT.discontinued);
      if (!(product.cost > 0) || product.cost >= 1_000_000) return reject(REJECT.noPrice);
      const stocked = [...product.warehouses].sort((a, b) => b.quantity - a.quantity)[0];
      const available = product.digital ? l.quantity : stocked?.quantity ?? 0;
      const confirmed = Math.min(l.quantity, available);
      if (confirmed < l.quantity && !acceptBackOrder) return reject(REJECT.noBackorder);
      accepted.push({
        product,
        line: {
          ingramLineNumber: '',
          customerLineNumber,
          sku: product.sku,
          mpn: product.mpn,
          upc: product.upc,
          vendorName: product.vendor,
          description: product.description,
          unitPrice: product.cost,
          quantity: l.quantity,
          confirmed,
          backordered: l.quantity - confirmed,
          backorderEta: confirmed < l.quantity ? simDate(this.catalog.day + 10) : undefined,
          warehouseId: stocked?.id ?? WAREHOUSES[0].id,
          shipments: [],
        },
      });
    });
    if (!accepted.length) return { kind: 'all-rejected', rejected };
    // Products whose catalog record says `endUserRequired` (P&A: `endUserInfoRequired`), here the
    // digital licences, need the end user (spec descriptions of those fields). Refusing the whole order
    // with 400 rather than the line, and only for lines that could otherwise be ordered, is our reading: unverified.
    const needEndUser = req.endUserInfo ? [] : accepted.filter((a) => a.product.digital);
    if (needEndUser.length) {
      return { kind: 'invalid-fields', fields: needEndUser.map((a) => ({ field: 'endUserInfo', value: a.product.sku, message: `End user information is required for ${a.product.sku}.` })) };
    }

    const groups = new Map<string, SimOrderLine[]>();
    for (const { line } of accepted) {
      const key = this.settings.splitOrders ? line.warehouseId : 'all';
      groups.set(key, [...(groups.get(key) ?? []), line]);
    }
    const created: SimOrder[] = [];
    for (const lines of groups.values()) {
      lines.forEach((l, i) => (l.ingramLineNumber = String(i + 1).padStart(3, '0')));
      const order: SimOrder = {
        ingramOrderNumber: this.nextOrderNumber(),
        customerOrderNumber: po,
        endCustomerOrderNumber: req.endCustomerOrderNumber,
        createdAt: new Date(this.now()).toISOString(),
        currency: accepted[0].product.currency,
        hold: false,
        cancelled: false,
        notes: req.notes,
        shipToInfo: req.shipToInfo as Record<string, string> | undefined,
        endUserInfo: req.endUserInfo as Record<string, string> | undefined,
        lines,
        lastStepAt: this.now(),
        createdAtMs: this.now(),
      };
      this.orders.set(order.ingramOrderNumber, order);
      created.push(order);
    }
    return { kind: 'created', orders: created, rejected };
  }

  /** DELETE: only an order on customer hold can be cancelled. */
  cancel(orderNumber: string): 'cancelled' | 'not-found' | 'not-on-hold' {
    const o = this.get(orderNumber);
    if (!o) return 'not-found';
    if (o.cancelled || !o.hold) return 'not-on-hold';
    o.cancelled = true;
    o.hold = false;
    return 'cancelled';
  }

  /** Admin and `simulateStatus`: move an order along or force a scenario. */
  advance(orderNumber: string, action: AdvanceAction = 'next', lineNumber?: string): SimOrder | string {
    const o = this.get(orderNumber);
    if (!o) return 'not-found';
    if (o.cancelled) return 'order is cancelled';
    const lines = lineNumber ? o.lines.filter((l) => l.customerLineNumber === lineNumber || l.ingramLineNumber === lineNumber) : o.lines;
    if (lineNumber && !lines.length) return `no line ${lineNumber}`;
    switch (action) {
      case 'next':
        if (o.hold) return 'order is on hold; release it first';
        this.step(o);
        break;
      case 'hold':
        if (o.lines.some((l) => l.shipments.length)) return 'order has shipped; it can no longer be held';
        o.hold = true;
        break;
      case 'release':
        o.hold = false;
        o.lastStepAt = this.now();
        break;
      case 'backorder':
        for (const l of lines) {
          const unshipped = l.confirmed - shipped(l);
          l.backordered += unshipped;
          l.confirmed -= unshipped;
          if (l.backordered) l.backorderEta = simDate(this.catalog.day + 14);
        }
        break;
      case 'partial': {
        if (o.hold) return 'order is on hold; release it first';
        const open = lines.filter((l) => l.confirmed - shipped(l) > 0);
        const total = o.lines.reduce((n, l) => n + l.quantity, 0);
        const first = open[0];
        if (!first || total < 2) return 'nothing can ship partially';
        const left = first.confirmed - shipped(first);
        const qty = left >= 2 ? Math.floor(left / 2) : left;
        if (qty + o.lines.reduce((n, l) => n + shipped(l), 0) >= total) return 'nothing can ship partially';
        this.ship(first, qty);
        break;
      }
      case 'ship':
      case 'deliver':
      case 'invoice': {
        if (o.hold) return 'order is on hold; release it first';
        const done = (x: SimOrder) =>
          action === 'ship' ? x.lines.every((l) => shipped(l) >= l.quantity)
            : action === 'deliver' ? x.lines.every((l) => shipped(l) >= l.quantity && l.shipments.every((s) => s.deliveredDate))
              : x.lines.every((l) => shipped(l) >= l.quantity && l.shipments.every((s) => s.invoiceNumber));
        for (let i = 0; i < 10 && !done(o); i++) this.step(o);
        break;
      }
    }
    return o;
  }

  /** One lifecycle step: ship what is confirmed; else receive backorders and ship; else deliver; else invoice. */
  private step(o: SimOrder): void {
    if (o.cancelled || o.hold) return;
    const open = o.lines.filter((l) => l.confirmed - shipped(l) > 0);
    if (open.length) {
      for (const l of open) this.ship(l, l.confirmed - shipped(l));
      return;
    }
    const back = o.lines.filter((l) => l.backordered > 0);
    if (back.length) {
      for (const l of back) {
        const qty = l.backordered;
        l.confirmed += qty;
        l.backordered = 0;
        l.backorderEta = undefined;
        this.ship(l, qty);
      }
      return;
    }
    const undelivered = o.lines.flatMap((l) => l.shipments).filter((s) => !s.deliveredDate);
    if (undelivered.length) {
      for (const s of undelivered) s.deliveredDate = this.today();
      return;
    }
    const uninvoiced = o.lines.flatMap((l) => l.shipments).filter((s) => !s.invoiceNumber);
    if (uninvoiced.length) {
      const invoice = `${o.ingramOrderNumber.slice(0, 2)}-${String(this.seq.next() % 10_000_000).padStart(7, '0')}`;
      for (const s of uninvoiced) {
        s.invoiceNumber = invoice;
        s.invoiceDate = this.today();
      }
    }
  }

  private ship(l: SimOrderLine, quantity: number): void {
    const carrier = CARRIERS[this.seq.next() % CARRIERS.length];
    const tracking = this.seq.pattern(carrier.tracking);
    const warehouse = WAREHOUSES.find((w) => w.id === l.warehouseId) ?? WAREHOUSES[0];
    l.shipments.push({
      quantity,
      deliveryNumber: String(8_000_000_000 + (this.seq.next() % 1_000_000_000)),
      shippedDate: this.today(),
      warehouseId: warehouse.id,
      location: warehouse.location,
      carrierCode: carrier.code,
      carrierName: carrier.name,
      trackingNumber: tracking,
      trackingUrl: `${carrier.url}${tracking}`,
      serials: Array.from({ length: Math.min(quantity, 50) }, () => this.seq.pattern('xxxxxxxxxx')),
    });
  }

  /** Applies the automatic steps due since the last one. */
  private tick(o: SimOrder): SimOrder {
    const every = this.settings.msPerStep;
    if (!every || o.hold || o.cancelled) return o;
    const due = Math.floor((this.now() - o.lastStepAt) / every);
    for (let i = 0; i < Math.min(due, 10); i++) this.step(o);
    if (due > 0) o.lastStepAt += due * every;
    return o;
  }

  private nextOrderNumber(): string {
    this.counter++;
    return `20-${(this.counter * 7919 + (this.catalog.settings.seed % 1000)).toString(36).toUpperCase().padStart(5, '0')}`;
  }

  private today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }
}

export function shipped(l: SimOrderLine): number {
  return l.shipments.reduce((n, s) => n + s.quantity, 0);
}

/**
 * Ingram header (and sub-order) status. The spec's values: Shipped, Canceled, Backordered, Processing,
 * On Hold, Delivered — there is no "Partially Shipped" and no "Invoiced" (invoices are shipment
 * details). An order with some quantity shipped is Shipped, as its line is in the spec's order-status
 * webhook example (`im::order_shipped`, line `IM::shipped` with 2 of 3 shipped and 1 backordered);
 * Delivered once everything is (unverified for partly delivered orders).
 */
export function orderStatus(o: SimOrder): string {
  if (o.cancelled) return 'Canceled';
  if (o.hold) return 'On Hold';
  const all = o.lines.flatMap((l) => l.shipments);
  const complete = o.lines.every((l) => shipped(l) >= l.quantity);
  if (complete && all.every((s) => s.deliveredDate)) return 'Delivered';
  if (all.length) return 'Shipped';
  if (o.lines.some((l) => l.backordered > 0)) return 'Backordered';
  return 'Processing';
}

/** Ingram line status (spec): Backordered, In Progress, Shipped, Delivered, Canceled, On Hold. A line shipped in part is Shipped (the webhook example above). */
export function lineStatus(o: SimOrder, l: SimOrderLine): string {
  if (o.cancelled) return 'Canceled';
  if (o.hold) return 'On Hold';
  if (shipped(l) >= l.quantity) return l.shipments.every((s) => s.deliveredDate) ? 'Delivered' : 'Shipped';
  if (shipped(l) > 0) return 'Shipped';
  if (l.backordered > 0) return 'Backordered';
  return 'In Progress';
}

/** Ingram's limits on an address (spec maxLength; required fields as in ../schemas.ts). */
export function addressProblems(a: IngramAddress, field: 'shipToInfo' | 'endUserInfo'): Array<{ field: string; value?: string; message: string }> {
  const out: Array<{ field: string; value?: string; message: string }> = [];
  const has = (k: keyof IngramAddress) => typeof a[k] === 'string' && a[k]!.trim() !== '';
  for (const k of INGRAM_ADDRESS_REQUIRED) if (!has(k)) out.push({ field: `${field}.${k}`, message: `${k} is required.` });
  if (INGRAM_STATE_REQUIRED_COUNTRIES.includes(a.countryCode ?? '') && !has('state')) out.push({ field: `${field}.state`, message: 'state is required.' });
  for (const [k, max] of Object.entries(INGRAM_ADDRESS_MAX) as Array<[keyof IngramAddress, number | undefined]>) {
    const v = a[k];
    if (max !== undefined && typeof v === 'string' && v.length > max) out.push({ field: `${field}.${k}`, value: v, message: `${k} must be at most ${max} characters.` });
  }
  return out;
}
