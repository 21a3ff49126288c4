// Pax8 Partner API routes on the shared SimServer, under the spec's `/v1` server path: token,
// bearer and rate-limit checks around every route, page/size paging, Pax8's error body.
import type { SimHandler, SimRequest, SimResponse, SimServer } from '../../../sim/kit/server';
import type { BillingTerm } from '../schemas';
import type { FixedWindowLimiter, TokenIssuer } from './auth';
import { current, MarketError, type Market, type SimSubscription } from './market';
import {
  companyRecord, dependenciesRecord, historyRecords, invoiceRecord, orderRecord, pax8Error, pricingRecords, productRecord, subscriptionRecord, usageSummaryRecord,
} from './records';
import { BILLING_TERMS } from '../schemas';

export interface Pax8SimState {
  market: Market;
  auth: TokenIssuer;
  limiter: FixedWindowLimiter;
}

export const BASE = '/v1';
/** Spec: every paged endpoint has `size` default 10, maximum 200, and `page` default 0. */
const DEFAULT_SIZE = 10;
const MAX_SIZE = 200;

const header = (req: SimRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** page/size from the query, or Pax8's 400 [U: the status for an out-of-range size is not documented]. */
function paging(req: SimRequest): { page: number; size: number } | SimResponse {
  const page = req.query.get('page') ?? '0';
  const size = req.query.get('size') ?? String(DEFAULT_SIZE);
  if (!/^\d+$/.test(page)) return { status: 400, body: pax8Error(400, 'page must be a whole number of 0 or more', req.path, [`page: ${page}`]) };
  const n = Number(size);
  if (!/^\d+$/.test(size) || n < 1 || n > MAX_SIZE) return { status: 400, body: pax8Error(400, `size must be between 1 and ${MAX_SIZE}`, req.path, [`size: ${size}`]) };
  return { page: Number(page), size: n };
}

function paged<T>(req: SimRequest, all: readonly T[], map: (item: T) => unknown): SimResponse {
  const p = paging(req);
  if ('status' in p) return p;
  const from = p.page * p.size;
  const content = [];
  for (let i = from; i < Math.min(all.length, from + p.size); i++) content.push(map(all[i]));
  return { status: 200, body: { content, page: { size: p.size, totalElements: all.length, totalPages: Math.ceil(all.length / p.size), number: p.page } } };
}

const SUB_SORTS: Record<string, (s: SimSubscription) => string | number> = {
  quantity: (s) => current(s).quantity,
  startDate: (s) => current(s).startDate,
  endDate: (s) => current(s).endDate ?? '',
  createdDate: (s) => s.createdDate,
  billingStart: (s) => s.billingStart,
  price: (s) => current(s).price,
};

export function registerPax8Routes(server: SimServer, state: Pax8SimState): void {
  const api = (handler: SimHandler): SimHandler => async (req) => {
    const check = state.auth.check(header(req, 'authorization'));
    if (check !== 'ok') {
      const message = { missing: 'Full authentication is required to access this resource', invalid: 'Invalid access token', expired: 'Access token expired', audience: 'Access token audience is not valid for this API' }[check];
      return { status: 401, body: pax8Error(401, message, req.path) };
    }
    const wait = state.limiter.take();
    if (wait !== null) return { status: 429, headers: { 'Retry-After': String(wait) }, body: pax8Error(429, 'Rate limit exceeded, retry later', req.path) };
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof MarketError) return { status: err.status, body: pax8Error(err.status, err.title, req.path, err.details) };
      throw err;
    }
  };
  const notFound = (req: SimRequest, what: string): SimResponse => ({ status: 404, body: pax8Error(404, `${what} not found`, req.path) });
  const m = () => state.market;

  server.route('POST', `${BASE}/token`, (req) => {
    const issued = state.auth.issue(req.body);
    // The spec's only refusal is 401 `{error: access_denied, error_description: Unauthorized}`.
    if (!issued) return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
    return { status: 200, body: { access_token: issued.token, expires_in: issued.expiresIn, token_type: 'Bearer' } };
  });

  // ---- companies ----------------------------------------------------------------------------
  server.route('GET', `${BASE}/companies`, api((req) => {
    const status = req.query.get('status');
    const country = req.query.get('country');
    const city = req.query.get('city');
    const list = m().companies.filter((c) => (!status || c.status === status) && (!country || c.address.country === country) && (!city || c.address.city === city));
    return paged(req, list, companyRecord);
  }));
  server.route('GET', `${BASE}/companies/:companyId`, api((req) => {
    const c = m().company(req.params.companyId);
    return c ? { status: 200, body: companyRecord(c) } : notFound(req, `Company ${req.params.companyId}`);
  }));
  server.route('POST', `${BASE}/companies`, api((req) => {
    const b = (req.body ?? {}) as Record<string, any>;
    const missing = ['name', 'address', 'phone', 'website', 'billOnBehalfOfEnabled', 'selfServiceAllowed', 'orderApprovalRequired'].filter((k) => b[k] === undefined || b[k] === null || b[k] === '');
    const contacts = Array.isArray(b.contacts) ? b.contacts : [];
    contacts.forEach((c: Record<string, unknown>, i: number) => {
      for (const k of ['firstName', 'lastName', 'email', 'phone']) if (!c?.[k]) missing.push(`contacts[${i}].${k}`);
    });
    if (b.address && !/^[A-Z]{2}$/.test(String(b.address.country ?? ''))) missing.push('address.country (ISO 3166-1 alpha-2)');
    if (missing.length) return { status: 422, body: pax8Error(422, 'Invalid company', req.path, missing.map((k) => `${k} is required`)) };
    const company = m().addCompany({ name: b.name, externalId: b.externalId, phone: b.phone, website: b.website, address: b.address, contacts });
    Object.assign(company, { billOnBehalfOfEnabled: !!b.billOnBehalfOfEnabled, selfServiceAllowed: !!b.selfServiceAllowed, orderApprovalRequired: !!b.orderApprovalRequired });
    return { status: 200, body: companyRecord(company) };
  }));

  // ---- products -----------------------------------------------------------------------------
  server.route('GET', `${BASE}/products`, api((req) => {
    const vendor = req.query.get('vendorName');
    const search = req.query.get('search')?.toLowerCase();
    const list = m().products.filter((p) => (!vendor || p.vendorName === vendor) && (!search || p.name.toLowerCase().includes(search) || p.sku.toLowerCase().includes(search)));
    return paged(req, list, (p) => productRecord(p));
  }));
  server.route('GET', `${BASE}/products/:productId`, api((req) => {
    const p = m().product(req.params.productId);
    return p ? { status: 200, body: productRecord(p, true) } : notFound(req, `Product ${req.params.productId}`);
  }));
  server.route('GET', `${BASE}/products/:productId/pricing`, api((req) => {
    const p = m().product(req.params.productId);
    if (!p) return notFound(req, `Product ${req.params.productId}`);
    const companyId = req.query.get('companyId');
    const company = companyId ? m().company(companyId) : undefined;
    if (companyId && !company) return notFound(req, `Company ${companyId}`);
    // Without a company: the partner's prices (USD here); with one: that company's currency [U].
    return { status: 200, body: { content: pricingRecords(p, company?.currency ?? 'USD') } };
  }));
  server.route('GET', `${BASE}/products/:productId/dependencies`, api((req) => {
    const p = m().product(req.params.productId);
    return p ? { status: 200, body: dependenciesRecord(p) } : notFound(req, `Product ${req.params.productId}`);
  }));

  // ---- orders -------------------------------------------------------------------------------
  server.route('GET', `${BASE}/orders`, api((req) => {
    const companyId = req.query.get('companyId');
    return paged(req, companyId ? m().orders.filter((o) => o.companyId === companyId) : m().orders, orderRecord);
  }));
  server.route('GET', `${BASE}/orders/:orderId`, api((req) => {
    const o = m().orders.find((x) => x.id === req.params.orderId);
    return o ? { status: 200, body: orderRecord(o) } : notFound(req, `Order ${req.params.orderId}`);
  }));
  server.route('POST', `${BASE}/orders`, api((req) => {
    const b = (req.body ?? {}) as { companyId?: string; lineItems?: Array<Record<string, any>> };
    if (!b.companyId || !Array.isArray(b.lineItems) || !b.lineItems.length) return { status: 422, body: pax8Error(422, 'Invalid order', req.path, ['companyId and at least one line item are required']) };
    const problems: string[] = [];
    const lines = b.lineItems.map((l, i) => {
      if (!BILLING_TERMS.includes(l.billingTerm)) problems.push(`lineItems[${i}].billingTerm is required`);
      if (l.lineItemNumber === undefined) problems.push(`lineItems[${i}].lineItemNumber is required`);
      try {
        m().planFor(b.companyId!, String(l.productId ?? ''), l.billingTerm as BillingTerm, l.commitmentTermId, Number(l.quantity));
      } catch (err) {
        if (!(err instanceof MarketError)) throw err;
        problems.push(...err.details.map((d) => `lineItems[${i}]: ${d}`));
      }
      return { productId: String(l.productId), quantity: Number(l.quantity), billingTerm: l.billingTerm as BillingTerm, commitmentId: l.commitmentTermId as string | undefined };
    });
    if (problems.length) return { status: 422, body: pax8Error(422, 'Invalid order', req.path, problems) };
    // isMock: validated as a real order, nothing placed (no ids are assigned) [U: the mock answer's ids].
    if (req.query.get('isMock') === 'true') {
      return { status: 200, body: { companyId: b.companyId, createdDate: m().today, orderedBy: 'Pax8 Partner', isScheduled: false, lineItems: lines.map((l, i) => ({ companyId: b.companyId, lineItemNumber: i + 1, productId: l.productId, billingTerm: l.billingTerm, quantity: l.quantity, ...(l.commitmentId ? { commitmentTermId: l.commitmentId } : {}) })) } };
    }
    return { status: 200, body: orderRecord(m().placeOrder(b.companyId, lines)) };
  }));

  // ---- subscriptions ------------------------------------------------------------------------
  server.route('GET', `${BASE}/subscriptions`, api((req) => {
    const q = (k: string) => req.query.get(k);
    const [field, dir] = (q('sort') ?? '').split(',');
    let list = m().subscriptions.filter((s) => {
      if (q('companyId') && s.companyId !== q('companyId')) return false;
      if (q('productId') && s.productId !== q('productId')) return false;
      if (q('status') && current(s).status !== q('status')) return false;
      return !q('billingTerm') || current(s).billingTerm === q('billingTerm');
    });
    // Stored in creation order (the clock only moves forward): createdDate needs no sort.
    if (field && field !== 'createdDate' && SUB_SORTS[field]) {
      const key = SUB_SORTS[field];
      list = [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    }
    if (dir === 'desc') list = [...list].reverse();
    return paged(req, list, (s) => subscriptionRecord(m(), s));
  }));
  server.route('GET', `${BASE}/subscriptions/:subscriptionId`, api((req) => {
    const s = m().subscription(req.params.subscriptionId);
    return s ? { status: 200, body: subscriptionRecord(m(), s) } : notFound(req, `Subscription ${req.params.subscriptionId}`);
  }));
  server.route('PUT', `${BASE}/subscriptions/:subscriptionId`, api((req) => {
    const s = m().subscription(req.params.subscriptionId);
    if (!s) return notFound(req, `Subscription ${req.params.subscriptionId}`);
    const b = (req.body ?? {}) as { quantity?: number; price?: number; billingTerm?: BillingTerm; startDate?: string };
    if (b.quantity === undefined && b.price === undefined && b.billingTerm === undefined && b.startDate === undefined) {
      return { status: 422, body: pax8Error(422, 'Invalid subscription update', req.path, ['At least one of price, billingTerm, quantity, startDate is required']) };
    }
    m().update(s, { quantity: b.quantity, price: b.price, billingTerm: b.billingTerm });
    return { status: 200, body: subscriptionRecord(m(), s) };
  }));
  server.route('DELETE', `${BASE}/subscriptions/:subscriptionId`, api((req) => {
    const s = m().subscription(req.params.subscriptionId);
    if (!s) return notFound(req, `Subscription ${req.params.subscriptionId}`);
    m().cancel(s.id, undefined, req.query.get('cancelDate') ?? undefined);
    return { status: 204 };
  }));
  server.route('GET', `${BASE}/subscriptions/:subscriptionId/history`, api((req) => {
    const s = m().subscription(req.params.subscriptionId);
    return s ? { status: 200, body: { content: historyRecords(m(), s) } } : notFound(req, `Subscription ${req.params.subscriptionId}`);
  }));
  server.route('GET', `${BASE}/subscriptions/:subscriptionId/usage-summaries`, api((req) => {
    const s = m().subscription(req.params.subscriptionId);
    if (!s) return notFound(req, `Subscription ${req.params.subscriptionId}`);
    const usage = m().product(s.productId)!.usageBased ? [usageSummaryRecord(m(), s)] : [];
    return paged(req, usage, (u) => u);
  }));
  server.route('GET', `${BASE}/usage-summaries/:usageSummaryId`, api((req) => {
    const id = req.params.usageSummaryId;
    const s = m().subscriptions.find((x) => m().product(x.productId)!.usageBased && usageSummaryRecord(m(), x).id === id);
    return s ? { status: 200, body: usageSummaryRecord(m(), s) } : notFound(req, `Usage summary ${id}`);
  }));

  // ---- invoices -----------------------------------------------------------------------------
  server.route('GET', `${BASE}/invoices`, api((req) => {
    const from = req.query.get('invoiceDateRangeStart');
    const to = req.query.get('invoiceDateRangeEnd');
    const on = req.query.get('invoiceDate');
    const list = m().invoices.filter((i) => (!from || i.invoiceDate >= from) && (!to || i.invoiceDate <= to) && (!on || i.invoiceDate === on));
    return paged(req, list, invoiceRecord);
  }));
  server.route('GET', `${BASE}/invoices/:invoiceId`, api((req) => {
    const i = m().invoices.find((x) => x.id === req.params.invoiceId);
    return i ? { status: 200, body: invoiceRecord(i) } : notFound(req, `Invoice ${req.params.invoiceId}`);
  }));
  server.route('GET', `${BASE}/invoices/:invoiceId/items`, api((req) => {
    const i = m().invoices.find((x) => x.id === req.params.invoiceId);
    return i ? paged(req, i.items, (item) => item) : notFound(req, `Invoice ${req.params.invoiceId}`);
  }));
}
