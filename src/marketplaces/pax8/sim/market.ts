// The simulated Pax8 marketplace on a simulated clock: companies, the catalog, orders that create
// subscriptions, quantity/price changes, cancellations (PendingCancel until the end date, then
// Cancelled), usage, and the partner invoice Pax8 issues on the 5th. Every change is a snapshot in
// the subscription's history, stamped by the clock, which only moves forward.
import { buildCatalog, SIM_CURRENCIES, simUuid, type SimCurrency, type SimPlan, type SimProduct } from './catalog';
import type { BillingTerm, Pax8SubscriptionStatus } from '../schemas';

export interface SimContact { id: string; firstName: string; lastName: string; email: string; phone: string; createdDate: string; types: Array<{ type: 'Admin' | 'Billing' | 'Technical'; primary: boolean }> }

export interface SimCompany {
  id: string;
  name: string;
  externalId?: string;
  address: { street: string; street2?: string; city: string; stateOrProvince?: string; postalCode: string; country: string };
  phone: string;
  website: string;
  billOnBehalfOfEnabled: boolean;
  selfServiceAllowed: boolean;
  orderApprovalRequired: boolean;
  status: 'Active' | 'Inactive' | 'Deleted';
  updatedDate: string;
  /** Canadian companies buy in CAD, the rest in USD [U: Pax8 prices per partner, not per company]. */
  currency: SimCurrency;
  contacts: SimContact[];
}

export interface SimSnapshot {
  quantity: number;
  price: number;
  partnerCost: number;
  billingTerm: BillingTerm;
  status: Pax8SubscriptionStatus;
  startDate: string;
  endDate?: string;
  /** ISO instant; absent on the first snapshot, as in Pax8's history example. */
  updatedDate?: string;
}

export interface SimSubscription {
  id: string;
  companyId: string;
  productId: string;
  currencyCode: SimCurrency;
  createdDate: string;
  billingStart: string;
  vendorSubscriptionId: string;
  commitment?: { id: string; term: string; months: number; endDate: string; allowForQuantityDecrease: boolean };
  /** Oldest first; the last one is the current state. */
  history: SimSnapshot[];
}

export interface SimOrderLine { id: string; productId: string; subscriptionId?: string; commitmentTermId?: string; provisionStartDate: string; billingTerm: BillingTerm; quantity: number }
export interface SimOrder { id: string; companyId: string; createdDate: string; orderedBy: 'Pax8 Partner' | 'Customer' | 'Pax8'; orderedByUserEmail: string; lineItems: SimOrderLine[] }

export interface SimInvoiceItem {
  id: string; type: 'subscription'; companyId: string; externalId?: string; companyName: string; startPeriod: string; endPeriod: string;
  quantity: number; unitOfMeasure: string; term: 'Monthly' | 'Annual' | 'Arrears'; sku: string; description: string; price: number; subTotal: number;
  cost: number; costTotal: number; total: number; amountDue: number; productId: string; productName: string; currencyCode: SimCurrency;
  subscriptionId: string; vendorName: string; billedByPax8: boolean; chargeType: 'per'; salesTax: number;
}
export interface SimInvoice { id: string; invoiceDate: string; dueDate: string; currencyCode: SimCurrency; partnerName: string; items: SimInvoiceItem[]; total: number }

export interface NewCompanyInput {
  name: string;
  externalId?: string;
  country?: string;
  city?: string;
  phone?: string;
  website?: string;
  address?: Partial<SimCompany['address']>;
  contacts?: Array<Omit<SimContact, 'id' | 'createdDate'>>;
}

export interface SaleInput {
  companyId: string;
  productId: string;
  quantity: number;
  billingTerm?: BillingTerm;
  /** Defaults to the plan without commitment, else the shortest one that fits the term. */
  commitmentId?: string;
  /** YYYY-MM-DD; the clock moves there first (default: today). */
  date?: string;
  orderedBy?: SimOrder['orderedBy'];
}

export interface SeedSubscriptionInput {
  /** A company id, or an index into the seeded companies. */
  company: string | number;
  productId?: string;
  quantity?: number;
  billingTerm?: BillingTerm;
  date?: string;
  changes?: Array<{ delta: number; date: string }>;
  usage?: Array<{ quantity: number; date: string }>;
  cancelDate?: string;
}

export interface SeedInput {
  companies?: number | NewCompanyInput[];
  /** A count (generated: sales spread over `days`, some changes, cancellations and usage), or explicit ones. */
  subscriptions?: number | SeedSubscriptionInput[];
  /** Generated subscriptions: sales spread over this many days from today (default 28). */
  days?: number;
  /** Generated: share with one quantity change (default 0.3) and share cancelled (default 0.05). */
  changeShare?: number;
  cancelShare?: number;
}

export class MarketError extends Error {
  /** `title` is Pax8's `message`; the Error message adds the details (typed handle, admin API). */
  constructor(readonly status: 404 | 422, readonly title: string, readonly details: string[] = []) {
    super(details.length ? `${title}: ${details.join('; ')}` : title);
  }
}

const DAY_MS = 86_400_000;
const CANCELLING = new Set<Pax8SubscriptionStatus>(['PendingCancel', 'Cancelled']);
export const PARTNER_NAME = 'Sandbox MSP (Pax8 simulator)';

export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const monthOf = (date: string) => date.slice(0, 7);
const lastDayOf = (month: string) => addDays(`${nextMonth(month)}-01`, -1);
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
const round2 = (n: number) => Math.round(n * 100) / 100;

export class Market {
  readonly products: SimProduct[] = buildCatalog();
  readonly companies: SimCompany[] = [];
  readonly subscriptions: SimSubscription[] = [];
  readonly orders: SimOrder[] = [];
  readonly invoices: SimInvoice[] = [];
  /** Usage per subscription per day (YYYY-MM-DD → quantity). */
  readonly usage = new Map<string, Map<string, number>>();
  private readonly companyIndex = new Map<string, SimCompany>();
  private readonly subscriptionIndex = new Map<string, SimSubscription>();
  private readonly productIndex = new Map(this.products.map((p) => [p.id, p]));
  private readonly pendingCancels = new Set<SimSubscription>();
  private seq = 0;
  /** Simulated now, ms since the epoch. */
  now: number;

  constructor(start = '2026-03-01') {
    this.now = Date.parse(`${start}T08:00:00Z`);
  }

  get today(): string {
    return new Date(this.now).toISOString().slice(0, 10);
  }

  private nextId(prefix: string): string {
    return simUuid(prefix, ++this.seq);
  }

  /** A distinct, increasing instant on `date` (default today); the clock moves there first. */
  private stamp(date?: string): string {
    if (date && date !== this.today) this.advanceTo(date);
    this.now += 1;
    return new Date(this.now).toISOString();
  }

  // ---- clock --------------------------------------------------------------------------------

  /** Moves the clock to `date` (08:00 UTC), running each day's work: cancellations end, invoices on the 5th. */
  advanceTo(date: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new MarketError(422, `date must be YYYY-MM-DD (${date})`);
    if (date < this.today) throw new MarketError(422, `The simulated clock is at ${this.today}: it cannot go back to ${date}.`);
    for (let day = addDays(this.today, 1); day <= date; day = addDays(day, 1)) {
      this.now = Date.parse(`${day}T00:00:00Z`);
      this.endCancellations(day);
      if (day.endsWith('-05')) this.issueInvoices(day);
      this.now = Date.parse(`${day}T08:00:00Z`);
    }
  }

  private endCancellations(day: string): void {
    for (const sub of [...this.pendingCancels]) {
      const cur = current(sub);
      if (cur.endDate && cur.endDate.slice(0, 10) < day) {
        this.pendingCancels.delete(sub);
        sub.history.push({ ...cur, status: 'Cancelled', updatedDate: this.stamp() });
      }
    }
  }

  // ---- companies ----------------------------------------------------------------------------

  addCompany(input: NewCompanyInput): SimCompany {
    const country = (input.address?.country ?? input.country ?? 'US').toUpperCase();
    const at = this.stamp();
    const id = this.nextId('c0a1');
    const contacts = (input.contacts ?? []).map((c) => ({ ...c, id: this.nextId('c0c7'), createdDate: at.slice(0, 10) }));
    const company: SimCompany = {
      id,
      name: input.name,
      ...(input.externalId ? { externalId: input.externalId } : {}),
      address: { street: '1 Main Street', city: input.city ?? (country === 'CA' ? 'Toronto' : 'Denver'), postalCode: country === 'CA' ? 'M5H 2N2' : '80202', ...(country === 'CA' ? { stateOrProvince: 'ON' } : { stateOrProvince: 'CO' }), ...input.address, country },
      phone: input.phone ?? '+1 303 555 0100',
      website: input.website ?? `https://${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'company'}.example`,
      billOnBehalfOfEnabled: false,
      selfServiceAllowed: false,
      orderApprovalRequired: false,
      // Pax8: a company without primary contacts is Inactive until they are added.
      status: contacts.length ? 'Active' : 'Inactive',
      updatedDate: at,
      currency: country === 'CA' ? 'CAD' : 'USD',
      contacts,
    };
    this.companies.push(company);
    this.companyIndex.set(id, company);
    return company;
  }

  company(id: string): SimCompany | undefined {
    return this.companyIndex.get(id);
  }

  product(id: string): SimProduct | undefined {
    return this.productIndex.get(id);
  }

  subscription(id: string): SimSubscription | undefined {
    return this.subscriptionIndex.get(id);
  }

  // ---- orders and subscriptions -------------------------------------------------------------

  /** Checks an order line as Pax8 does before placing it; returns the plan or throws a 422. */
  planFor(companyId: string, productId: string, billingTerm: BillingTerm | undefined, commitmentId: string | undefined, quantity: number): { product: SimProduct; plan: SimPlan } {
    const company = this.company(companyId);
    if (!company || company.status === 'Deleted') throw new MarketError(422, 'Invalid order', [`Company ${companyId} was not found`]);
    if (company.status !== 'Active') throw new MarketError(422, 'Invalid order', [`Company ${companyId} is not active: add its primary contacts first`]);
    const product = this.product(productId);
    if (!product) throw new MarketError(422, 'Invalid order', [`Product ${productId} was not found`]);
    if (!Number.isInteger(quantity) || quantity < 1) throw new MarketError(422, 'Invalid order', [`quantity must be a whole number of at least 1 (was ${quantity})`]);
    const term = billingTerm ?? product.plans[0].billingTerm;
    if (product.requiresCommitment && !commitmentId) throw new MarketError(422, 'Invalid order', [`Product ${product.name} requires a commitmentTermId`]);
    if (commitmentId && !product.commitments.some((c) => c.id === commitmentId)) throw new MarketError(422, 'Invalid order', [`commitmentTermId ${commitmentId} is not a commitment of ${product.name}`]);
    const plan = product.plans.find((p) => p.billingTerm === term && (p.commitmentId ?? undefined) === (commitmentId ?? undefined));
    if (!plan) throw new MarketError(422, 'Invalid order', [`billingTerm ${term}${commitmentId ? ' with this commitment' : ''} is not offered for ${product.name}`]);
    return { product, plan };
  }

  /** A partner order of one or more lines: one subscription per line, Active at once. */
  placeOrder(companyId: string, lines: Array<Omit<SaleInput, 'companyId' | 'date' | 'orderedBy'>>, options: { date?: string; orderedBy?: SimOrder['orderedBy'] } = {}): SimOrder {
    const checked = lines.map((l) => ({ l, ...this.planFor(companyId, l.productId, l.billingTerm, l.commitmentId ?? defaultCommitment(this.product(l.productId), l.billingTerm), l.quantity) }));
    const at = this.stamp(options.date);
    const company = this.company(companyId)!;
    const order: SimOrder = { id: this.nextId('0de7'), companyId, createdDate: at.slice(0, 10), orderedBy: options.orderedBy ?? 'Pax8 Partner', orderedByUserEmail: 'partner-admin@sandbox-msp.example', lineItems: [] };
    for (const { l, product, plan } of checked) {
      const rates = plan.rates[company.currency];
      const commitment = plan.commitmentId ? product.commitments.find((c) => c.id === plan.commitmentId) : undefined;
      const day = at.slice(0, 10);
      const sub: SimSubscription = {
        id: this.nextId('5b5c'),
        companyId,
        productId: product.id,
        currencyCode: company.currency,
        createdDate: at,
        billingStart: day,
        vendorSubscriptionId: this.nextId('e0d5'),
        ...(commitment ? { commitment: { id: commitment.id, term: commitment.term, months: commitment.months, endDate: `${addDays(day, Math.round(commitment.months * 30.44))}T00:00:00Z`, allowForQuantityDecrease: commitment.allowForQuantityDecrease } } : {}),
        history: [{ quantity: l.quantity, price: rates.srp, partnerCost: rates.buy, billingTerm: plan.billingTerm, status: 'Active', startDate: `${day}T00:00:00Z` }],
      };
      this.subscriptions.push(sub);
      this.subscriptionIndex.set(sub.id, sub);
      order.lineItems.push({ id: this.nextId('11e0'), productId: product.id, subscriptionId: sub.id, ...(plan.commitmentId ? { commitmentTermId: plan.commitmentId } : {}), provisionStartDate: `${day}T00:00:00Z`, billingTerm: plan.billingTerm, quantity: l.quantity });
    }
    this.orders.push(order);
    return order;
  }

  /** One line, one subscription: "company 7 buys 10 seats of Business Premium on the 3rd". */
  sell(input: SaleInput): SimSubscription {
    const order = this.placeOrder(input.companyId, [input], { date: input.date, orderedBy: input.orderedBy });
    return this.subscription(order.lineItems[0].subscriptionId!)!;
  }

  /** "Company 7 adds 5 seats on the 12th": `changeQuantity(id, +5, '2026-03-12')`. */
  changeQuantity(subscriptionId: string, delta: number, date?: string): SimSubscription {
    const sub = this.require(subscriptionId);
    return this.update(sub, { quantity: current(sub).quantity + delta }, date);
  }

  /** PUT /subscriptions/{id}: quantity, price and/or billing term. */
  update(sub: SimSubscription, change: { quantity?: number; price?: number; billingTerm?: BillingTerm }, date?: string): SimSubscription {
    const cur = current(sub);
    if (CANCELLING.has(cur.status)) throw new MarketError(422, 'Invalid subscription update', [`Subscription ${sub.id} is ${cur.status}`]);
    const next: SimSnapshot = { ...cur };
    if (change.quantity !== undefined) {
      if (!Number.isInteger(change.quantity) || change.quantity < 1) throw new MarketError(422, 'Invalid subscription update', [`quantity must be a whole number of at least 1 (was ${change.quantity})`]);
      if (change.quantity < cur.quantity && sub.commitment && !sub.commitment.allowForQuantityDecrease) {
        throw new MarketError(422, 'Invalid subscription update', [`The ${sub.commitment.term} commitment does not allow a quantity decrease before ${sub.commitment.endDate.slice(0, 10)}`]);
      }
      next.quantity = change.quantity;
    }
    if (change.price !== undefined) next.price = change.price;
    if (change.billingTerm !== undefined) {
      const product = this.product(sub.productId)!;
      if (!product.plans.some((p) => p.billingTerm === change.billingTerm)) throw new MarketError(422, 'Invalid subscription update', [`billingTerm ${change.billingTerm} is not offered for ${product.name}`]);
      next.billingTerm = change.billingTerm;
    }
    next.updatedDate = this.stamp(date);
    sub.history.push(next);
    return sub;
  }

  setPrice(subscriptionId: string, price: number, date?: string): SimSubscription {
    return this.update(this.require(subscriptionId), { price }, date);
  }

  /** DELETE /subscriptions/{id}: PendingCancel until `cancelDate` (default: the day of the request), then Cancelled. */
  cancel(subscriptionId: string, date?: string, cancelDate?: string): SimSubscription {
    const sub = this.require(subscriptionId);
    const cur = current(sub);
    if (CANCELLING.has(cur.status)) return sub;
    const at = this.stamp(date);
    const end = cancelDate ? cancelDate.slice(0, 10) : at.slice(0, 10);
    sub.history.push({ ...cur, status: 'PendingCancel', endDate: `${end}T00:00:00Z`, updatedDate: at });
    this.pendingCancels.add(sub);
    return sub;
  }

  /** Usage of a usage-billed subscription on `date` (units of the product's measure). */
  recordUsage(subscriptionId: string, quantity: number, date?: string): void {
    const sub = this.require(subscriptionId);
    if (!this.product(sub.productId)!.usageBased) throw new MarketError(422, 'Not usage-based', [`${this.product(sub.productId)!.name} is billed per seat`]);
    if (date && date !== this.today) this.advanceTo(date);
    const day = this.today;
    const perDay = this.usage.get(sub.id) ?? new Map<string, number>();
    perDay.set(day, (perDay.get(day) ?? 0) + quantity);
    this.usage.set(sub.id, perDay);
  }

  usageInMonth(subscriptionId: string, month: string): number {
    let total = 0;
    for (const [day, q] of this.usage.get(subscriptionId) ?? []) if (day.startsWith(month)) total += q;
    return round2(total);
  }

  private require(subscriptionId: string): SimSubscription {
    const sub = this.subscription(subscriptionId);
    if (!sub) throw new MarketError(404, `Subscription ${subscriptionId} was not found`);
    return sub;
  }

  // ---- invoices -----------------------------------------------------------------------------

  /**
   * The partner invoice of the 5th, one per currency [U: the split and timing follow Pax8's note
   * that invoices are final on the 5th]: usage of the previous month in arrears, licences of the
   * current month in advance (monthly terms every month, annual ones in their billing month).
   */
  private issueInvoices(day: string): void {
    const month = monthOf(day);
    const prev = monthOf(addDays(`${month}-01`, -1));
    const by = new Map<SimCurrency, SimInvoiceItem[]>(SIM_CURRENCIES.map((c) => [c, []]));
    for (const sub of this.subscriptions) {
      const product = this.product(sub.productId)!;
      const company = this.company(sub.companyId)!;
      const cur = current(sub);
      const base = { companyId: company.id, ...(company.externalId ? { externalId: company.externalId } : {}), companyName: company.name, sku: product.sku, productId: product.id, productName: product.name, currencyCode: sub.currencyCode, subscriptionId: sub.id, vendorName: product.vendorName, billedByPax8: false, chargeType: 'per' as const, salesTax: 0, type: 'subscription' as const, unitOfMeasure: product.unitOfMeasurement };
      let item: Omit<SimInvoiceItem, 'id'> | null = null;
      if (product.usageBased) {
        const q = this.usageInMonth(sub.id, prev);
        if (q > 0) item = { ...base, startPeriod: `${prev}-01`, endPeriod: lastDayOf(prev), quantity: q, term: 'Arrears', description: `${product.name} usage ${prev}`, price: cur.price, cost: cur.partnerCost, ...totals(q, cur.price, cur.partnerCost) };
      } else if (cur.status !== 'Cancelled' && sub.createdDate.slice(0, 10) <= day) {
        const annual = cur.billingTerm === 'Annual';
        if (!annual || sub.billingStart.slice(5, 7) === month.slice(5, 7)) {
          const end = annual ? addDays(`${month}-01`, 364) : lastDayOf(month);
          item = { ...base, startPeriod: `${month}-01`, endPeriod: end, quantity: cur.quantity, term: annual ? 'Annual' : 'Monthly', description: product.name, price: cur.price, cost: cur.partnerCost, ...totals(cur.quantity, cur.price, cur.partnerCost) };
        }
      }
      if (item) by.get(sub.currencyCode)!.push({ id: this.nextId('17e3'), ...item });
    }
    for (const [currencyCode, items] of by) {
      if (!items.length) continue;
      this.invoices.push({ id: this.nextId('1a7c'), invoiceDate: day, dueDate: addDays(day, 30), currencyCode, partnerName: PARTNER_NAME, items, total: round2(items.reduce((s, i) => s + i.costTotal, 0)) });
    }
  }

  // ---- seeding ------------------------------------------------------------------------------

  /**
   * Many companies and subscriptions at once, fast enough for 20,000: generated ones are sales
   * spread over `days`, a share with one quantity change, a share cancelled, usage on usage-billed
   * products; everything runs through the same operations, in date order, so history and invoices
   * are consistent. Returns the ids created.
   */
  seed(input: SeedInput): { companies: string[]; subscriptions: string[] } {
    const companies: string[] = [];
    const n = typeof input.companies === 'number' ? input.companies : input.companies?.length ?? 0;
    for (let i = 0; i < n; i++) {
      const given = Array.isArray(input.companies) ? input.companies[i] : undefined;
      const country = given?.country ?? (i % 4 === 3 ? 'CA' : 'US');
      companies.push(this.addCompany({
        name: `Customer ${i + 1} ${country === 'CA' ? 'Ltd' : 'LLC'}`,
        country,
        contacts: [{ firstName: 'Pat', lastName: `Admin${i + 1}`, email: `admin${i + 1}@customer${i + 1}.example`, phone: '+1 303 555 0101', types: [{ type: 'Admin', primary: true }, { type: 'Billing', primary: true }, { type: 'Technical', primary: true }] }],
        ...given,
      }).id);
    }
    const pool = companies.length ? companies : this.companies.filter((c) => c.status === 'Active').map((c) => c.id);
    const specs = typeof input.subscriptions === 'number' ? this.generate(input.subscriptions, input) : input.subscriptions ?? [];
    if (specs.length && !pool.length && specs.some((s) => typeof s.company === 'number')) throw new MarketError(422, 'seed: no companies to sell to');
    type Op = { date: string; order: number; run: () => void };
    const ops: Op[] = [];
    const created: string[] = new Array(specs.length);
    let k = 0;
    specs.forEach((spec, i) => {
      const date = spec.date ?? this.today;
      ops.push({ date, order: k++, run: () => {
        const companyId = typeof spec.company === 'number' ? pool[spec.company % pool.length] : spec.company;
        const productId = spec.productId ?? this.products[0].id;
        created[i] = this.sell({ companyId, productId, quantity: spec.quantity ?? 1, billingTerm: spec.billingTerm, date }).id;
      } });
      for (const c of spec.changes ?? []) ops.push({ date: c.date, order: k++, run: () => this.changeQuantity(created[i], c.delta, c.date) });
      for (const u of spec.usage ?? []) ops.push({ date: u.date, order: k++, run: () => this.recordUsage(created[i], u.quantity, u.date) });
      if (spec.cancelDate) { const d = spec.cancelDate; ops.push({ date: d, order: k++, run: () => this.cancel(created[i], d) }); }
    });
    ops.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
    for (const op of ops) op.run();
    return { companies, subscriptions: created };
  }

  private generate(count: number, input: SeedInput): SeedSubscriptionInput[] {
    const days = input.days ?? 28;
    const changeShare = input.changeShare ?? 0.3;
    const cancelShare = input.cancelShare ?? 0.05;
    const start = this.today;
    const seats = this.products.filter((p) => !p.usageBased);
    const metered = this.products.filter((p) => p.usageBased);
    const out: SeedSubscriptionInput[] = [];
    for (let i = 0; i < count; i++) {
      const h = hash(i);
      const usage = i % 10 === 9;
      const product = usage ? metered[i % metered.length] : seats[h % seats.length];
      const saleDay = Math.floor((i * days) / Math.max(1, count));
      const date = addDays(start, saleDay);
      const later = addDays(date, 1 + (h % 5));
      const quantity = usage ? 1 : 1 + (h % 25);
      const spec: SeedSubscriptionInput = { company: i, productId: product.id, quantity, date };
      // One in three changes removes a seat (plans bought here are monthly terms, which may shrink).
      if (!usage && (h % 1000) / 1000 < changeShare) spec.changes = [{ delta: quantity > 1 && h % 3 === 0 ? -1 : 1 + (h % 5), date: later }];
      if (usage) spec.usage = [{ quantity: 10 + (h % 90), date }, { quantity: 5 + (h % 40), date: later }];
      if (((h >>> 10) % 1000) / 1000 < cancelShare) spec.cancelDate = addDays(later, 1);
      out.push(spec);
    }
    return out;
  }
}

export function current(sub: SimSubscription): SimSnapshot {
  return sub.history[sub.history.length - 1];
}

/** The commitment Pax8 asks for: monthly plan first (Pax8 requires one when `requiresCommitment`). */
function defaultCommitment(product: SimProduct | undefined, term: BillingTerm | undefined): string | undefined {
  if (!product?.requiresCommitment) return undefined;
  return product.plans.find((p) => p.billingTerm === (term ?? product.plans[0].billingTerm))?.commitmentId;
}

function totals(q: number, price: number, cost: number) {
  const subTotal = round2(q * price);
  const costTotal = round2(q * cost);
  return { subTotal, costTotal, total: subTotal, amountDue: costTotal };
}

function hash(i: number): number {
  let h = Math.imul(i + 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
