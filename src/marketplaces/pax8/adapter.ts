// Pax8 as a MarketplaceAdapter: companies, products with pricing, subscriptions, orders (with the
// `isMock` dry run) and the event stream derived from orders, subscription history and invoices.
//
// Pax8 has no change feed, so `events()` reads the lists (subscriptions, and orders or invoices when
// there is something new in them: one request per 200 records) and the history of every subscription
// whose `updatedDate` is at or after the cursor (one request each): the only place Pax8 records
// quantity before and after. EVENT_READ_COSTS says why, with the spec's paths; sim/bench.ts measures it.
import { mapWithConcurrency } from '../../concurrency';
import { BridgeError, isBridgeError } from '../../failures';
import type { EventPage, MarketplaceAdapter, MarketplaceCustomer, MarketplaceEvent, MarketplaceProduct, MarketplaceSubscription, NewCustomer, Page } from '../adapter';
import { hasNext, Pax8Client } from './client';
import { compareKeys, decodeCursor, encodeCursor, isAfter, type EventKey, type EventPosition } from './cursor';
import { billingEvent, historyEvents, isoInstant, monthsOf, recordedAt, saleEvent, toCustomer, toProducts, toSubscription } from './mapping';
import {
  companySchema, dependenciesSchema, historySchema, invoiceItemSchema, invoiceSchema, orderSchema, pricingListSchema, productSchema,
  subscriptionSchema, usageSummarySchema, type BillingTerm, type CompanyCreate, type OrderCreate, type Pax8Company, type Pax8Invoice,
  type Pax8Order, type Pax8Pricing, type Pax8Subscription, type Pax8UsageSummary,
} from './schemas';
import { PAX8_MAX_PAGE_SIZE, pax8SettingsSchema, type Pax8Settings, type Pax8SettingsInput } from './settings';

const parseWith = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }) => (v: unknown): T | null => {
  const r = schema.safeParse(v);
  return r.success ? r.data : null;
};
const asCompany = parseWith(companySchema);
const asSubscription = parseWith(subscriptionSchema);
const asOrder = parseWith(orderSchema);
const asInvoice = parseWith(invoiceSchema);
const asInvoiceItem = parseWith(invoiceItemSchema);
const asProduct = parseWith(productSchema);
const asUsage = parseWith(usageSummarySchema);

export interface OrderLineInput {
  productId: string;
  quantity: number;
  billingTerm: BillingTerm;
  /** Looked up from the product's commitments when the product requires one and this is absent. */
  commitmentTermId?: string;
  provisioningDetails?: Array<{ key: string; values: string[] }>;
}

export interface OrderInput {
  companyId: string;
  lines: OrderLineInput[];
}

export type OrderValidation = { valid: true; order: Pax8Order } | { valid: false; error: BridgeError };

/** An invoice a scan listed, and the ids of the events it gave (none when its lines were not read again). */
interface ListedInvoice {
  id: string;
  date: string;
  eventIds: string[];
}

/** What one scan found. */
interface Scan {
  /** Oldest first. */
  events: MarketplaceEvent[];
  /** The newest snapshot the scan saw: the watermark once all its events are handed out. */
  seenUpTo: string | null;
  invoices: ListedInvoice[];
}

/** A scan's events not yet handed out, kept briefly so paging through them costs no new scan. */
interface ScanCache {
  cursor: string;
  position: EventPosition;
  scan: Scan;
  at: number;
}

const CACHE_TTL_MS = 60_000;

const SPEC = 'spec/pax8-partner-openapi.json';

/**
 * What reading the event stream costs beyond ceil(n / 200) list pages, and why the spec leaves no cheaper way.
 * The bench prints it beside the measured counts.
 */
export const EVENT_READ_COSTS = [
  {
    endpoint: 'GET /subscriptions/{subscriptionId}/history',
    per: 'subscription changed (updatedDate) since the cursor: about one per change or cancellation event',
    why: '`Subscription`, the item of `GET /subscriptions`, holds only the current state (quantity, price, partnerCost, '
      + 'billingTerm, status, updatedDate): the quantity before a change, and each change since the cursor, are only in '
      + 'the history. A subscription sold since the cursor and never changed costs nothing: its sale is in the list.',
    spec: `${SPEC} #/components/schemas/Subscription, paths./subscriptions/{subscriptionId}/history`,
  },
  {
    endpoint: 'GET /subscriptions',
    per: 'read: the whole list, ceil(subscriptions / 200), however few events are new',
    why: '`GET /subscriptions` filters by status, billingTerm, companyId and productId only and sorts by quantity, '
      + 'startDate, endDate, createdDate, billingStart or price: neither filter nor sort on updatedDate.',
    spec: `${SPEC} paths./subscriptions.get.parameters`,
  },
  {
    endpoint: 'GET /orders',
    per: 'read with a sale since the cursor: the whole list, or each buying company\'s (companyId), whichever is fewer pages',
    why: '`GET /orders` takes page, size and companyId only: no date filter. Orders add the sale\'s order line.',
    spec: `${SPEC} paths./orders.get.parameters`,
  },
  {
    endpoint: 'GET /invoices/{invoiceId}/items',
    per: 'invoice dated on or after the billing position and not yet handed out: ceil(lines / 200)',
    why: '`Invoice` carries no lines; usage billed in arrears is only in the invoice items.',
    spec: `${SPEC} #/components/schemas/Invoice, paths./invoices/{invoiceId}/items`,
  },
] as const;

export class Pax8Adapter implements MarketplaceAdapter {
  readonly kind = 'pax8';
  readonly maxPageSize = PAX8_MAX_PAGE_SIZE;
  readonly settings: Pax8Settings;
  readonly client: Pax8Client;
  private cache?: ScanCache;

  constructor(settings: Pax8SettingsInput, options: { source?: string } = {}) {
    this.settings = pax8SettingsSchema.parse(settings);
    this.client = new Pax8Client(this.settings, options.source ?? 'pax8');
  }

  // ---- companies ----------------------------------------------------------------------------

  async listCustomers(options: { cursor?: string | null; changedSince?: string } = {}): Promise<Page<MarketplaceCustomer>> {
    const page = pageNumber(options.cursor);
    const p = await this.client.page('/companies', 'GET /companies', {}, page, asCompany);
    // Pax8 cannot filter companies by update time: filtered here, on the page read.
    const since = options.changedSince ? isoInstant(options.changedSince) : null;
    const items = p.items.filter((c) => !since || (isoInstant(c.updatedDate) ?? '') >= since).map(toCustomer);
    return { items, next: hasNext(p) ? String(page + 1) : null, ...(p.totalElements !== null ? { total: p.totalElements } : {}) };
  }

  async getCustomer(id: string): Promise<MarketplaceCustomer | null> {
    const c = await this.orNull(this.client.call({ method: 'GET', path: `/companies/${encodeURIComponent(id)}`, operation: 'GET /companies/{companyId}', idempotent: true }, companySchema));
    return c ? toCustomer(c) : null;
  }

  /**
   * Pax8 keeps our id in the company's `externalId` but cannot search by it: the company list is
   * read (200 a page) and matched here. Deleted companies do not count.
   */
  async findCustomerByExternalId(externalId: string): Promise<MarketplaceCustomer | null> {
    for (let page = 0; ; page++) {
      const p = await this.client.page('/companies', 'GET /companies', {}, page, asCompany);
      const found = p.items.find((c) => c.externalId === externalId && c.status !== 'Deleted');
      if (found) return toCustomer(found);
      if (!hasNext(p)) return null;
    }
  }

  /** Creates the company with its contact (so it is Active at once), unless our external id exists. */
  async createCustomer(customer: NewCustomer): Promise<MarketplaceCustomer> {
    const existing = await this.findCustomerByExternalId(customer.externalId);
    if (existing) return existing;
    const body = companyCreateBody(customer);
    try {
      const created = await this.client.call({ method: 'POST', path: '/companies', operation: 'POST /companies', json: body, idempotent: false }, companySchema);
      return toCustomer(created);
    } catch (err) {
      // The answer was lost: the company may exist now. Our external id tells.
      if (isBridgeError(err) && err.outcomeUnknown) {
        const after = await this.findCustomerByExternalId(customer.externalId);
        if (after) return after;
      }
      throw err;
    }
  }

  // ---- products -----------------------------------------------------------------------------

  /** A page of products, each expanded into its pricing options (one pricing call per product). */
  async listProducts(options: { cursor?: string | null } = {}): Promise<Page<MarketplaceProduct>> {
    const page = pageNumber(options.cursor);
    const p = await this.client.page('/products', 'GET /products', {}, page, asProduct);
    const expanded = await mapWithConcurrency(p.items, this.settings.concurrency, async (product) => toProducts(product, await this.pricing(product.id), this.settings.currency));
    return { items: expanded.flat(), next: hasNext(p) ? String(page + 1) : null, ...(p.totalElements !== null ? { total: p.totalElements } : {}) };
  }

  /** A product id gives its first plan (Monthly first); a plan id (`product:Term[:Nm]`) that plan. */
  async getProduct(id: string): Promise<MarketplaceProduct | null> {
    const productId = id.split(':')[0];
    const plans = await this.getProductPlans(productId);
    if (!plans.length) return null;
    if (id !== productId) return plans.find((p) => p.planId === id) ?? null;
    return plans.find((p) => p.billingCycle === 'monthly') ?? plans[0];
  }

  /** Every pricing option of a product; with `companyId`, that company's prices (and `currency`, which Pax8 does not state). */
  async getProductPlans(productId: string, options: { companyId?: string; currency?: string } = {}): Promise<MarketplaceProduct[]> {
    const product = await this.orNull(this.client.call({ method: 'GET', path: `/products/${encodeURIComponent(productId)}`, operation: 'GET /products/{productId}', idempotent: true }, productSchema));
    if (!product) return [];
    return toProducts(product, await this.pricing(productId, options.companyId), options.currency ?? this.settings.currency);
  }

  private async pricing(productId: string, companyId?: string): Promise<Pax8Pricing[]> {
    const body = await this.orNull(this.client.call(
      { method: 'GET', path: `/products/${encodeURIComponent(productId)}/pricing`, operation: 'GET /products/{productId}/pricing', searchParams: { companyId }, idempotent: true },
      pricingListSchema,
    ));
    return body?.content ?? [];
  }

  // ---- subscriptions ------------------------------------------------------------------------

  async listSubscriptions(options: { cursor?: string | null; customerId?: string } = {}): Promise<Page<MarketplaceSubscription>> {
    const page = pageNumber(options.cursor);
    const p = await this.client.page('/subscriptions', 'GET /subscriptions', { companyId: options.customerId, sort: 'createdDate,asc' }, page, asSubscription);
    return { items: p.items.map((s) => toSubscription(s, this.settings.currency)), next: hasNext(p) ? String(page + 1) : null, ...(p.totalElements !== null ? { total: p.totalElements } : {}) };
  }

  async getSubscription(id: string): Promise<MarketplaceSubscription | null> {
    const s = await this.orNull(this.client.call({ method: 'GET', path: `/subscriptions/${encodeURIComponent(id)}`, operation: 'GET /subscriptions/{subscriptionId}', idempotent: true }, subscriptionSchema));
    return s ? toSubscription(s, this.settings.currency) : null;
  }

  /** Every recorded state of a subscription (Pax8 returns them newest first). */
  async subscriptionHistory(id: string): Promise<Pax8Subscription[]> {
    const body = await this.client.call({ method: 'GET', path: `/subscriptions/${encodeURIComponent(id)}/history`, operation: 'GET /subscriptions/{subscriptionId}/history', idempotent: true }, historySchema);
    return body.content ?? [];
  }

  /** The subscription's usage summaries (charges of the current month, per resource group). */
  async usageSummaries(subscriptionId: string): Promise<Pax8UsageSummary[]> {
    return this.client.all(`/subscriptions/${encodeURIComponent(subscriptionId)}/usage-summaries`, 'GET /subscriptions/{subscriptionId}/usage-summaries', {}, asUsage);
  }

  // ---- orders -------------------------------------------------------------------------------

  /** `POST /orders?isMock=true`: Pax8 validates the order and places nothing. */
  async validateOrder(input: OrderInput): Promise<OrderValidation> {
    try {
      return { valid: true, order: await this.submitOrder(input, true) };
    } catch (err) {
      if (isBridgeError(err) && err.kind === 'validation') return { valid: false, error: err };
      throw err;
    }
  }

  /** Places the order. Not repeated after a lost answer (Pax8 documents no idempotency): the caller checks. */
  async createOrder(input: OrderInput): Promise<Pax8Order> {
    return this.submitOrder(input, false);
  }

  async getOrder(id: string): Promise<Pax8Order | null> {
    return this.orNull(this.client.call({ method: 'GET', path: `/orders/${encodeURIComponent(id)}`, operation: 'GET /orders/{orderId}', idempotent: true }, orderSchema));
  }

  private async submitOrder(input: OrderInput, isMock: boolean): Promise<Pax8Order> {
    const lineItems = await Promise.all(input.lines.map(async (line, i) => ({
      companyId: input.companyId,
      productId: line.productId,
      lineItemNumber: i + 1,
      quantity: line.quantity,
      billingTerm: line.billingTerm,
      ...(line.provisioningDetails ? { provisioningDetails: line.provisioningDetails } : {}),
      ...(await this.commitmentFor(line)),
    })));
    const body: OrderCreate = { companyId: input.companyId, orderedBy: 'Pax8 Partner', lineItems };
    return this.client.call(
      { method: 'POST', path: '/orders', operation: isMock ? 'POST /orders?isMock=true' : 'POST /orders', searchParams: isMock ? { isMock: true } : undefined, json: body, idempotent: isMock },
      orderSchema,
    );
  }

  /**
   * The spec: a product that `requiresCommitment` needs a `commitmentTermId` whose term is at least
   * the billing term; the shortest such commitment is chosen.
   */
  private async commitmentFor(line: OrderLineInput): Promise<{ commitmentTermId?: string }> {
    if (line.commitmentTermId) return { commitmentTermId: line.commitmentTermId };
    const product = await this.orNull(this.client.call({ method: 'GET', path: `/products/${encodeURIComponent(line.productId)}`, operation: 'GET /products/{productId}', idempotent: true }, productSchema));
    if (!product?.requiresCommitment) return {};
    const deps = await this.client.call({ method: 'GET', path: `/products/${encodeURIComponent(line.productId)}/dependencies`, operation: 'GET /products/{productId}/dependencies', idempotent: true }, dependenciesSchema);
    const want = monthsOf(line.billingTerm) ?? 1;
    const fitting = (deps.commitmentDependencies ?? [])
      .map((c) => ({ id: c.id, months: monthsOf(c.term) }))
      .filter((c): c is { id: string; months: number } => !!c.id && c.months !== null && c.months >= want)
      .sort((a, b) => a.months - b.months);
    return fitting.length ? { commitmentTermId: fitting[0].id } : {};
  }

  // ---- events -------------------------------------------------------------------------------

  async events(options: { cursor: string | null; since?: string; limit?: number }): Promise<EventPage> {
    const limit = Math.max(1, options.limit ?? Number.MAX_SAFE_INTEGER);
    let position: EventPosition;
    let scan: Scan;
    const cached = this.cache;
    if (cached && options.cursor !== null && cached.cursor === options.cursor && Date.now() - cached.at < CACHE_TTL_MS) {
      ({ position, scan } = cached);
    } else {
      position = this.startPosition(options.cursor, options.since);
      scan = await this.scan(position);
    }
    const events = scan.events.slice(0, limit);
    const rest: Scan = { ...scan, events: scan.events.slice(limit) };
    const next: EventPosition = { ...position };
    for (const e of events) {
      const key: EventKey = [e.createdAt, e.id];
      if (e.type === 'billing') next.billing = key;
      else next.activity = key;
    }
    if (!rest.events.length && scan.seenUpTo && (!next.watermark || scan.seenUpTo > next.watermark)) next.watermark = scan.seenUpTo;
    Object.assign(next, invoiceProgress(next, rest));
    const cursor = next.activity || next.billing || next.watermark || next.invoicesFrom ? encodeCursor(next) : options.cursor;
    this.cache = rest.events.length && cursor ? { cursor, position: next, scan: rest, at: Date.now() } : undefined;
    return { events, cursor, more: rest.events.length > 0 };
  }

  private startPosition(cursor: string | null, since: string | undefined): EventPosition {
    if (cursor !== null) {
      try {
        return decodeCursor(cursor);
      } catch (err) {
        throw new BridgeError('state', (err as Error).message, { source: this.client.source, operation: 'events' });
      }
    }
    const at = since ? isoInstant(since) : null;
    if (since && !at) throw new BridgeError('validation', `Pax8 events: "since" is not a date (${since})`, { source: this.client.source, operation: 'events' });
    // '' sorts before every id: events at exactly `since` are included.
    const key: EventKey | null = at ? [at, ''] : null;
    return { activity: key, billing: key, watermark: null, invoicesFrom: null, invoicesDone: [] };
  }

  /** Every event after `position`, oldest first (ties by id), the newest snapshot seen and the invoices listed. */
  private async scan(position: EventPosition): Promise<Scan> {
    const [activity, billing] = await Promise.all([this.activityEvents(position.activity, position.watermark), this.billingEvents(position)]);
    const events = [...activity.events, ...billing.events].sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id]));
    return { events, seenUpTo: activity.seenUpTo, invoices: billing.invoices };
  }

  private async activityEvents(after: EventKey | null, watermark: string | null): Promise<{ events: MarketplaceEvent[]; seenUpTo: string | null }> {
    const from = after?.[0] ?? '';
    const subs = await this.client.all('/subscriptions', 'GET /subscriptions', { sort: 'createdDate,asc' }, asSubscription);
    const needHistory: Pax8Subscription[] = [];
    const newOnly: Pax8Subscription[] = [];
    let seenUpTo: string | null = null;
    for (const s of subs) {
      const at = recordedAt(s);
      if (at === null || (watermark !== null && at <= watermark)) continue;
      if (!seenUpTo || at > seenUpTo) seenUpTo = at;
      if (at < from) continue;
      if (s.updatedDate) needHistory.push(s);
      else newOnly.push(s);
    }
    // Orders only tell the sale's order line: read them when there is a sale to tell.
    const sold = [...needHistory, ...newOnly].filter((s) => (isoInstant(s.createdDate) ?? '') >= from);
    const orders = sold.length ? await this.orderLines(sold, subs) : new Map<string, { order: Pax8Order; lineIndex: number }>();
    const out: MarketplaceEvent[] = [];
    for (const s of newOnly) {
      const e = saleEvent(s, orders.get(s.id));
      if (e) out.push(e);
    }
    const histories = await mapWithConcurrency(needHistory, this.settings.concurrency, async (s) => {
      try {
        return { s, history: await this.subscriptionHistory(s.id) };
      } catch (err) {
        if (isBridgeError(err) && err.kind === 'not_found') return { s, history: [] };
        throw err;
      }
    });
    for (const { s, history } of histories) out.push(...historyEvents(history.length ? history : [s], orders.get(s.id)));
    return { events: out.filter((e) => isAfter([e.createdAt, e.id], after)), seenUpTo };
  }

  /**
   * The order lines of the subscriptions `sold`. `GET /orders` has no date filter (spec: page, size, companyId), so
   * either the whole list is read or each buying company's (`companyId`), whichever costs fewer pages: a company
   * has no more orders than subscriptions (an order line makes one), so the subscription counts bound both.
   */
  private async orderLines(sold: Pax8Subscription[], subs: Pax8Subscription[]): Promise<Map<string, { order: Pax8Order; lineIndex: number }>> {
    const size = this.settings.pageSize;
    const perCompany = new Map<string, number>();
    for (const s of subs) perCompany.set(s.companyId, (perCompany.get(s.companyId) ?? 0) + 1);
    const buyers = [...new Set(sold.map((s) => s.companyId))];
    const byCompanyPages = buyers.reduce((n, c) => n + Math.max(1, Math.ceil((perCompany.get(c) ?? 0) / size)), 0);
    const orders = byCompanyPages < Math.ceil(subs.length / size)
      ? (await mapWithConcurrency(buyers, this.settings.concurrency, (companyId) => this.client.all('/orders', 'GET /orders', { companyId }, asOrder))).flat()
      : await this.client.all('/orders', 'GET /orders', {}, asOrder);
    const bySubscription = new Map<string, { order: Pax8Order; lineIndex: number }>();
    for (const order of orders) {
      (order.lineItems ?? []).forEach((line, lineIndex) => {
        if (line.subscriptionId && !bySubscription.has(line.subscriptionId)) bySubscription.set(line.subscriptionId, { order, lineIndex });
      });
    }
    return bySubscription;
  }

  /**
   * Usage billed in arrears, from the invoices dated on or after the position's day (or `invoicesFrom`, if later);
   * the lines of invoices already handed out (`invoicesDone`) are not read again.
   */
  private async billingEvents(position: EventPosition): Promise<{ events: MarketplaceEvent[]; invoices: ListedInvoice[] }> {
    const after = position.billing;
    const start = laterDay(after ? after[0].slice(0, 10) : null, position.invoicesFrom) ?? undefined;
    const done = new Set(position.invoicesDone);
    const invoices: Pax8Invoice[] = await this.client.all('/invoices', 'GET /invoices', { invoiceDateRangeStart: start, sort: 'invoiceDate' }, asInvoice);
    const listed = await mapWithConcurrency(invoices, this.settings.concurrency, async (invoice): Promise<ListedInvoice & { events: MarketplaceEvent[] }> => {
      const date = invoice.invoiceDate.slice(0, 10);
      if (done.has(invoice.id)) return { id: invoice.id, date, eventIds: [], events: [] };
      const items = await this.client.all(`/invoices/${encodeURIComponent(invoice.id)}/items`, 'GET /invoices/{invoiceId}/items', {}, asInvoiceItem);
      const events = items.filter((i) => i.term === 'Arrears').map((i) => billingEvent(i, invoice))
        .filter((e): e is MarketplaceEvent => e !== null && isAfter([e.createdAt, e.id], after));
      return { id: invoice.id, date, eventIds: events.map((e) => e.id), events };
    });
    return { events: listed.flatMap((i) => i.events), invoices: listed.map(({ id, date, eventIds }) => ({ id, date, eventIds })) };
  }

  private async orNull<T>(p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (err) {
      if (isBridgeError(err) && err.kind === 'not_found') return null;
      throw err;
    }
  }
}

/**
 * Which invoices the next read lists and skips, once the events before `rest` are handed out: an invoice none of
 * whose events is left is done; when none is left at all, listing moves on to the newest invoice's day (an invoice
 * Pax8 adds later that day is still listed, and only the done ones are skipped).
 */
function invoiceProgress(next: EventPosition, rest: Scan): Pick<EventPosition, 'invoicesFrom' | 'invoicesDone'> {
  const left = new Set(rest.events.filter((e) => e.type === 'billing').map((e) => e.id));
  let invoicesFrom = next.invoicesFrom;
  if (!left.size) for (const i of rest.invoices) invoicesFrom = laterDay(invoicesFrom, i.date);
  const from = laterDay(next.billing ? next.billing[0].slice(0, 10) : null, invoicesFrom);
  const done = rest.invoices.filter((i) => !i.eventIds.some((id) => left.has(id)) && (from === null || i.date >= from));
  return { invoicesFrom, invoicesDone: done.map((i) => i.id) };
}

function laterDay(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a > b ? a : b;
}

function pageNumber(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const n = Number(cursor);
  if (!Number.isInteger(n) || n < 0) throw new BridgeError('state', `Pax8 page cursor is not valid (${cursor})`, { source: 'pax8', operation: 'list' });
  return n;
}

/** The company body: Pax8 requires a website; without one we use the e-mail's domain. */
export function companyCreateBody(c: NewCustomer): CompanyCreate {
  const extra = c.extra ?? {};
  const website = typeof extra.website === 'string' && extra.website ? extra.website : `https://${c.email.split('@')[1] ?? 'example.com'}`;
  const contactPhone = c.contact.phone ?? c.phone;
  return {
    name: c.name,
    address: {
      street: c.address.line1,
      city: c.address.city,
      ...(c.address.state ? { stateOrProvince: c.address.state } : {}),
      postalCode: c.address.postalCode,
      country: c.address.countryCode.toUpperCase(),
    },
    phone: c.phone,
    website,
    externalId: c.externalId,
    billOnBehalfOfEnabled: extra.billOnBehalfOfEnabled === true,
    selfServiceAllowed: extra.selfServiceAllowed === true,
    orderApprovalRequired: extra.orderApprovalRequired === true,
    contacts: [{
      firstName: c.contact.firstName,
      lastName: c.contact.lastName,
      email: c.contact.email,
      phone: contactPhone,
      types: (['Admin', 'Billing', 'Technical'] as const).map((type) => ({ type, primary: true })),
    }],
  };
}

export type { Pax8Company, Pax8Order, Pax8Subscription };
