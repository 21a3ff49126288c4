// Pax8 as a MarketplaceAdapter: companies, products with pricing, subscriptions, orders (with the
// `isMock` dry run) and the event stream derived from orders, subscription history and invoices.
//
// Pax8 has no change feed, so `events()` reads the lists (orders, subscriptions, invoices: one
// request per 200 records) and the history of every subscription whose `updatedDate` is at or
// after the cursor (one request each): the only place Pax8 records quantity before and after.
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

/** A scan's events not yet handed out, kept briefly so paging through them costs no new scan. */
interface ScanCache {
  cursor: string;
  events: MarketplaceEvent[];
  position: EventPosition;
  /** The newest snapshot the scan saw: the watermark once all its events are handed out. */
  seenUpTo: string | null;
  at: number;
}

const CACHE_TTL_MS = 60_000;

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
    let pending: MarketplaceEvent[];
    let seenUpTo: string | null;
    const cached = this.cache;
    if (cached && options.cursor !== null && cached.cursor === options.cursor && Date.now() - cached.at < CACHE_TTL_MS) {
      ({ position, events: pending, seenUpTo } = cached);
    } else {
      position = this.startPosition(options.cursor, options.since);
      ({ events: pending, seenUpTo } = await this.scan(position));
    }
    const events = pending.slice(0, limit);
    const rest = pending.slice(limit);
    const next: EventPosition = { ...position };
    for (const e of events) {
      const key: EventKey = [e.createdAt, e.id];
      if (e.type === 'billing') next.billing = key;
      else next.activity = key;
    }
    if (!rest.length && seenUpTo && (!next.watermark || seenUpTo > next.watermark)) next.watermark = seenUpTo;
    const cursor = next.activity || next.billing || next.watermark ? encodeCursor(next) : options.cursor;
    this.cache = rest.length && cursor ? { cursor, events: rest, position: next, seenUpTo, at: Date.now() } : undefined;
    return { events, cursor, more: rest.length > 0 };
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
    return { activity: key, billing: key, watermark: null };
  }

  /** Every event after `position`, oldest first (ties by id), and the newest snapshot seen. */
  private async scan(position: EventPosition): Promise<{ events: MarketplaceEvent[]; seenUpTo: string | null }> {
    const [activity, billing] = await Promise.all([this.activityEvents(position.activity, position.watermark), this.billingEvents(position.billing)]);
    return { events: [...activity.events, ...billing].sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id])), seenUpTo: activity.seenUpTo };
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
    const createdSince = [...needHistory, ...newOnly].some((s) => (isoInstant(s.createdDate) ?? '') >= from);
    const orders = createdSince ? await this.orderLines() : new Map<string, { order: Pax8Order; lineIndex: number }>();
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

  private async orderLines(): Promise<Map<string, { order: Pax8Order; lineIndex: number }>> {
    const orders = await this.client.all('/orders', 'GET /orders', {}, asOrder);
    const bySubscription = new Map<string, { order: Pax8Order; lineIndex: number }>();
    for (const order of orders) {
      (order.lineItems ?? []).forEach((line, lineIndex) => {
        if (line.subscriptionId && !bySubscription.has(line.subscriptionId)) bySubscription.set(line.subscriptionId, { order, lineIndex });
      });
    }
    return bySubscription;
  }

  /** Usage billed in arrears, from the invoices dated on or after the position's day. */
  private async billingEvents(after: EventKey | null): Promise<MarketplaceEvent[]> {
    const start = after ? after[0].slice(0, 10) : undefined;
    const invoices: Pax8Invoice[] = await this.client.all('/invoices', 'GET /invoices', { invoiceDateRangeStart: start, sort: 'invoiceDate' }, asInvoice);
    const perInvoice = await mapWithConcurrency(invoices, this.settings.concurrency, async (invoice) => {
      const items = await this.client.all(`/invoices/${encodeURIComponent(invoice.id)}/items`, 'GET /invoices/{invoiceId}/items', {}, asInvoiceItem);
      return items.filter((i) => i.term === 'Arrears').map((i) => billingEvent(i, invoice)).filter((e): e is MarketplaceEvent => e !== null);
    });
    return perInvoice.flat().filter((e) => isAfter([e.createdAt, e.id], after));
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
