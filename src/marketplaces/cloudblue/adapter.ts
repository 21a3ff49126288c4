// CloudBlue Commerce SimpleAPI 1.15 as a MarketplaceAdapter: each method says path, query and body, then hands the
// answer to mapping.ts. Transport, auth and errors: client.ts. Cursor rules: cursor.ts.
//
// Costs (the spec's list shapes are thin): `GET /subscriptions` items carry no product or quantity and `GET /orders`
// items no subscription id or products, so every listed subscription and every completed order is read once more
// by id (`detailConcurrency` at a time). Reading n completed orders costs ceil(n / pageSize) + n requests;
// EVENT_READ_COSTS says why, with the spec's paths, and sim/bench.ts measures it.
import { mapWithConcurrency } from '../../concurrency';
import { BridgeError, isBridgeError } from '../../failures';
import { VendorClient } from '../../http/vendor-client';
import type {
  EventPage, MarketplaceAdapter, MarketplaceCustomer, MarketplaceEvent, MarketplaceProduct, MarketplaceSubscription, NewCustomer, Page,
} from '../adapter';
import { CloudBlueClient, classifyCloudBlue, parse, VENDOR } from './client';
import { advance, decodeCursor, encodeCursor, initialCursor, prunePending, type EventCursor } from './cursor';
import { isSettled, orderEvent, toCustomer, toCustomerCreate, toProduct, toSubscription, usageEvent } from './mapping';
import {
  customerListSchema, customerSchema, orderDetailedSchema, orderListSchema, productListSchema, ratedDataFileSchema, reportListSchema,
  reportSchema, servicePlanListSchema, subscriptionDetailedSchema, subscriptionListSchema, type CbOrder, type CbReport, type CbServicePlan, type RatedDataRow,
} from './schemas';
import { cloudBlueSettingsSchema, type CloudBlueSecrets, type CloudBlueSettingsInput } from './settings';

export const CLOUDBLUE_KIND = 'cloudblue';
/** The spec sets no maximum `limit`; we never ask for more than this [unverified]. */
export const MAX_PAGE_SIZE = 1000;

/** How long getProduct trusts the catalog it read: about one sync run. */
const CATALOG_TTL_MS = 10 * 60_000;

/** Order statuses that may still change (`GET /orders` `status` filter, spec `paths./orders.get.parameters`). */
const UNSETTLED = ['submitted', 'processing', 'error'] as const;

/**
 * What reading the event stream costs beyond ceil(n / pageSize) list pages, and why the spec leaves no cheaper way.
 * The bench prints it beside the measured counts.
 */
export const EVENT_READ_COSTS = [
  {
    endpoint: 'GET /orders/{id}',
    per: 'completed order (each order event)',
    why: '`Order`, the item of `GET /orders` (`ResultListOrder.data`), has no `subscriptionId` and no `products` (the '
      + 'quantity a change leaves, a migration\'s new product, the billing period); only `OrderDetailed` '
      + '(`GET /orders/{id}`) has them. The list\'s `details` (product, charged units, price) do not replace them.',
    spec: 'spec/cloudblue-commerce-simpleapi-1.15-openapi.yaml #/components/schemas/Order vs #/components/schemas/OrderDetailed',
  },
  {
    endpoint: 'GET /orders?status=…',
    per: 'poll with more than 3 orders held unsettled: one list per unsettled status (submitted, processing, error), '
      + 'then GET /orders/{id} only for those no longer listed; 3 or fewer are read by id',
    why: 'an order passed while unsettled keeps its creation time, so the creation-time cursor cannot see it settle.',
    spec: 'spec/cloudblue-commerce-simpleapi-1.15-openapi.yaml paths./orders.get.parameters (status, creationTimeFrom, creationTimeTo)',
  },
  {
    endpoint: 'GET /reports + the report file',
    per: 'rated-data report: one list and one download each, one more list when a report spans several calls',
    why: 'usage is only in rated-data report files (`Report.downloadUrl`).',
    spec: 'spec/cloudblue-commerce-simpleapi-1.15-openapi.yaml #/components/schemas/Report',
  },
] as const;

export class CloudBlueAdapter implements MarketplaceAdapter {
  readonly kind = CLOUDBLUE_KIND;
  readonly maxPageSize: number;
  readonly client: CloudBlueClient;
  private readonly source: string;

  private readonly usageReportName: string;
  /** The catalog getProduct read last. */
  private catalog?: { at: number; byId: Map<string, MarketplaceProduct> };
  /** The report being read and its rows, so a report longer than a page is downloaded once. */
  private lastReport?: { report: CbReport; rows: RatedDataRow[] };

  constructor(settings: CloudBlueSettingsInput, secrets: CloudBlueSecrets, options: { source?: string } = {}) {
    const parsed = cloudBlueSettingsSchema.parse(settings);
    this.source = options.source ?? CLOUDBLUE_KIND;
    this.client = new CloudBlueClient(parsed, secrets, this.source);
    this.maxPageSize = Math.min(parsed.pageSize, MAX_PAGE_SIZE);
    this.usageReportName = parsed.usageReportName;
  }

  private get settings() {
    return this.client.settings;
  }

  // ---- customers --------------------------------------------------------------------------------

  async listCustomers(options: { cursor?: string | null; changedSince?: string } = {}): Promise<Page<MarketplaceCustomer>> {
    // `changedSince` cannot be honoured: SimpleAPI keeps no modification time on customers.
    const offset = this.offset(options.cursor);
    const { data } = await this.client.call(customerListSchema, {
      method: 'GET', path: '/customers', idempotent: true, searchParams: { offset, limit: this.maxPageSize },
    });
    return this.page(data.data.map(toCustomer), offset, data.pagination?.total);
  }

  async getCustomer(id: string): Promise<MarketplaceCustomer | null> {
    return this.orNull(async () => {
      const { data } = await this.client.call(customerSchema, { method: 'GET', path: `/customers/${encodeURIComponent(id)}`, operation: 'GET /customers/{id}', idempotent: true });
      return toCustomer(data);
    });
  }

  async findCustomerByExternalId(externalId: string): Promise<MarketplaceCustomer | null> {
    const { data } = await this.client.call(customerListSchema, {
      method: 'GET', path: '/customers', idempotent: true, searchParams: { externalId, offset: 0, limit: 10 },
    });
    // The filter is documented as "equal to"; compare anyway, a lenient server must not merge two companies.
    const found = data.data.filter((c) => c.externalId === externalId);
    if (found.length > 1) {
      throw new BridgeError('conflict', `${VENDOR} has ${found.length} customers with external id ${externalId} (${found.map((c) => c.id).join(', ')}); merge them in CloudBlue first.`, { source: this.source, operation: 'GET /customers' });
    }
    return found[0] ? toCustomer(found[0]) : null;
  }

  /** Finds by external id first; a create whose answer was lost is recovered by the same lookup, never repeated blindly. */
  async createCustomer(customer: NewCustomer): Promise<MarketplaceCustomer> {
    const existing = await this.findCustomerByExternalId(customer.externalId);
    if (existing) return existing;
    try {
      const { data } = await this.client.call(customerSchema, {
        method: 'POST', path: '/customers', idempotent: false, json: toCustomerCreate(customer, this.settings.language),
      });
      return toCustomer(data);
    } catch (err) {
      if (isBridgeError(err) && (err.kind === 'outcome_unknown' || err.kind === 'transient')) {
        const created = await this.findCustomerByExternalId(customer.externalId);
        if (created) return created;
      }
      throw err;
    }
  }

  // ---- catalog ----------------------------------------------------------------------------------

  async listProducts(options: { cursor?: string | null } = {}): Promise<Page<MarketplaceProduct>> {
    const offset = this.offset(options.cursor);
    const { data } = await this.client.call(productListSchema, {
      method: 'GET', path: '/products', idempotent: true, searchParams: { offset, limit: this.maxPageSize },
    });
    return this.page(data.data.map((p) => toProduct(p, this.settings.currency)), offset, data.pagination?.total);
  }

  /**
   * SimpleAPI has no `GET /products/{id}`: the catalog is paged once and kept CATALOG_TTL_MS, so a run looking up
   * many products reads it once, not once per lookup. An id not in the kept catalog reads it again (a new product).
   */
  async getProduct(id: string): Promise<MarketplaceProduct | null> {
    const fresh = this.catalog && Date.now() - this.catalog.at < CATALOG_TTL_MS ? this.catalog : undefined;
    const found = fresh?.byId.get(id);
    if (found) return found;
    const byId = new Map<string, MarketplaceProduct>();
    let cursor: string | null = null;
    do {
      const page: Page<MarketplaceProduct> = await this.listProducts({ cursor });
      for (const p of page.items) byId.set(p.id, p);
      cursor = page.next;
    } while (cursor);
    this.catalog = { at: Date.now(), byId };
    return byId.get(id) ?? null;
  }

  /** Service plans (`GET /plans`), for operators mapping plans; not part of MarketplaceAdapter. */
  async listPlans(options: { cursor?: string | null } = {}): Promise<Page<CbServicePlan>> {
    const offset = this.offset(options.cursor);
    const { data } = await this.client.call(servicePlanListSchema, {
      method: 'GET', path: '/plans', idempotent: true, searchParams: { offset, limit: this.maxPageSize },
    });
    return this.page(data.data, offset, data.pagination?.total);
  }

  // ---- subscriptions ----------------------------------------------------------------------------

  async listSubscriptions(options: { cursor?: string | null; customerId?: string } = {}): Promise<Page<MarketplaceSubscription>> {
    const offset = this.offset(options.cursor);
    const { data } = await this.client.call(subscriptionListSchema, {
      method: 'GET', path: '/subscriptions', idempotent: true, searchParams: { customerId: options.customerId, offset, limit: this.maxPageSize },
    });
    const detailed = await mapWithConcurrency(data.data, this.settings.detailConcurrency, (s) => this.getSubscription(s.id));
    return this.page(detailed.filter((s): s is MarketplaceSubscription => s !== null), offset, data.pagination?.total, data.data.length);
  }

  async getSubscription(id: string): Promise<MarketplaceSubscription | null> {
    return this.orNull(async () => {
      const { data } = await this.client.call(subscriptionDetailedSchema, { method: 'GET', path: `/subscriptions/${encodeURIComponent(id)}`, operation: 'GET /subscriptions/{id}', idempotent: true });
      return toSubscription(data);
    });
  }

  // ---- events -----------------------------------------------------------------------------------

  async events(options: { cursor: string | null; since?: string; limit?: number }): Promise<EventPage> {
    const cursor = options.cursor ? decodeCursor(options.cursor, this.source) : initialCursor(options.since);
    const limit = Math.max(1, Math.min(options.limit ?? this.maxPageSize, this.maxPageSize));
    // Orders held from earlier calls; those this call's page passes unsettled are looked at on a later call.
    const carried = new Set(cursor.pending.map(([id]) => id));
    const { events, ordersDone } = await this.orderPage(cursor, limit);
    if (!ordersDone) return { events, cursor: encodeCursor(cursor), more: true };

    // Caught up with orders: settle what was pending, then read usage.
    events.push(...(await this.settlePending(cursor, carried)));
    const usage = await this.usagePage(cursor, limit);
    events.push(...usage.events);
    return { events, cursor: encodeCursor(cursor), more: usage.more };
  }

  /** One page of orders after the cursor; completed ones read in detail. */
  private async orderPage(cursor: EventCursor, limit: number): Promise<{ events: MarketplaceEvent[]; ordersDone: boolean }> {
    const pos = cursor.orders;
    const { data } = await this.client.call(orderListSchema, {
      method: 'GET', path: '/orders', idempotent: true,
      searchParams: { creationTimeFrom: pos.t ?? undefined, offset: pos.t ? pos.n.length : 0, limit },
    });
    const completed: CbOrder[] = [];
    for (const order of data.data) {
      if (!advance(pos, order.creationDate, order.id)) continue;
      if (order.status === 'completed') completed.push(order);
      else if (!isSettled(order)) cursor.pending.push([order.id, order.creationDate]);
    }
    prunePending(cursor, pos.t);
    const events = await this.orderEvents(completed.map((o) => o.id));
    const total = data.pagination?.total;
    const ordersDone = data.data.length < limit || (total !== undefined && (data.pagination?.offset ?? 0) + data.data.length >= total);
    return { events, ordersDone };
  }

  /**
   * Orders passed unsettled on an earlier call (`carried`), looked at again once the stream has caught up. More than
   * UNSETTLED.length of them: the orders still unsettled in their time window are listed by status, and only the
   * others are read by id.
   */
  private async settlePending(cursor: EventCursor, carried: Set<string>): Promise<MarketplaceEvent[]> {
    const due = cursor.pending.filter(([id]) => carried.has(id));
    if (!due.length) return [];
    const open = due.length > UNSETTLED.length ? await this.unsettledIds(due) : new Set<string>();
    const toRead = due.filter(([id]) => !open.has(id));
    const read = await mapWithConcurrency(toRead, this.settings.detailConcurrency, ([id]) => this.orderDetail(id));
    const byId = new Map(toRead.map(([id], i) => [id, read[i]]));
    const events: MarketplaceEvent[] = [];
    cursor.pending = cursor.pending.filter(([id]) => {
      if (!byId.has(id)) return true; // still listed as unsettled
      const o = byId.get(id);
      if (!o) return false; // gone: nothing to apply
      if (o.status === 'completed') events.push(orderEvent(o));
      return !isSettled(o);
    });
    return events;
  }

  /**
   * Ids of the orders created between the oldest and the newest pending one that are still unsettled: one
   * `GET /orders?status=` list per unsettled status. A pending order missing here (settled, or between two statuses
   * while listed, or outside a window the server reads as exclusive) is read by id, so a miss costs one call, never an
   * event; a listed order whose status is settled is ignored, so a server that ignored the filter cannot hide one.
   */
  private async unsettledIds(pending: Array<[string, string]>): Promise<Set<string>> {
    const times = pending.map(([, t]) => t).sort((a, b) => Date.parse(a) - Date.parse(b));
    const ids = new Set<string>();
    for (const status of UNSETTLED) {
      for (let offset = 0; ; ) {
        const { data } = await this.client.call(orderListSchema, {
          method: 'GET', path: '/orders', idempotent: true,
          searchParams: { status, creationTimeFrom: times[0], creationTimeTo: times[times.length - 1], offset, limit: this.maxPageSize },
        });
        for (const o of data.data) if (!isSettled(o)) ids.add(o.id);
        offset += data.data.length;
        if (data.data.length < this.maxPageSize || offset >= (data.pagination?.total ?? Infinity)) break;
      }
    }
    return ids;
  }

  private async orderEvents(ids: string[]): Promise<MarketplaceEvent[]> {
    const orders = await mapWithConcurrency(ids, this.settings.detailConcurrency, (id) => this.orderDetail(id));
    return orders.filter((o) => o !== null).map(orderEvent);
  }

  private orderDetail(id: string) {
    return this.orNull(async () => (await this.client.call(orderDetailedSchema, { method: 'GET', path: `/orders/${encodeURIComponent(id)}`, operation: 'GET /orders/{id}', idempotent: true })).data);
  }

  /** Rows of completed rated-data reports after the cursor, at most `limit`. */
  private async usagePage(cursor: EventCursor, limit: number): Promise<{ events: MarketplaceEvent[]; more: boolean }> {
    const pos = cursor.reports;
    let report: CbReport | undefined;
    let fresh: CbReport[] = [];
    if (pos.cur) {
      report = this.lastReport?.report.id === pos.cur.id ? this.lastReport.report : (await this.findReport(pos.cur.id)) ?? undefined;
      if (!report) pos.cur = undefined; // withdrawn: move on
    }
    const listed = !pos.cur;
    if (!pos.cur) {
      fresh = await this.reportsAfter(pos);
      report = fresh.shift();
      if (!report) return { events: [], more: false };
      pos.cur = { id: report.id, row: 0 };
    }
    const rows = await this.downloadReport(report!);
    const slice = rows.slice(pos.cur!.row, pos.cur!.row + limit);
    const events = slice.map((row) => usageEvent(row, report!.creationDate, report!.id));
    pos.cur!.row += slice.length;
    if (pos.cur!.row >= rows.length) {
      advance(pos, report!.creationDate, report!.id);
      pos.cur = undefined;
      // Listed in this call: the rest of that list says whether more follow; resumed from a cursor: list again.
      return { events, more: listed ? fresh.length > 0 : (await this.reportsAfter(pos)).length > 0 };
    }
    return { events, more: true };
  }

  /** Completed usage reports created after the position, oldest first (reports are few: one per period). */
  private async reportsAfter(pos: EventCursor['reports']): Promise<CbReport[]> {
    const all: CbReport[] = [];
    for (let offset = 0; ; ) {
      const { data } = await this.client.call(reportListSchema, {
        method: 'GET', path: '/reports', idempotent: true,
        searchParams: { name: this.usageReportName, status: 'completed', format: 'json', offset, limit: this.maxPageSize },
      });
      all.push(...data.data);
      offset += data.data.length;
      if (!data.data.length || offset >= (data.pagination?.total ?? 0)) break;
    }
    const after = all.filter((r) => {
      if (pos.t === null) return true;
      const cmp = Date.parse(r.creationDate) - Date.parse(pos.t);
      return cmp > 0 || (cmp === 0 && !pos.n.includes(r.id));
    });
    return after.sort((a, b) => Date.parse(a.creationDate) - Date.parse(b.creationDate) || a.id.localeCompare(b.id));
  }

  private findReport(id: string): Promise<CbReport | null> {
    return this.orNull(async () => (await this.client.call(reportSchema, {
      method: 'GET', path: `/reports/${encodeURIComponent(id)}`, operation: 'GET /reports/{reportId}', idempotent: true,
    })).data);
  }

  /** The report file lives in blob storage behind a signed URL: no CloudBlue credentials go there. */
  private async downloadReport(report: CbReport): Promise<RatedDataRow[]> {
    if (this.lastReport?.report.id === report.id) return this.lastReport.rows;
    if (!report.downloadUrl) return [];
    const url = new URL(report.downloadUrl);
    const http = new VendorClient({
      vendor: `${VENDOR} report storage`, source: this.source, baseUrl: url.origin, timeoutMs: this.settings.timeoutMs,
      classify: (status, body, ctx) => classifyCloudBlue(status, body, ctx, this.source),
    });
    const res = await http.request({
      method: 'GET', path: url.pathname, idempotent: true, operation: 'GET report file',
      searchParams: Object.fromEntries(url.searchParams),
    });
    const rows = parse(ratedDataFileSchema, res.body, 'GET report file', this.source, res).rows;
    this.lastReport = { report, rows };
    return rows;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private offset(cursor: string | null | undefined): number {
    if (!cursor) return 0;
    const n = Number(cursor);
    if (!Number.isInteger(n) || n < 0) {
      throw new BridgeError('validation', 'Not a CloudBlue page cursor.', { source: this.source, fieldErrors: [{ field: 'cursor', message: 'expected an offset', value: cursor.slice(0, 40) }] });
    }
    return n;
  }

  private page<T>(items: T[], offset: number, total: number | undefined, received = items.length): Page<T> {
    const end = offset + received;
    const more = received > 0 && (total !== undefined ? end < total : received >= this.maxPageSize);
    return { items, next: more ? String(end) : null, ...(total !== undefined ? { total } : {}) };
  }

  private async orNull<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (isBridgeError(err) && err.kind === 'not_found') return null;
      throw err;
    }
  }
}
