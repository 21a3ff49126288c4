// The simulated marketplace: customers, the catalog, subscriptions, orders and rated-data reports over a simulated
// clock. It is also the typed handle tests and the sandbox use to make things happen ("customer 7 adds 5 seats on
// the 12th": `market.changeQuantity(subscriptionId, +5, '2026-03-12')`).
//
// Rules and their sources:
// - Order types sales/change/renewal/cancellation/migration and statuses submitted/processing/error/completed/
//   cancelled: spec (`Order.type`, `Order.status`). An order's effect on its subscription applies when it completes.
// - Subscription statuses pending/active/hold/terminated/removed: spec (`Subscription.status`).
// - Renewal orders at the end of every subscription period of auto-renewing subscriptions, and one rated-data report
//   per month for usage-billed subscriptions, created on the 1st at 02:00 UTC: CloudBlue behaviour as described in
//   its docs (renewal orders; periodic rated-data exports); the timing is our choice [unverified].
// - Internal status codes (`statusCode`) SB/PR/ER/CP/CL: `CP` and `CL` are the spec's examples, the rest ours [unverified].
import { randomUUID } from 'node:crypto';
import type { OrderStatus, OrderType } from '../schemas';
import { buildCatalog, type SimProductDef } from './catalog';
import { seededRandom } from '../../../sim/kit/random';

export type Currency = 'EUR' | 'GBP';
export type SubStatus = 'pending' | 'active' | 'hold' | 'terminated' | 'removed';

export interface SimCustomer {
  id: string;
  externalId?: string;
  name: string;
  status: 'pending' | 'active' | 'creditHold' | 'adminHold' | 'cancelled' | 'error';
  language: string;
  taxRegId?: string;
  address: { streetAddress: string; addressExtension?: string; postalCode: string; city: string; state?: string; countryCode: string };
  contactPersons: Array<{ type: 'admin' | 'billing' | 'technical'; firstName: string; lastName: string; email: string; phoneNumber: string }>;
  attributes?: Record<string, string>;
}

export interface SimSubscription {
  id: string;
  customerId: string;
  productId: string;
  quantity: number;
  status: SubStatus;
  currency: Currency;
  autoRenew: boolean;
  /** Dates `YYYY-MM-DD`. */
  creationDate: string;
  lastModifiedDate: string;
  /** Start of the current subscription period. */
  periodStart: string;
  renewalDate: string;
}

export interface SimOrder {
  id: string;
  orderNumber: string;
  type: Exclude<OrderType, 'unknown'>;
  customerId: string;
  subscriptionId: string;
  /** ISO date-time `YYYY-MM-DDTHH:MM:SSZ`. */
  creationDate: string;
  provisioningDate?: string;
  status: OrderStatus;
  productId: string;
  /** The product after a migration. */
  newProductId?: string;
  /** Quantity the subscription has once the order completes. */
  quantity: number;
  /** Units charged by this order (sales: all, change: the added ones, renewal: all). */
  chargedUnits: number;
  currency: Currency;
  cancellationFee?: number;
  lastBillingDate?: string;
  nextBillingDate?: string;
  poNumber?: string;
}

export interface SimReportRow {
  id: string;
  customerId: string;
  subscriptionId: string;
  productId: string;
  mpn: string;
  periodStart: string;
  periodEnd: string;
  quantity: number;
  unitOfMeasure: string;
  currency: string;
  amount: string;
  cost: string;
}

export interface SimReport {
  id: string;
  name: string;
  type: 'monthly';
  format: 'json';
  status: 'completed';
  creationDate: string;
  startDate: string;
  endDate: string;
  rows: SimReportRow[];
}

export interface OrderOptions {
  /** Status the order is created in (default `completed`): others apply their effect when completed later. */
  status?: OrderStatus;
  poNumber?: string;
}

export interface SeedOptions {
  customers?: number;
  subscriptions: number;
  /** Window the subscriptions are bought in (default 2025-01-01 … the clock). */
  from?: string;
  to?: string;
  /** Share of subscriptions that also get a change order (default 0.3) and a cancellation (default 0.1). */
  changeShare?: number;
  cancelShare?: number;
  seed?: number;
}

export const USAGE_REPORT_NAME = 'Rated Data';
const DAY = 86_400_000;

export class Market {
  readonly products: SimProductDef[] = buildCatalog();
  readonly productsById = new Map(this.products.map((p) => [p.id, p]));
  readonly customers = new Map<string, SimCustomer>();
  readonly subscriptions = new Map<string, SimSubscription>();
  /** Sorted by (creationDate, numeric id). */
  readonly orders: SimOrder[] = [];
  readonly ordersById = new Map<string, SimOrder>();
  readonly reports: SimReport[] = [];
  /** Recorded usage: subscription id → month `YYYY-MM` → quantity. */
  private readonly usage = new Map<string, Map<string, number>>();
  private nextCustomer = 1_000_001;
  private nextSubscription = 1_000_001;
  private nextOrder = 1_000_001;
  /** Orders still submitted or processing, by subscription (at most one each). */
  private readonly openOrders = new Map<string, SimOrder>();
  private sorted = true;
  /** Simulated now, ms. */
  now: number;

  constructor(start = '2026-01-01') {
    this.now = Date.parse(`${day(start)}T00:00:00Z`);
  }

  get today(): string {
    return new Date(this.now).toISOString().slice(0, 10);
  }

  // ---- customers --------------------------------------------------------------------------------

  addCustomer(c: Partial<SimCustomer> & { name?: string } = {}): SimCustomer {
    const id = String(this.nextCustomer++);
    const n = Number(id) - 1_000_000;
    const uk = c.address?.countryCode ? c.address.countryCode === 'GB' : n % 2 === 0;
    const customer: SimCustomer = {
      id,
      name: c.name ?? `${COMPANY[n % COMPANY.length]} ${uk ? 'Ltd' : 'GmbH'} ${n}`,
      status: c.status ?? 'active',
      language: c.language ?? 'en',
      address: c.address ?? (uk
        ? { streetAddress: `${n} High Street`, postalCode: 'PO16 8UX', city: 'Fareham', countryCode: 'GB' }
        : { streetAddress: `Hauptstraße ${n}`, postalCode: '10115', city: 'Berlin', countryCode: 'DE' }),
      contactPersons: c.contactPersons ?? [{ type: 'admin', firstName: 'Alex', lastName: `Admin${n}`, email: `admin@customer${n}.example`, phoneNumber: '+441234567890' }],
      ...(c.externalId ? { externalId: c.externalId } : {}),
      ...(c.taxRegId ? { taxRegId: c.taxRegId } : {}),
      ...(c.attributes ? { attributes: c.attributes } : {}),
    };
    this.customers.set(id, customer);
    return customer;
  }

  currencyOf(customerId: string): Currency {
    return this.customers.get(customerId)?.address.countryCode === 'GB' ? 'GBP' : 'EUR';
  }

  // ---- orders that make things happen -------------------------------------------------------------

  /** A sales order: a new subscription of `quantity` units. `product` is a product id or MPN. */
  purchase(customerId: string, product: string, quantity: number, date?: string, options: OrderOptions = {}): { subscription: SimSubscription; order: SimOrder } {
    const customer = this.customers.get(customerId);
    if (!customer) throw new Error(`no customer ${customerId}`);
    const p = this.product(product);
    positive(quantity);
    const when = this.at(date);
    const start = when.slice(0, 10);
    const subscription: SimSubscription = {
      id: String(this.nextSubscription++), customerId, productId: p.id, quantity: 0, status: 'pending', currency: this.currencyOf(customerId),
      autoRenew: true, creationDate: start, lastModifiedDate: start, periodStart: start, renewalDate: addMonths(start, termMonths(p)),
    };
    this.subscriptions.set(subscription.id, subscription);
    const order = this.order({ type: 'sales', subscription, quantity, chargedUnits: quantity, creationDate: when }, options);
    return { subscription, order };
  }

  /** A change order adding (or removing, negative) seats. */
  changeQuantity(subscriptionId: string, delta: number, date?: string, options: OrderOptions = {}): SimOrder {
    const s = this.live(subscriptionId);
    const quantity = this.pendingQuantity(s) + delta;
    if (!Number.isInteger(delta) || delta === 0) throw new Error('delta must be a non-zero integer');
    positive(quantity);
    return this.order({ type: 'change', subscription: s, quantity, chargedUnits: Math.max(0, delta), creationDate: this.at(date) }, options);
  }

  /** A cancellation order; `fee` is an early-termination charge in the subscription's currency. */
  cancel(subscriptionId: string, date?: string, options: OrderOptions & { fee?: number } = {}): SimOrder {
    const s = this.live(subscriptionId);
    return this.order({ type: 'cancellation', subscription: s, quantity: 0, chargedUnits: 0, creationDate: this.at(date), cancellationFee: options.fee }, options);
  }

  /** A renewal order starting the next subscription period (also made by `advanceTo` for auto-renewing ones). */
  renew(subscriptionId: string, date?: string, options: OrderOptions = {}): SimOrder {
    const s = this.live(subscriptionId);
    const from = s.renewalDate;
    const to = addMonths(from, termMonths(this.productsById.get(s.productId)!));
    return this.order({
      type: 'renewal', subscription: s, quantity: s.quantity, chargedUnits: s.quantity, creationDate: this.at(date ?? from),
      lastBillingDate: from, nextBillingDate: to,
    }, options);
  }

  /** A migration order moving the subscription to another product (plan or period). */
  migrate(subscriptionId: string, product: string, date?: string, options: OrderOptions = {}): SimOrder {
    const s = this.live(subscriptionId);
    const p = this.product(product);
    return this.order({ type: 'migration', subscription: s, quantity: s.quantity, chargedUnits: s.quantity, creationDate: this.at(date), newProductId: p.id }, options);
  }

  /** Usage of a usage-billed subscription in the month of `date` (added to what was recorded). */
  recordUsage(subscriptionId: string, quantity: number, date?: string): void {
    const s = this.subscriptions.get(subscriptionId);
    if (!s) throw new Error(`no subscription ${subscriptionId}`);
    if (!this.productsById.get(s.productId)!.offer.usage) throw new Error(`subscription ${subscriptionId} is not usage-billed`);
    const month = (date ? day(date) : this.today).slice(0, 7);
    const byMonth = this.usage.get(subscriptionId) ?? new Map<string, number>();
    byMonth.set(month, (byMonth.get(month) ?? 0) + quantity);
    this.usage.set(subscriptionId, byMonth);
  }

  completeOrder(id: string, date?: string): SimOrder {
    const o = this.getOrder(id);
    if (o.status === 'completed' || o.status === 'cancelled') throw new Error(`order ${id} is ${o.status}`);
    o.status = 'completed';
    this.openOrders.delete(o.subscriptionId);
    o.provisioningDate = date ? this.at(date) : iso(Math.max(this.now, Date.parse(o.creationDate)));
    this.apply(o);
    return o;
  }

  failOrder(id: string): SimOrder {
    const o = this.getOrder(id);
    if (o.status === 'completed' || o.status === 'cancelled') throw new Error(`order ${id} is ${o.status}`);
    o.status = 'error';
    this.openOrders.delete(o.subscriptionId);
    return o;
  }

  /** The order is cancelled before it took effect (a sales order's subscription is removed). */
  cancelOrder(id: string): SimOrder {
    const o = this.getOrder(id);
    if (o.status === 'completed' || o.status === 'cancelled') throw new Error(`order ${id} is ${o.status}`);
    o.status = 'cancelled';
    this.openOrders.delete(o.subscriptionId);
    const s = this.subscriptions.get(o.subscriptionId)!;
    if (o.type === 'sales') s.status = 'removed';
    return o;
  }

  setSubscriptionStatus(id: string, status: SubStatus): SimSubscription {
    const s = this.subscriptions.get(id);
    if (!s) throw new Error(`no subscription ${id}`);
    s.status = status;
    s.lastModifiedDate = this.today;
    return s;
  }

  // ---- time ---------------------------------------------------------------------------------------

  /**
   * Moves the clock to `date`, day by day: unsettled orders (submitted, processing) complete, auto-renewing
   * subscriptions renew at the end of their period, and each month's usage becomes a rated-data report.
   */
  advanceTo(date: string): { renewals: number; reports: number; completed: number } {
    const target = Date.parse(date.length <= 10 ? `${date}T00:00:00Z` : date);
    if (!(target >= this.now)) throw new Error(`cannot go back in time (now ${iso(this.now)})`);
    let renewals = 0;
    let reports = 0;
    let completed = 0;
    for (let t = startOfDay(this.now) + DAY; t <= target; t += DAY) {
      this.now = t;
      const today = this.today;
      for (const o of [...this.openOrders.values()]) {
        if (Date.parse(o.creationDate) < t) {
          this.completeOrder(o.id);
          completed++;
        }
      }
      for (const s of this.subscriptions.values()) {
        if (s.status === 'active' && s.autoRenew && s.renewalDate === today && !this.hasOpenOrder(s.id)) {
          this.renew(s.id, `${today}T01:00:00Z`);
          renewals++;
        }
      }
      if (today.endsWith('-01')) reports += this.monthlyReport(addMonths(today, -1).slice(0, 7)) ? 1 : 0;
    }
    this.now = Math.max(this.now, target);
    return { renewals, reports, completed };
  }

  // ---- bulk -------------------------------------------------------------------------------------

  /**
   * `n` subscriptions (and customers) with their orders, deterministic for a seed: a sales order each, a share with a
   * later change up or down and a share cancelled. Builds 20,000 in well under a second.
   */
  seed(options: SeedOptions): { customers: number; subscriptions: number; orders: number } {
    const rnd = seededRandom(options.seed ?? 7);
    const to = Date.parse(`${day(options.to ?? this.today)}T00:00:00Z`);
    const from = Date.parse(`${day(options.from ?? '2025-01-01')}T00:00:00Z`);
    const customerCount = options.customers ?? Math.max(1, Math.ceil(options.subscriptions / 5));
    const customers: string[] = [];
    for (let i = 0; i < customerCount; i++) customers.push(this.addCustomer().id);
    const seats = this.products.filter((p) => !p.offer.usage);
    const changeShare = options.changeShare ?? 0.3;
    const cancelShare = options.cancelShare ?? 0.1;
    const ordersBefore = this.orders.length;
    const today = this.today;
    this.sorted = false; // one sort at the end instead of an insert per order
    for (let i = 0; i < options.subscriptions; i++) {
      const product = rnd() < 0.08 ? this.products.find((p) => p.offer.usage)! : seats[Math.floor(rnd() * seats.length)];
      const bought = from + Math.floor(rnd() * Math.max(1, to - from - 2 * DAY));
      const { subscription } = this.purchase(customers[i % customers.length], product.id, 1 + Math.floor(rnd() * 25), iso(bought));
      let last = bought;
      if (rnd() < changeShare) {
        last = bought + Math.floor(rnd() * Math.max(1, to - bought - DAY));
        const delta = rnd() < 0.7 ? 1 + Math.floor(rnd() * 10) : -Math.min(subscription.quantity - 1, 1 + Math.floor(rnd() * 3));
        if (delta !== 0) this.changeQuantity(subscription.id, delta, iso(last));
      }
      if (rnd() < cancelShare) this.cancel(subscription.id, iso(last + Math.floor(rnd() * Math.max(1, to - last))));
      // Past periods renewed without simulating each renewal order: the subscription is in its current period.
      const term = termMonths(this.productsById.get(subscription.productId)!);
      while (subscription.renewalDate <= today) {
        subscription.periodStart = subscription.renewalDate;
        subscription.renewalDate = addMonths(subscription.periodStart, term);
      }
    }
    this.resort();
    return { customers: customerCount, subscriptions: options.subscriptions, orders: this.orders.length - ordersBefore };
  }

  // ---- reads for the routes ---------------------------------------------------------------------

  getOrder(id: string): SimOrder {
    const o = this.ordersById.get(id);
    if (!o) throw new Error(`no order ${id}`);
    return o;
  }

  /** Index of the first order created at or after `time` (orders are sorted). */
  firstOrderAtOrAfter(time: number): number {
    this.resort();
    let lo = 0;
    let hi = this.orders.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Date.parse(this.orders[mid].creationDate) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  orderList(): SimOrder[] {
    this.resort();
    return this.orders;
  }

  /** Quantity the subscription will have once its open orders complete. */
  pendingQuantity(s: SimSubscription): number {
    return this.openOrders.get(s.id)?.quantity ?? s.quantity;
  }

  summary(): Record<string, unknown> {
    return {
      now: iso(this.now), customers: this.customers.size, products: this.products.length, subscriptions: this.subscriptions.size,
      orders: this.orders.length, reports: this.reports.length,
    };
  }

  product(idOrMpn: string): SimProductDef {
    const p = this.productsById.get(idOrMpn) ?? this.products.find((x) => x.mpn === idOrMpn);
    if (!p) throw new Error(`no product ${idOrMpn}`);
    return p;
  }

  // ---- internals --------------------------------------------------------------------------------

  private order(
    o: Omit<SimOrder, 'id' | 'orderNumber' | 'customerId' | 'subscriptionId' | 'status' | 'productId' | 'currency' | 'creationDate'> & { subscription: SimSubscription; creationDate: string },
    options: OrderOptions,
  ): SimOrder {
    const { subscription, ...rest } = o;
    const id = String(this.nextOrder++);
    const order: SimOrder = {
      ...rest,
      id,
      orderNumber: `SO${id.slice(1)}`,
      customerId: subscription.customerId,
      subscriptionId: subscription.id,
      productId: subscription.productId,
      currency: subscription.currency,
      creationDate: o.creationDate,
      status: options.status ?? 'completed',
      ...(options.poNumber ? { poNumber: options.poNumber } : {}),
    };
    if (this.openOrders.has(subscription.id)) throw new Error(`subscription ${subscription.id} has an open order ${this.openOrders.get(subscription.id)!.id}`);
    this.insert(order);
    if (order.status === 'submitted' || order.status === 'processing') this.openOrders.set(subscription.id, order);
    if (order.status === 'completed') {
      order.provisioningDate = order.creationDate;
      this.apply(order);
    }
    return order;
  }

  /** A completed order's effect on its subscription. */
  private apply(o: SimOrder): void {
    const s = this.subscriptions.get(o.subscriptionId)!;
    const date = (o.provisioningDate ?? o.creationDate).slice(0, 10);
    s.lastModifiedDate = date;
    switch (o.type) {
      case 'sales':
        s.quantity = o.quantity;
        s.status = 'active';
        break;
      case 'change':
        s.quantity = o.quantity;
        break;
      case 'renewal':
        s.periodStart = o.lastBillingDate ?? s.renewalDate;
        s.renewalDate = o.nextBillingDate ?? addMonths(s.periodStart, termMonths(this.productsById.get(s.productId)!));
        break;
      case 'migration':
        s.productId = o.newProductId ?? s.productId;
        break;
      case 'cancellation':
        s.status = 'terminated';
        s.autoRenew = false;
        break;
    }
  }

  private live(id: string): SimSubscription {
    const s = this.subscriptions.get(id);
    if (!s) throw new Error(`no subscription ${id}`);
    if (s.status === 'terminated' || s.status === 'removed') throw new Error(`subscription ${id} is ${s.status}`);
    return s;
  }

  private hasOpenOrder(subscriptionId: string): boolean {
    return this.openOrders.has(subscriptionId);
  }

  /** `date` (a day or an instant) as an ISO instant; a bare day is 09:00 UTC. Default: now. */
  private at(date?: string): string {
    if (!date) return iso(this.now);
    return date.length <= 10 ? `${date}T09:00:00Z` : iso(Date.parse(date));
  }

  private insert(o: SimOrder): void {
    this.ordersById.set(o.id, o);
    const last = this.orders[this.orders.length - 1];
    this.orders.push(o);
    if (this.sorted && last && compareOrders(last, o) > 0) this.sorted = false;
  }

  private resort(): void {
    if (this.sorted) return;
    this.orders.sort(compareOrders);
    this.sorted = true;
  }

  private monthlyReport(month: string): boolean {
    const start = `${month}-01`;
    const end = addDays(addMonths(start, 1), -1);
    const rows: SimReportRow[] = [];
    for (const s of this.subscriptions.values()) {
      const p = this.productsById.get(s.productId)!;
      if (!p.offer.usage || s.creationDate > end) continue;
      const quantity = this.usage.get(s.id)?.get(month) ?? 0;
      if (!quantity) continue;
      const price = p.price[s.currency];
      const cost = p.cost[s.currency];
      rows.push({
        id: String(rows.length + 1), customerId: s.customerId, subscriptionId: s.id, productId: p.id, mpn: p.mpn,
        periodStart: start, periodEnd: end, quantity, unitOfMeasure: p.offer.usage.unit, currency: s.currency,
        amount: (quantity * price).toFixed(2), cost: (quantity * cost).toFixed(2),
      });
    }
    if (!rows.length) return false;
    this.reports.push({
      id: randomUUID(), name: USAGE_REPORT_NAME, type: 'monthly', format: 'json', status: 'completed',
      creationDate: `${addMonths(start, 1)}T02:00:00Z`, startDate: `${start}T00:00:00Z`, endDate: `${end}T23:59:59Z`, rows,
    });
    return true;
  }
}

// ---- helpers --------------------------------------------------------------------------------------

const COMPANY = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Adatum', 'Proseware', 'Woodgrove', 'Wingtip', 'Lucerne'];

export function termMonths(p: SimProductDef): number {
  return p.subscriptionPeriod.type === 'year' ? 12 * p.subscriptionPeriod.duration : p.subscriptionPeriod.duration;
}

function compareOrders(a: SimOrder, b: SimOrder): number {
  return a.creationDate < b.creationDate ? -1 : a.creationDate > b.creationDate ? 1 : Number(a.id) - Number(b.id);
}

function positive(q: number): void {
  if (!Number.isInteger(q) || q < 1) throw new Error('quantity must be a positive integer');
}

export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function day(date: string): string {
  return date.slice(0, 10);
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Calendar months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28). */
export function addMonths(date: string, months: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
}

