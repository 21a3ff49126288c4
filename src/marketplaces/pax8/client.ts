// The Pax8 Partner API transport on the shared VendorClient: client-credentials token (24 h) as
// an AuthProvider refreshed on 401, Pax8's error body classified into the failure vocabulary, and
// page/size paging. Resources live in adapter.ts.
import type { z } from 'zod';
import { mapWithConcurrency } from '../../concurrency';
import { BridgeError, kindForStatus, type FieldError } from '../../failures';
import { BearerTokenAuth, VendorClient, type FailureContext, type VendorRequest } from '../../http/vendor-client';
import { errorSchema, pagedSchema, tokenErrorSchema, tokenResponseSchema, type TokenRequest } from './schemas';
import { PAX8_MAX_PAGE_SIZE, type Pax8Settings } from './settings';

export const PAX8_VENDOR = 'Pax8';
/** The audience of the partner endpoints (authentication spec, `POST /token` description). */
export const PAX8_AUDIENCE = 'https://api.pax8.com';

export interface PageOf<T> {
  items: T[];
  /** 0-based page number that was read. */
  number: number;
  size: number;
  totalElements: number | null;
  totalPages: number | null;
}

export class Pax8Client {
  readonly http: VendorClient;
  readonly auth: BearerTokenAuth;
  private readonly tokenHttp: VendorClient;

  constructor(readonly settings: Pax8Settings, readonly source = 'pax8') {
    const secrets = () => [settings.clientSecret];
    this.tokenHttp = new VendorClient({
      vendor: PAX8_VENDOR,
      source,
      baseUrl: settings.tokenUrl ?? `${settings.baseUrl.replace(/\/+$/, '')}/token`,
      timeoutMs: settings.timeoutMs,
      maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
      classify: (status, body, ctx) => classifyTokenFailure(status, body, ctx, source),
      secrets,
    });
    // Pax8 tokens last 86,400 s; refreshed a minute early, and once more on any 401.
    this.auth = new BearerTokenAuth(() => this.fetchToken());
    this.http = new VendorClient({
      vendor: PAX8_VENDOR,
      source,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
      auth: this.auth,
      classify: (status, body, ctx) => classifyPax8Failure(status, body, ctx, source),
      secrets,
    });
  }

  /** A call whose 2xx body is parsed with `schema` (a malformed answer is `transient`). */
  async call<S extends z.ZodType>(req: VendorRequest, schema: S): Promise<z.output<S>> {
    const res = await this.http.request(req);
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) {
      const operation = req.operation ?? `${req.method} ${req.path}`;
      throw new BridgeError('transient', `Pax8 ${operation} returned an unexpected body: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, {
        source: this.source, operation, status: res.status, correlationId: res.correlationId,
      });
    }
    return parsed.data;
  }

  /** One page of a paged list; records that do not parse are dropped by `item` returning null. */
  async page<T>(
    path: string,
    operation: string,
    params: Record<string, string | number | boolean | undefined>,
    page: number,
    item: (record: unknown) => T | null,
    size = this.settings.pageSize,
  ): Promise<PageOf<T>> {
    const body = await this.call(
      { method: 'GET', path, operation, searchParams: { ...params, page, size: Math.min(size, PAX8_MAX_PAGE_SIZE) }, idempotent: true },
      pagedSchema,
    );
    const items: T[] = [];
    for (const record of body.content ?? []) {
      const parsed = item(record);
      if (parsed !== null) items.push(parsed);
    }
    return {
      items,
      number: body.page?.number ?? page,
      size: body.page?.size ?? size,
      totalElements: body.page?.totalElements ?? null,
      totalPages: body.page?.totalPages ?? null,
    };
  }

  /**
   * Every page of a list, in order. The first page's `totalPages` lets the others be read `concurrency` at a time
   * (the count is the same, the wait is not); if the last of them says more follow, the rest is read one by one.
   */
  async all<T>(path: string, operation: string, params: Record<string, string | number | boolean | undefined>, item: (record: unknown) => T | null): Promise<T[]> {
    const first = await this.page(path, operation, params, 0, item);
    const pages = [first];
    if (hasNext(first) && first.totalPages !== null) {
      const numbers = Array.from({ length: first.totalPages - 1 }, (_, i) => i + 1);
      pages.push(...(await mapWithConcurrency(numbers, this.settings.concurrency, (n) => this.page(path, operation, params, n, item))));
    }
    for (let last = pages[pages.length - 1]; hasNext(last); ) {
      last = await this.page(path, operation, params, last.number + 1, item);
      pages.push(last);
    }
    return pages.flatMap((p) => p.items);
  }

  private async fetchToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const body: TokenRequest = { client_id: this.settings.clientId, client_secret: this.settings.clientSecret, audience: PAX8_AUDIENCE, grant_type: 'client_credentials' };
    const res = await this.tokenHttp.request({ method: 'POST', path: '', json: body, idempotent: true, noAuth: true, operation: 'POST /token' });
    const parsed = tokenResponseSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new BridgeError('transient', 'Pax8 POST /token returned no access_token.', { source: this.source, operation: 'POST /token', status: res.status });
    }
    const seconds = parsed.data.expires_in ?? 86_400;
    return { accessToken: parsed.data.access_token, expiresInMs: (seconds > 0 ? seconds : 86_400) * 1000 };
  }
}

/** True when another page follows `p`. */
export function hasNext(p: PageOf<unknown>): boolean {
  if (p.totalPages !== null) return p.number + 1 < p.totalPages;
  return p.items.length >= p.size && p.items.length > 0;
}

/** Pax8's `{type, message, instance, status, details[]}` as a BridgeError. */
export function classifyPax8Failure(status: number, body: unknown, ctx: FailureContext, source: string): BridgeError {
  const parsed = errorSchema.safeParse(body);
  const e = parsed.success ? parsed.data : undefined;
  const details = (e?.details ?? []).map((d) => d.message ?? d.type ?? '').filter(Boolean);
  const fieldErrors: FieldError[] = (e?.details ?? []).map((d) => ({ field: d.instance ?? d.type ?? '', message: d.message ?? '' }));
  const reason = e?.message ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
  const kind = kindForStatus(status);
  const hint = kind === 'auth' ? ' (check the Pax8 client id and secret)' : kind === 'permission' ? ' (the API credentials lack access to this resource)' : '';
  const text = `${reason}${details.length ? `: ${details.join('; ')}` : ''}`;
  return new BridgeError(kind, `Pax8 ${ctx.operation} failed (${status}): ${truncate(text)}${hint}`, {
    source,
    operation: ctx.operation,
    status,
    vendorCode: e?.type ?? undefined,
    correlationId: ctx.correlationId,
    retryAfterMs: ctx.retryAfterMs,
    fieldErrors,
    details,
  });
}

/** A refused token request is a credentials problem whatever the status (5xx and 429 excepted). */
function classifyTokenFailure(status: number, body: unknown, ctx: FailureContext, source: string): BridgeError {
  if (status >= 500 || status === 429) return classifyPax8Failure(status, body, ctx, source);
  const e = tokenErrorSchema.safeParse(body);
  const code = e.success ? e.data.error ?? undefined : undefined;
  return new BridgeError('auth', `Pax8 token request was refused (${status}${code ? ` ${code}` : ''}); check the client id and secret.`, {
    source, operation: ctx.operation, status, vendorCode: code, correlationId: ctx.correlationId,
  });
}

function truncate(s: string, max = 400): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
