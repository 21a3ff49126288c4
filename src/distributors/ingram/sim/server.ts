// Ingram Micro Reseller v6 routes on the shared SimServer: OAuth, catalog, price and
// availability, orders; bearer, IM-* header and rate-limit checks; the admin API.
import { randomUUID } from 'node:crypto';
import type { SimHandler, SimRequest, SimResponse, SimServer } from '../../../sim/kit/server';
import type { OrderCreateRequest, PnaRequest } from '../schemas';
import type { TokenIssuer } from './auth';
import { CatalogGenerator, type CatalogSettings } from './catalog';
import { createResponse, detailResponse, searchResponse } from './order-records';
import { ADVANCE_ACTIONS, orderStatus, type AdvanceAction, type OrderBook } from './orders';
import { rateLimitHeaders, type FixedWindowLimiter } from './rate-limit';
import { catalogRecord, pnaNotFound, pnaRecord } from './records';

export interface IngramSimState {
  catalog: CatalogGenerator;
  orders: OrderBook;
  auth: TokenIssuer;
  limiter: FixedWindowLimiter;
  /** What v6.1 order details answer for an order Ingram does not know (the spec declares only 200 and 500; unverified which). */
  unknownOrder: 'server-error' | 'empty';
  /** `METHOD path?query` of the API and token requests received (last 1,000), for tests to inspect. */
  received: string[];
  /** Replaces the catalog (admin reseed); orders keep pointing at the new one on reset. */
  reseed(settings: Partial<CatalogSettings>): void;
  reset(): void;
}

/** Ingram's error body: `{errors:[{id,type,message,fields}]}`; `type` values as in the spec's examples. */
export function ingramError(message: string, type = VALIDATION_FAILED, fields?: Array<{ field: string; value?: string; message: string }>): Record<string, unknown> {
  return { errors: [{ id: randomUUID(), type, message, ...(fields ? { fields } : {}) }] };
}

export const VALIDATION_FAILED = '/errors/validation-failed';
export const VALIDATION_ERROR = '/errors/validation-error';
export const SERVER_ERROR = '/errors/server-error';

const REQUIRED_HEADERS = ['im-customernumber', 'im-countrycode', 'im-correlationid'];

/** Apigee's 401 body for a missing, unknown or expired bearer token. */
function fault(reason: 'missing' | 'invalid' | 'expired'): Record<string, unknown> {
  const map = {
    missing: ['Invalid access token', 'oauth.v2.InvalidApiKeyForGivenResource'],
    invalid: ['Invalid Access Token', 'keymanagement.service.invalid_access_token'],
    expired: ['Access Token expired', 'keymanagement.service.access_token_expired'],
  } as const;
  return { fault: { faultstring: map[reason][0], detail: { errorcode: map[reason][1] } } };
}

const header = (req: SimRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function registerIngramRoutes(server: SimServer, state: IngramSimState): void {
  const record = (req: SimRequest) => {
    const query = req.query.toString();
    state.received.push(`${req.method} ${req.path}${query ? `?${query}` : ''}`);
    if (state.received.length > 1_000) state.received.splice(0, state.received.length - 1_000);
  };

  /** Bearer, IM-* headers and the GET rate limit, in Apigee's order, around every API route. */
  const api = (template: string, handler: SimHandler): SimHandler => async (req) => {
    record(req);
    const check = state.auth.check(header(req, 'authorization'));
    if (check !== 'ok') return { status: 401, body: fault(check) };
    const missing = REQUIRED_HEADERS.filter((h) => !header(req, h));
    if (missing.length) {
      return { status: 400, body: ingramError('Required header(s) missing.', VALIDATION_FAILED, missing.map((h) => ({ field: h, message: 'required' }))) };
    }
    let limitHeaders: Record<string, string> = {};
    if (req.method === 'GET') {
      const decision = state.limiter.take(`GET ${template}`);
      if (decision) {
        limitHeaders = rateLimitHeaders(decision);
        // Not in the spec: Apigee's standard quota fault (Ingram's gateway is Apigee, see the 401 bodies).
        if (!decision.allowed) {
          return { status: 429, headers: limitHeaders, body: { fault: { faultstring: 'Rate limit quota violation. Quota limit  exceeded. Identifier : _default', detail: { errorcode: 'policies.ratelimit.QuotaViolation' } } } };
        }
      }
    }
    const res = await handler(req);
    return { ...res, headers: { 'IM-CorrelationID': header(req, 'im-correlationid') ?? '', ...limitHeaders, ...res.headers } };
  };

  // Client credentials, in either form: the spec's GET with the credentials in the query, or the POST
  // with a form body (RFC 6749 §4.4) that Ingram's developer portal documents.
  const token = (params: URLSearchParams): SimResponse => {
    if (params.get('grant_type') !== 'client_credentials') return { status: 400, body: { message: 'grant_type must be client_credentials' } };
    const issued = state.auth.issue(params.get('client_id'), params.get('client_secret'));
    // Apigee answers bad client credentials with 401 and its own body.
    if (!issued) return { status: 401, body: { ErrorCode: 'invalid_client', Error: 'Client credentials are invalid' } };
    return { status: 200, body: { access_token: issued.token, token_type: 'Bearer', expires_in: String(issued.expiresIn) } };
  };
  server.route('GET', '/oauth/oauth20/token', (req) => {
    record(req);
    return token(req.query);
  });
  server.route('POST', '/oauth/oauth20/token', (req) => {
    record(req);
    if (!/application\/x-www-form-urlencoded/i.test(String(header(req, 'content-type') ?? ''))) {
      return { status: 400, body: { message: 'Content-Type must be application/x-www-form-urlencoded' } };
    }
    return token(new URLSearchParams(req.rawBody));
  });

  server.route('GET', '/resellers/v6/catalog', api('/resellers/v6/catalog', (req) => {
    const pageNumber = Number(req.query.get('pageNumber') ?? 1);
    const pageSize = Number(req.query.get('pageSize') ?? 25);
    if (!Number.isInteger(pageNumber) || pageNumber < 1) return { status: 400, body: ingramError('pageNumber must be 1 or more.', VALIDATION_FAILED, [{ field: 'pageNumber', value: String(req.query.get('pageNumber')), message: 'invalid' }]) };
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return { status: 400, body: ingramError('pageSize must be between 1 and 100.', VALIDATION_FAILED, [{ field: 'pageSize', value: String(req.query.get('pageSize')), message: 'invalid' }]) };
    const present = state.catalog.present();
    const start = (pageNumber - 1) * pageSize;
    const catalog = [];
    for (let k = start; k < Math.min(present.length, start + pageSize); k++) catalog.push(catalogRecord(state.catalog.product(present[k])));
    const last = Math.ceil(present.length / pageSize);
    return {
      status: 200,
      body: {
        recordsFound: present.length,
        pageSize,
        pageNumber,
        catalog,
        ...(pageNumber < last ? { nextPage: `/resellers/v6/catalog?pageSize=${pageSize}&pageNumber=${pageNumber + 1}` } : {}),
        ...(pageNumber > 1 ? { previousPage: `/resellers/v6/catalog?pageSize=${pageSize}&pageNumber=${pageNumber - 1}` } : {}),
      },
    };
  }));

  server.route('POST', '/resellers/v6/catalog/priceandavailability', api('/resellers/v6/catalog/priceandavailability', (req) => {
    if (req.query.get('includeAvailability') === null || req.query.get('includePricing') === null) {
      return { status: 400, body: ingramError('includeAvailability and includePricing are required.') };
    }
    const products = (req.body as PnaRequest | undefined)?.products;
    if (!Array.isArray(products) || products.length === 0) return { status: 400, body: ingramError('At least one product is required.', VALIDATION_FAILED, [{ field: 'products', message: 'required' }]) };
    if (products.length > 50) return { status: 400, body: ingramError('A maximum of 50 products can be requested at a time.', VALIDATION_FAILED, [{ field: 'products', value: String(products.length), message: 'max 50' }]) };
    let missing = 0;
    const body = products.map((p, index) => {
      const product = p?.ingramPartNumber ? state.catalog.findBySku(p.ingramPartNumber) : undefined;
      if (!product) {
        missing++;
        return pnaNotFound(p?.ingramPartNumber ?? '', index);
      }
      return pnaRecord(product, index);
    });
    return { status: missing ? 207 : 200, body };
  }));

  server.route('POST', '/resellers/v6/orders', api('/resellers/v6/orders', (req) => {
    const body = req.body as OrderCreateRequest | undefined;
    const outcome = state.orders.create(body ?? ({} as OrderCreateRequest));
    switch (outcome.kind) {
      case 'invalid':
        return { status: 400, body: ingramError('Validation failed', VALIDATION_FAILED, [{ field: outcome.field, message: outcome.message }]) };
      case 'invalid-fields':
        return { status: 400, body: ingramError('Validation failed', VALIDATION_FAILED, outcome.fields) };
      case 'duplicate':
        // Ingram refuses a repeated customerOrderNumber unless `allowDuplicateCustomerOrderNumber`
        // (spec: OrderCreateRequest.additionalAttributes). Its wording is not documented: ours is made up,
        // and the client must not depend on it (it looks the PO number up instead).
        return {
          status: 400,
          body: ingramError('Validation failed', VALIDATION_FAILED, [
            { field: 'customerOrderNumber', value: body!.customerOrderNumber, message: 'Customer order number is already in use.' },
          ]),
        };
      case 'all-rejected':
        return {
          status: 400,
          body: ingramError('All order lines were rejected.', VALIDATION_FAILED, outcome.rejected.map((r) => ({
            field: `lines[${r.customerLineNumber}].ingramPartNumber`, value: r.sku, message: `${r.code}: ${r.reason}`,
          }))),
        };
      case 'created':
        return { status: outcome.rejected.length ? 207 : 201, body: createResponse(body!.customerOrderNumber, outcome.orders, outcome.rejected) };
    }
  }));

  server.route('GET', '/resellers/v6/orders/search', api('/resellers/v6/orders/search', (req) => {
    const pageNumber = Math.max(1, Number(req.query.get('pageNumber') ?? 1) || 1);
    const pageSize = Math.min(100, Math.max(1, Number(req.query.get('pageSize') ?? 25) || 25));
    const po = req.query.get('customerOrderNumber');
    const number = req.query.get('ingramOrderNumber');
    const status = req.query.get('orderStatus');
    const found = state.orders.searchable().filter((o) =>
      (!po || o.customerOrderNumber === po) &&
      (!number || o.ingramOrderNumber === number.toUpperCase()) &&
      (!status || orderStatus(o).toUpperCase().replace('CANCELED', 'CANCELLED') === status.toUpperCase()));
    if (!found.length) return { status: 204 };
    return { status: 200, body: searchResponse(found, pageNumber, pageSize) };
  }));

  server.route('GET', '/resellers/v6.1/orders/:ordernumber', api('/resellers/v6.1/orders/{ordernumber}', (req) => {
    const n = req.params.ordernumber;
    if (!state.orders.get(n)) {
      // The spec declares only 200 and 500 here, so no 404. Which of the two Ingram gives for an unknown
      // order is unverified: the 500 (default) carries the spec's 500 example text.
      if (state.unknownOrder === 'empty') return { status: 200, body: {} };
      return { status: 500, body: ingramError('ConnectivityIssue/ERP issue Contact Ingram Micro API Support', SERVER_ERROR) };
    }
    // The sandbox's `simulateStatus` moves the order to a given state.
    const simulate = req.query.get('simulateStatus');
    const action: AdvanceAction | undefined = ({ 'IM::SHIPPED': 'ship', 'IM::PARTIALLY_SHIPPED': 'partial', 'IM::HOLD': 'hold', 'IM::INVOICED': 'invoice' } as const)[simulate ?? ''];
    if (action) state.orders.advance(n, action);
    return { status: 200, body: detailResponse(state.orders.get(n)!) };
  }));

  server.route('DELETE', '/resellers/v6/orders/:OrderNumber', api('/resellers/v6/orders/{OrderNumber}', (req) => {
    const n = req.params.OrderNumber;
    const result = state.orders.cancel(n);
    // Bodies and statuses as in the spec's examples for this operation (404 and 405).
    if (result === 'not-found') return { status: 404, body: ingramError('Order not found.', VALIDATION_ERROR) };
    if (result === 'not-on-hold') return { status: 405, body: ingramError('Order can not be deleted as the order is not on hold.', VALIDATION_ERROR) };
    return { status: 200 };
  }));

  registerAdminRoutes(server, state);
}

function registerAdminRoutes(server: SimServer, state: IngramSimState): void {
  const ok = (body: unknown): SimResponse => ({ status: 200, body });
  const bad = (message: string, status = 400): SimResponse => ({ status, body: { message } });

  server.adminRoute('GET', '/catalog', () => ok(state.catalog.summary()));
  server.adminRoute('POST', '/catalog', (req) => {
    const body = (req.body ?? {}) as Partial<CatalogSettings> & { day?: number };
    const { day, ...settings } = body;
    state.reseed({ ...state.catalog.settings, ...settings });
    if (day !== undefined) state.catalog.day = day;
    return ok(state.catalog.summary());
  });
  server.adminRoute('POST', '/catalog/day', (req) => {
    const body = (req.body ?? {}) as { day?: number; advance?: number };
    try {
      state.catalog.day = body.day ?? state.catalog.day + (body.advance ?? 1);
    } catch (err) {
      return bad((err as Error).message);
    }
    return ok(state.catalog.summary());
  });
  server.adminRoute('GET', '/catalog/skus/:sku', (req) => {
    const p = state.catalog.findBySku(req.params.sku);
    return p ? ok(p) : bad(`SKU ${req.params.sku} is not listed today`, 404);
  });
  server.adminRoute('GET', '/catalog/bad-records', () => ok(state.catalog.badRecords()));

  server.adminRoute('GET', '/orders', () => ok(state.orders.list().map((o) => ({ ...o, status: orderStatus(o) }))));
  server.adminRoute('GET', '/orders/:n', (req) => {
    const o = state.orders.get(req.params.n);
    return o ? ok({ ...o, status: orderStatus(o) }) : bad('no such order', 404);
  });
  server.adminRoute('POST', '/orders/:n/advance', (req) => {
    const body = (req.body ?? {}) as { action?: AdvanceAction; line?: string; steps?: number };
    const action = body.action ?? 'next';
    if (!ADVANCE_ACTIONS.includes(action)) return bad(`action must be one of ${ADVANCE_ACTIONS.join(', ')}`);
    let result: ReturnType<OrderBook['advance']> = 'not-found';
    for (let i = 0; i < Math.max(1, body.steps ?? 1); i++) {
      result = state.orders.advance(req.params.n, action, body.line);
      if (typeof result === 'string') break;
    }
    if (result === 'not-found') return bad('no such order', 404);
    if (typeof result === 'string') return bad(result, 409);
    return ok({ ...result, status: orderStatus(result) });
  });

  server.adminRoute('GET', '/settings', () => ok({
    auth: { clientId: state.auth.settings.clientId, tokenTtlSeconds: state.auth.settings.tokenTtlSeconds },
    rateLimit: state.limiter.settings,
    orders: state.orders.settings,
    unknownOrder: state.unknownOrder,
  }));
  server.adminRoute('GET', '/received', () => ok(state.received));
  server.adminRoute('POST', '/settings', (req) => {
    const body = (req.body ?? {}) as {
      tokenTtlSeconds?: number; rateLimit?: { limit?: number; windowMs?: number }; msPerStep?: number; splitOrders?: boolean; searchLagMs?: number;
      unknownOrder?: IngramSimState['unknownOrder'];
    };
    if (body.tokenTtlSeconds !== undefined) state.auth.settings = { ...state.auth.settings, tokenTtlSeconds: body.tokenTtlSeconds };
    if (body.rateLimit) {
      state.limiter.settings = { ...state.limiter.settings, ...body.rateLimit };
      state.limiter.reset();
    }
    if (body.msPerStep !== undefined) state.orders.settings = { ...state.orders.settings, msPerStep: body.msPerStep };
    if (body.splitOrders !== undefined) state.orders.settings = { ...state.orders.settings, splitOrders: body.splitOrders };
    if (body.searchLagMs !== undefined) state.orders.settings = { ...state.orders.settings, searchLagMs: body.searchLagMs };
    if (body.unknownOrder !== undefined) state.unknownOrder = body.unknownOrder;
    return ok({ rateLimit: state.limiter.settings, orders: state.orders.settings, tokenTtlSeconds: state.auth.settings.tokenTtlSeconds, unknownOrder: state.unknownOrder });
  });
  server.adminRoute('POST', '/tokens/expire', () => ok({ expired: state.auth.expireAll() }));
  server.adminRoute('GET', '/tokens', () => ok({ issued: state.auth.issued }));
  server.adminRoute('POST', '/reset', () => {
    state.reset();
    server.counts.clear();
    server.takeViolations();
    return ok({ reset: true });
  });
}
