// SimpleAPI 1.15 routes on the shared SimServer, behind the simulated gateway (subscription key, rate limit) and
// token check; rated-data report files on a blob-storage-like path; the admin API.
//
// Paging (every list): `offset` ≥ 0 (default 0), `limit` ≥ 1 (default 10), both from the spec; the spec sets no
// maximum `limit`, the simulator caps it at MAX_LIMIT [unverified] and says so in `pagination.limit`. Lists are
// ordered by id, orders and reports by creation time then id [unverified: the spec states no order].
// Error bodies: the gateway's are Azure API Management's `{statusCode, message}` (Microsoft's documented texts);
// SimpleAPI's own `{code, message}` is an assumption [unverified] — the spec declares no error body.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { SimHandler, SimRequest, SimResponse, SimServer } from '../../../sim/kit/server';
import type { CustomerCreate } from '../schemas';
import type { RateLimiter, TokenService } from './auth';
import { Market, type SimCustomer, type SimOrder } from './market';
import {
  customerRecord, orderDetailed, orderRecord, planRecord, productRecord, reportRecord, subscriptionDetailed, subscriptionRecord,
} from './records';

export const MAX_LIMIT = 1000;
export const BLOB_PREFIX = '/blob/rdecontainer';

export interface CloudBlueSimState {
  market: Market;
  auth: TokenService;
  limiter: RateLimiter;
  /** Base URL the report download links point at. */
  url: () => string;
}

export function apiError(code: string, message: string): Record<string, unknown> {
  return { code, message };
}

export function gatewayError(statusCode: number, message: string): Record<string, unknown> {
  return { statusCode, message };
}

const header = (req: SimRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const ok = (body: unknown, status = 200): SimResponse => ({ status, body });
const bad = (message: string): SimResponse => ({ status: 400, body: apiError('VALIDATION_ERROR', message) });
const notFound = (what: string): SimResponse => ({ status: 404, body: apiError('NOT_FOUND', `${what} was not found.`) });

/** `offset`/`limit` of a list request, or the 400 for bad values. */
function paging(req: SimRequest): { offset: number; limit: number } | SimResponse {
  const offset = Number(req.query.get('offset') ?? 0);
  const limit = Number(req.query.get('limit') ?? 10);
  if (!Number.isInteger(offset) || offset < 0) return bad('offset must be an integer of 0 or more.');
  if (!Number.isInteger(limit) || limit < 1) return bad('limit must be an integer of 1 or more.');
  return { offset, limit: Math.min(limit, MAX_LIMIT) };
}

function list<T>(req: SimRequest, items: readonly T[], toRecord: (item: T) => unknown): SimResponse {
  const page = paging(req);
  if ('status' in page) return page;
  return ok({ data: items.slice(page.offset, page.offset + page.limit).map(toRecord), pagination: { offset: page.offset, limit: page.limit, total: items.length } });
}

function instant(req: SimRequest, name: string): number | null | SimResponse {
  const v = req.query.get(name);
  if (v === null) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(v) ? bad(`${name} must be an ISO 8601 date-time.`) : t;
}

export function registerCloudBlueRoutes(server: SimServer, state: CloudBlueSimState): void {
  /** The gateway (key, rate limit), then the token, around every API route. */
  const api = (handler: SimHandler, options: { bearer: boolean } = { bearer: true }): SimHandler => async (req): Promise<SimResponse> => {
    const key = state.auth.checkKey(header(req, 'x-subscription-key'));
    if (key === 'missing') return { status: 401, body: gatewayError(401, 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.') };
    if (key === 'invalid') return { status: 401, body: gatewayError(401, 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.') };
    const wait = state.limiter.take();
    if (wait) return { status: 429, headers: { 'Retry-After': String(wait) }, body: gatewayError(429, `Rate limit is exceeded. Try again in ${wait} seconds.`) };
    if (options.bearer) {
      const check = state.auth.check(header(req, 'authorization'));
      if (check !== 'ok') {
        return { status: 401, headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` }, body: apiError('UNAUTHORIZED', check === 'expired' ? 'The access token has expired.' : 'The access token is missing or invalid.') };
      }
    }
    const res = await handler(req);
    return { ...res, headers: { 'X-Correlation-ID': header(req, 'x-correlation-id') ?? randomUUID(), ...res.headers } };
  };
  const m = () => state.market;

  server.route('POST', '/token', api((req) => {
    const issued = state.auth.issue(header(req, 'authorization'));
    if (!issued) return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="SimpleAPI"' }, body: apiError('UNAUTHORIZED', 'Invalid user name or password.') };
    return ok(issued);
  }, { bearer: false }));

  // ---- customers --------------------------------------------------------------------------------
  server.route('GET', '/customers', api((req) => {
    const name = req.query.get('name')?.toLowerCase();
    const email = req.query.get('email')?.toLowerCase();
    const externalId = req.query.get('externalId');
    const resellerId = req.query.get('resellerId');
    const found = [...m().customers.values()].filter((c) =>
      (!name || c.name.toLowerCase().includes(name)) &&
      (!email || c.contactPersons.some((p) => p.email.toLowerCase() === email)) &&
      (externalId === null || c.externalId === externalId) &&
      (!resellerId || resellerId === '1000000'));
    return list(req, found, customerRecord);
  }));

  server.route('POST', '/customers', api((req) => {
    const body = req.body as Partial<CustomerCreate> | undefined;
    const problem = validateCustomer(body);
    if (problem) return bad(problem);
    // SimpleAPI does not refuse a second customer with the same external id [unverified]: callers must look first.
    const c = m().addCustomer({
      name: body!.name, externalId: body!.externalId, language: body!.language, taxRegId: body!.taxRegId, attributes: body!.attributes,
      address: body!.address, contactPersons: body!.contactPersons!.map(({ login: _l, password: _p, ...person }) => person),
    } as Partial<SimCustomer>);
    return ok(customerRecord(c));
  }));

  server.route('GET', '/customers/:id', api((req) => {
    const c = m().customers.get(req.params.id);
    return c ? ok(customerRecord(c)) : notFound(`Customer ${req.params.id}`);
  }));

  // ---- catalog ----------------------------------------------------------------------------------
  server.route('GET', '/products', api((req) => {
    const q = (n: string) => req.query.get(n);
    const found = m().products.filter((p) =>
      (!q('name') || p.name.toLowerCase().includes(q('name')!.toLowerCase())) &&
      (!q('serviceName') || p.offer.serviceName === q('serviceName')) &&
      (!q('mpn') || p.mpn === q('mpn')) &&
      (!q('vendor') || p.offer.vendor === q('vendor')));
    return list(req, found, productRecord);
  }));

  server.route('GET', '/plans', api((req) => {
    const ids = [...new Set(m().products.map((p) => p.planId))];
    return list(req, ids, (id) => planRecord(m(), id));
  }));

  server.route('GET', '/plans/:id', api((req) => {
    const plan = planRecord(m(), Number(req.params.id), true);
    return plan ? ok(plan) : notFound(`Service plan ${req.params.id}`);
  }));

  // ---- subscriptions ----------------------------------------------------------------------------
  server.route('GET', '/subscriptions', api((req) => {
    const customerId = req.query.get('customerId');
    const status = req.query.get('status');
    const from = req.query.get('creationDateFrom');
    const to = req.query.get('creationDateTo');
    const found = [...m().subscriptions.values()].filter((s) =>
      (!customerId || s.customerId === customerId) && (!status || s.status === status) &&
      (!from || s.creationDate >= from) && (!to || s.creationDate <= to));
    return list(req, found, (s) => subscriptionRecord(m(), s));
  }));

  server.route('GET', '/subscriptions/:id', api((req) => {
    const s = m().subscriptions.get(req.params.id);
    return s ? ok(subscriptionDetailed(m(), s)) : notFound(`Subscription ${req.params.id}`);
  }));

  // ---- orders -----------------------------------------------------------------------------------
  server.route('GET', '/orders', api((req) => {
    const from = instant(req, 'creationTimeFrom');
    const to = instant(req, 'creationTimeTo');
    if (from !== null && typeof from === 'object') return from;
    if (to !== null && typeof to === 'object') return to;
    const q = (n: string) => req.query.get(n);
    const all = m().orderList();
    const start = from === null ? 0 : m().firstOrderAtOrAfter(from);
    const found: SimOrder[] = [];
    for (let i = start; i < all.length; i++) {
      const o = all[i];
      if (to !== null && Date.parse(o.creationDate) > to) break;
      if ((!q('customerId') || o.customerId === q('customerId')) && (!q('subscriptionId') || o.subscriptionId === q('subscriptionId')) &&
        (!q('orderNumber') || o.orderNumber === q('orderNumber')) && (!q('status') || o.status === q('status'))) found.push(o);
    }
    const filtered = q('statusCode') ? found.filter((o) => orderRecord(m(), o).statusCode === q('statusCode')) : found;
    return list(req, filtered, (o) => orderRecord(m(), o));
  }));

  server.route('GET', '/orders/:id', api((req) => {
    const o = m().ordersById.get(req.params.id);
    return o ? ok(orderDetailed(m(), o)) : notFound(`Order ${req.params.id}`);
  }));

  // ---- rated data reports -----------------------------------------------------------------------
  const downloadUrl = (id: string) => `${state.url()}${BLOB_PREFIX}/${id}.json?sv=2016-05-31&sr=b&sp=r&sig=${encodeURIComponent(signature(id))}`;

  server.route('GET', '/reports', api((req) => {
    const q = (n: string) => req.query.get(n);
    const found = m().reports.filter((r) =>
      (!q('name') || r.name === q('name')) && (!q('format') || r.format === q('format')) && (!q('status') || r.status === q('status')) &&
      (!q('type') || r.type === q('type')) && (!q('from') || r.startDate.slice(0, 10) >= q('from')!) && (!q('to') || r.endDate.slice(0, 10) <= q('to')!));
    return list(req, found, (r) => reportRecord(r, downloadUrl(r.id)));
  }));

  server.route('GET', '/reports/:reportId', api((req) => {
    const r = m().reports.find((x) => x.id === req.params.reportId);
    return r ? ok(reportRecord(r, downloadUrl(r.id))) : notFound(`Report ${req.params.reportId}`);
  }));

  // The file behind `downloadUrl`: blob storage with a signed URL, no CloudBlue credentials.
  server.route('GET', `${BLOB_PREFIX}/:file`, (req) => {
    const id = req.params.file.replace(/\.json$/, '');
    const r = m().reports.find((x) => x.id === id);
    if (!r || req.query.get('sig') !== signature(id)) return { status: 403, body: 'AuthenticationFailed: Server failed to authenticate the request.', headers: { 'content-type': 'text/plain' } };
    return ok({ reportId: r.id, rows: r.rows });
  });

  registerAdminRoutes(server, state);
}

const SIGNING_KEY = randomBytes(16);
function signature(id: string): string {
  return createHmac('sha256', SIGNING_KEY).update(id).digest('base64');
}

function validateCustomer(c: Partial<CustomerCreate> | undefined): string | null {
  if (!c || typeof c !== 'object') return 'A customer is required.';
  if (!c.name) return 'name is required.';
  if (!c.language) return 'language is required.';
  const a = c.address;
  if (!a || !a.streetAddress || !a.city || !a.postalCode || !a.countryCode) return 'address with streetAddress, city, postalCode and countryCode is required.';
  if (!/^[A-Z]{2}$/.test(a.countryCode)) return 'address.countryCode must be an ISO 3166-1 alpha-2 code.';
  if (!Array.isArray(c.contactPersons) || !c.contactPersons.length) return 'At least one contact person is required.';
  for (const p of c.contactPersons) {
    if (!p.firstName || !p.lastName || !p.email || !p.phoneNumber || !p.type) return 'Contact persons need type, firstName, lastName, email and phoneNumber.';
    if (!/^[^@\s]+@[^@\s]+$/.test(p.email)) return `Contact email ${p.email} is not valid.`;
  }
  return null;
}

/** Market actions the admin API may call, with their arguments as JSON (`{args: [...]}`). */
export const ADMIN_ACTIONS = [
  'addCustomer', 'purchase', 'changeQuantity', 'cancel', 'renew', 'migrate', 'recordUsage', 'completeOrder', 'failOrder', 'cancelOrder',
  'setSubscriptionStatus', 'advanceTo', 'seed', 'summary',
] as const;

function registerAdminRoutes(server: SimServer, state: CloudBlueSimState): void {
  server.adminRoute('GET', '/market', () => ok(state.market.summary()));
  server.adminRoute('POST', '/market/:action', (req) => {
    const action = req.params.action as (typeof ADMIN_ACTIONS)[number];
    if (!ADMIN_ACTIONS.includes(action)) return { status: 400, body: { message: `action must be one of ${ADMIN_ACTIONS.join(', ')}` } };
    const args = ((req.body ?? {}) as { args?: unknown[] }).args ?? [];
    try {
      const fn = state.market[action] as (...a: unknown[]) => unknown;
      return ok({ result: fn.apply(state.market, args) ?? null });
    } catch (err) {
      return { status: 409, body: { message: (err as Error).message } };
    }
  });
  server.adminRoute('GET', '/settings', () => ok({ tokenTtlSeconds: state.auth.settings.tokenTtlSeconds, rateLimit: state.limiter.settings }));
  server.adminRoute('POST', '/settings', (req) => {
    const body = (req.body ?? {}) as { tokenTtlSeconds?: number; rateLimit?: { calls?: number; renewalPeriodSeconds?: number } };
    if (body.tokenTtlSeconds !== undefined) state.auth.settings = { ...state.auth.settings, tokenTtlSeconds: body.tokenTtlSeconds };
    if (body.rateLimit) {
      state.limiter.settings = { ...state.limiter.settings, ...body.rateLimit };
      state.limiter.reset();
    }
    return ok({ tokenTtlSeconds: state.auth.settings.tokenTtlSeconds, rateLimit: state.limiter.settings });
  });
  server.adminRoute('POST', '/tokens/expire', () => ok({ expired: state.auth.expireAll() }));
  server.adminRoute('GET', '/tokens', () => ok({ issued: state.auth.issued }));
  server.adminRoute('POST', '/reset', (req) => {
    state.market = new Market(((req.body ?? {}) as { start?: string }).start);
    state.auth.reset();
    state.limiter.reset();
    server.counts.clear();
    server.takeViolations();
    return ok({ reset: true });
  });
}
