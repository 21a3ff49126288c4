// The simulator's orders, moved along by a simulated clock:
//   accepted → (1 h) processing → (1 day) shipped, or shipped in part and backordered (ETA + 5 days),
//   or backordered → (at the ETA) the rest ships in a second package → (1 day after the last shipment) invoiced.
// Lines whose stock sits in different warehouses get different sales order numbers (a split order).
// TD SYNNEX's line codes for these stages are [unverified] except "accepted" (seen in a sample answer).
import type { OrderRequestRecord } from '../schemas';
import { DAY_MS, SIM_EPOCH, type SimCatalog } from './catalog';

const HOUR_MS = 3_600_000;
export type LineCode = 'accepted' | 'processing' | 'backordered' | 'shipped' | 'invoiced' | 'rejected';

export interface SimPackage {
  trackingNumber: string;
  quantity: number;
  serials: string[];
  shippedAt: number;
}

export interface SimLine {
  lineNumber: string;
  sku: string;
  mpn: string;
  description: string;
  quantity: number;
  unitPrice: number;
  warehouse: string;
  orderNumber: string | null;
  code: LineCode;
  reason?: string;
  shipped: number;
  /** Units that can ship at the processing step (stock when the order came). */
  available: number;
  eta: number | null;
  packages: SimPackage[];
  invoiceNumber: string | null;
}

export interface SimOrder {
  po: string;
  createdAt: number;
  stage: 'accepted' | 'processing' | 'shipping' | 'shipped' | 'invoiced';
  nextAt: number;
  lines: SimLine[];
  shipMethod: string;
  /** What was asked for, parsed (tests inspect addresses). */
  request: OrderRequestRecord;
}

export type CreateOutcome = { kind: 'duplicate' } | { kind: 'rejected'; lines: SimLine[] } | { kind: 'accepted'; order: SimOrder };

export class OrderBook {
  private readonly orders = new Map<string, SimOrder>();
  private nextOrderNumber = 43_061_107;
  private nextInvoice = 80_012_000;
  private nextTracking = 1;
  /** Simulated time, ms since the epoch. */
  now = SIM_EPOCH;
  /** Order requests received (accepted, rejected or duplicate): what "submitted exactly once" counts. */
  submits = 0;
  /** Real time of each order's last real-time step (with `msPerStep`). */
  private readonly steppedAt = new Map<string, number>();

  /** `msPerStep` > 0: besides the simulated clock, every order takes a step per that many real ms (benchmarks). */
  constructor(private readonly catalog: () => SimCatalog, private readonly day: () => number, private readonly msPerStep = 0) {}

  get(po: string): SimOrder | undefined {
    const o = this.orders.get(po);
    if (o) this.catchUp(o);
    return o;
  }

  list(): SimOrder[] {
    for (const o of this.orders.values()) this.catchUp(o);
    return [...this.orders.values()];
  }

  create(req: OrderRequestRecord): CreateOutcome {
    this.submits++;
    // Whether TD SYNNEX refuses a reused PO number is not documented: the simulator does [unverified].
    if (this.orders.has(req.ponumber)) return { kind: 'duplicate' };
    const catalog = this.catalog();
    const backOrders = req.backorderflag !== 'N';
    const numbers = new Map<string, string>();
    const lines = req.items.item.map((item): SimLine => {
      const quantity = Number(item.orderquantity);
      const index = catalog.indexOf(item.sku);
      const rec = index === null ? null : catalog.record(index, this.day());
      const line: SimLine = {
        lineNumber: item['@_linenumber'], sku: item.sku, mpn: rec?.mpn ?? '', description: rec?.description ?? '', quantity,
        unitPrice: item.unitprice ? Number(item.unitprice) : rec?.contractPrice ?? 0, warehouse: '', orderNumber: null, code: 'accepted',
        shipped: 0, available: 0, eta: null, packages: [], invoiceNumber: null,
      };
      const reject = (reason: string) => Object.assign(line, { code: 'rejected' as const, reason });
      if (!rec || rec.bad === 'no-sku') return reject(`SKU ${item.sku} is not valid`);
      if (rec.status === 'D') return reject(`SKU ${item.sku} is discontinued`);
      const best = [...rec.warehouses].sort((a, b) => b.quantity - a.quantity)[0];
      if ((best?.quantity ?? 0) === 0 && !backOrders) return reject('Out of stock and back orders are not accepted');
      line.warehouse = String(best?.col ?? 19);
      line.available = Math.min(quantity, best?.quantity ?? 0);
      if (!numbers.has(line.warehouse)) numbers.set(line.warehouse, String(this.nextOrderNumber++));
      line.orderNumber = numbers.get(line.warehouse)!;
      return line;
    });
    if (lines.every((l) => l.code === 'rejected')) return { kind: 'rejected', lines };
    const order: SimOrder = { po: req.ponumber, createdAt: this.now, stage: 'accepted', nextAt: this.now + HOUR_MS, lines, shipMethod: req.shipment.shipmethod.code, request: req };
    this.orders.set(order.po, order);
    this.steppedAt.set(order.po, Date.now());
    return { kind: 'accepted', order };
  }

  /** The steps due in real time (with `msPerStep`), each at the simulated time it was due. Read lazily, as Ingram's. */
  private catchUp(o: SimOrder): void {
    if (!this.msPerStep) return;
    const since = this.steppedAt.get(o.po) ?? Date.now();
    const due = Math.floor((Date.now() - since) / this.msPerStep);
    for (let i = 0; i < due && o.stage !== 'invoiced'; i++) this.step(o, Math.max(this.now, o.nextAt));
    if (due > 0) this.steppedAt.set(o.po, since + due * this.msPerStep);
  }

  /** Moves the clock; every order takes the steps that came due. */
  advanceClock(ms: number): void {
    this.now += ms;
    for (const o of this.orders.values()) {
      while (o.stage !== 'invoiced' && o.nextAt <= this.now) this.step(o, o.nextAt);
    }
  }

  /** Takes an order's next step now, whatever the clock says. */
  advance(po: string): SimOrder | undefined {
    const o = this.orders.get(po);
    if (o && o.stage !== 'invoiced') this.step(o, this.now);
    return o;
  }

  private step(o: SimOrder, at: number): void {
    const live = o.lines.filter((l) => l.code !== 'rejected');
    switch (o.stage) {
      case 'accepted':
        for (const l of live) l.code = 'processing';
        o.stage = 'processing';
        o.nextAt = at + DAY_MS;
        return;
      case 'processing':
        for (const l of live) {
          if (l.available > 0) this.ship(o, l, l.available, at);
          if (l.shipped < l.quantity) {
            l.code = 'backordered';
            l.eta = at + 5 * DAY_MS;
          }
        }
        this.afterShipping(o, at);
        return;
      case 'shipping':
        for (const l of live) if (l.shipped < l.quantity && l.eta !== null && l.eta <= Math.max(at, o.nextAt)) this.ship(o, l, l.quantity - l.shipped, at);
        this.afterShipping(o, at);
        return;
      case 'shipped': {
        const invoices = new Map<string, string>();
        for (const l of live) {
          if (!invoices.has(l.orderNumber!)) invoices.set(l.orderNumber!, String(this.nextInvoice++));
          l.invoiceNumber = invoices.get(l.orderNumber!)!;
          l.code = 'invoiced';
        }
        o.stage = 'invoiced';
        o.nextAt = Number.POSITIVE_INFINITY;
        return;
      }
    }
  }

  private afterShipping(o: SimOrder, at: number): void {
    const open = o.lines.filter((l) => l.code !== 'rejected' && l.shipped < l.quantity);
    if (open.length) {
      o.stage = 'shipping';
      o.nextAt = Math.min(...open.map((l) => l.eta ?? at + DAY_MS));
    } else {
      o.stage = 'shipped';
      o.nextAt = at + DAY_MS;
    }
  }

  /** One package per shipment; serial numbers per unit. */
  private ship(o: SimOrder, l: SimLine, quantity: number, at: number): void {
    const n = this.nextTracking++;
    const serials = Array.from({ length: quantity }, (_, k) => `SN${l.sku}${String(n).padStart(4, '0')}${String(k + 1).padStart(3, '0')}`);
    l.packages.push({ trackingNumber: `1Z999AA1${String(n).padStart(10, '0')}`, quantity, serials, shippedAt: at });
    l.shipped += quantity;
    l.code = l.shipped >= l.quantity ? 'shipped' : 'backordered';
    if (l.shipped >= l.quantity) l.eta = null;
  }
}
