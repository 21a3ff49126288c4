// The HTTP base every vendor client (distributors, marketplaces, export targets) stands on: one got
// instance per client with a prefix URL, auth with one refresh on 401, 429 honoured with
// Retry-After, pacing by the vendor's X-RateLimit-* headers, bounded retries with jittered backoff
// for requests that are safe to repeat, correlation ids, redaction of secrets, and classification
// into the engine's failure vocabulary.
// A vendor client only says method, path and body, and how its error bodies read.
import { randomUUID } from 'node:crypto';
import got, { type Got, type Method } from 'got';
import { BridgeError, kindForStatus, type FailureKind } from '../failures';
import { backoffDelay, parseRetryAfter, sleep } from './backoff';
import { requestObserver } from './observe';
import { CachingTokenProvider, type IssuedToken, type TokenProvider } from './tokens';

/** Supplies auth headers; `invalidate` is called once on a 401 and the request is sent again. */
export interface AuthProvider {
  headers(): Promise<Record<string, string>>;
  invalidate(): void;
}

export interface VendorRequest {
  method: Method;
  /** Path below the base URL, e.g. `/resellers/v6/catalog`. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  form?: Record<string, string>;
  /** A raw body (e.g. XML) with its content type in `headers`. */
  body?: string;
  headers?: Record<string, string>;
  /** Safe to repeat: reads, and writes whose outcome the caller can check. Only these are retried after a failure. */
  idempotent: boolean;
  /** For messages, e.g. `GET /orders/{id}`. Defaults to method + path. */
  operation?: string;
  /** Skip the auth provider (token endpoints). */
  noAuth?: boolean;
}

export interface VendorResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  correlationId: string;
}

export interface FailureContext {
  operation: string;
  correlationId: string;
  retryAfterMs?: number;
}

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number;
  /** No new attempt starts after this long since the first. */
  maxElapsedMs: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, maxElapsedMs: 60_000, baseMs: 200, maxMs: 5_000 };

export interface VendorClientOptions {
  /** Display name for messages, e.g. `Ingram Micro`. */
  vendor: string;
  /** The failure `source`: integration id or kind. */
  source: string;
  baseUrl: string;
  timeoutMs?: number;
  auth?: AuthProvider;
  /** Headers sent with every request (besides auth and the correlation id). */
  headers?: Record<string, string>;
  /** Header carrying our correlation id (e.g. `IM-CorrelationID`, `X-Correlation-ID`). */
  correlationHeader?: string;
  newCorrelationId?: () => string;
  retry?: Partial<RetryPolicy>;
  /** Longest total wait for 429s inside one request before `rate_limited` is thrown. */
  maxRateLimitWaitMs?: number;
  /** Builds the error for a non-2xx answer from the vendor's body (default: status → kind). */
  classify?: (status: number, body: unknown, ctx: FailureContext) => BridgeError;
  /** Values that must never appear in a message (client secrets, passwords). */
  secrets?: () => string[];
}

/** What the vendor last said about an endpoint's rate window (X-RateLimit-*, or a 429). */
interface RateWindow {
  remaining: number;
  resetAt: number;
}

// Connection failures after which the request surely never reached the server.
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export class VendorClient {
  readonly http: Got;
  private readonly retry: RetryPolicy;
  /** Retries made, by failure kind (benchmarks and tests read it). */
  readonly retries: Record<string, number> = {};
  /** Rate windows per operation (the vendors limit per endpoint, e.g. Ingram's 60 GETs a minute). */
  private readonly windows = new Map<string, RateWindow>();

  constructor(readonly options: VendorClientOptions) {
    this.http = got.extend({
      prefixUrl: options.baseUrl.replace(/\/+$/, ''),
      timeout: { request: options.timeoutMs ?? 30_000 },
      throwHttpErrors: false,
      responseType: 'text',
      followRedirect: false,
      retry: { limit: 0 },
    });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Sends one call; returns a 2xx answer, or throws a classified BridgeError after bounded retries. */
  async request<T = unknown>(req: VendorRequest): Promise<VendorResponse<T>> {
    const operation = req.operation ?? `${req.method} ${req.path}`;
    const started = Date.now();
    let authRetried = false;
    let rateWaitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const correlationId = (this.options.newCorrelationId ?? randomUUID)();
      const ctx: FailureContext = { operation, correlationId };
      rateWaitedMs += await this.pace(operation, rateWaitedMs, ctx);
      let res;
      const sentAt = Date.now();
      try {
        const auth = req.noAuth || !this.options.auth ? {} : await this.options.auth.headers();
        res = await this.http(req.path.replace(/^\//, ''), {
          method: req.method,
          searchParams: compact(req.searchParams),
          ...(req.json !== undefined ? { json: req.json } : {}),
          ...(req.form !== undefined ? { form: req.form } : {}),
          ...(req.body !== undefined ? { body: req.body } : {}),
          headers: {
            accept: 'application/json',
            ...this.options.headers,
            ...(this.options.correlationHeader ? { [this.options.correlationHeader]: correlationId } : {}),
            ...req.headers,
            ...auth,
          },
        });
      } catch (err) {
        if (err instanceof BridgeError) throw err; // from the auth provider, already classified
        const error = this.noAnswer(err, ctx, req.idempotent);
        requestObserver.observe({ vendor: this.options.source, operation, status: 'error', ms: Date.now() - sentAt });
        if (error.kind === 'transient' && (await this.backoff(attempt, started, 'transient'))) continue;
        throw error;
      }
      requestObserver.observe({ vendor: this.options.source, operation, status: res.statusCode, ms: Date.now() - sentAt });
      this.observeWindow(operation, res.headers);
      const body = parseBody(res.body, res.headers['content-type']);
      if (res.statusCode >= 200 && res.statusCode < 300) {
        return { status: res.statusCode, body: body as T, text: res.body, headers: res.headers, correlationId };
      }
      if (res.statusCode === 401 && this.options.auth && !req.noAuth && !authRetried) {
        // Expired or revoked token: fetch a new one once, transparently.
        this.options.auth.invalidate();
        authRetried = true;
        continue;
      }
      if (res.statusCode === 429) {
        const waitMs = parseRetryAfter(res.headers['retry-after']) ?? backoffDelay(attempt - 1, { baseMs: 500, maxMs: 5_000 });
        // Other requests to this endpoint hold back too, instead of each collecting its own 429.
        this.windows.set(operation, { remaining: 0, resetAt: Date.now() + waitMs });
        if (rateWaitedMs + waitMs <= (this.options.maxRateLimitWaitMs ?? 30_000)) {
          this.count('rate_limited');
          await sleep(waitMs);
          rateWaitedMs += waitMs;
          continue;
        }
        ctx.retryAfterMs = waitMs;
      }
      const error = this.fail(res.statusCode, body, ctx);
      // A 5xx on a request that is safe to repeat is retried here, at the request that failed.
      if (error.kind === 'transient' && req.idempotent && (await this.backoff(attempt, started, 'transient'))) continue;
      throw error;
    }
  }

  /** The vendor's error for a non-2xx answer, with secrets scrubbed from its message and details. */
  fail(status: number, body: unknown, ctx: FailureContext): BridgeError {
    const error = this.options.classify?.(status, body, ctx) ?? defaultFailure(this.options, status, body, ctx);
    // Scrubbed in place, so the vendor's own error class (e.g. DistributorError) survives.
    error.message = this.scrub(error.message);
    error.details.splice(0, error.details.length, ...error.details.map((d) => this.scrub(d)));
    return error;
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.options.secrets?.() ?? []) if (secret && secret.length >= 4) out = out.split(secret).join('***');
    return out;
  }

  private noAnswer(err: unknown, ctx: FailureContext, idempotent: boolean): BridgeError {
    const e = err as { code?: string; name?: string; message?: string };
    const code = e?.code ?? e?.name ?? 'ERR';
    const unsent = UNSENT.has(code);
    // Without an answer, a write that may have reached the vendor has an unknown outcome.
    const kind: FailureKind = idempotent || unsent ? 'transient' : 'outcome_unknown';
    const cause = Object.assign(new Error(this.scrub(e?.message ?? String(err))), { code });
    return new BridgeError(kind, `${this.options.vendor} ${ctx.operation} got no response (${code})`, {
      source: this.options.source, operation: ctx.operation, vendorCode: code, correlationId: ctx.correlationId, cause,
    });
  }

  /**
   * Holds a request while the endpoint's window is used up (the vendor said so in X-RateLimit-*
   * or a 429), so the engine paces itself rather than collecting 429s. A wait beyond
   * `maxRateLimitWaitMs` is not sent at all: `rate_limited` with the time left, for the activity's
   * retry. Returns how long it waited.
   */
  private async pace(operation: string, waitedMs: number, ctx: FailureContext): Promise<number> {
    let waited = 0;
    for (;;) {
      const w = this.windows.get(operation);
      const now = Date.now();
      if (!w || now >= w.resetAt) {
        this.windows.delete(operation);
        return waited;
      }
      if (w.remaining > 0) {
        w.remaining--; // this request's share, until the answer says what is left
        return waited;
      }
      const waitMs = w.resetAt - now;
      if (waitedMs + waited + waitMs > (this.options.maxRateLimitWaitMs ?? 30_000)) {
        throw new BridgeError('rate_limited', `${this.options.vendor} ${operation}: the vendor's rate limit for this endpoint is used up for ${Math.ceil(waitMs / 1000)} s more`, {
          source: this.options.source, operation, correlationId: ctx.correlationId, retryAfterMs: waitMs,
        });
      }
      this.count('paced');
      await sleep(waitMs);
      waited += waitMs;
    }
  }

  /** Remembers X-RateLimit-Remaining / -Reset (seconds from now, or an epoch time) of an answer. */
  private observeWindow(operation: string, headers: Record<string, string | string[] | undefined>): void {
    const rawRemaining = first(headers['x-ratelimit-remaining']);
    const rawReset = first(headers['x-ratelimit-reset']);
    if (!rawRemaining || !rawReset) return;
    const remaining = Number(rawRemaining);
    const reset = Number(rawReset);
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const now = Date.now();
    const resetAt = reset > 1e9 ? reset * 1000 : now + reset * 1000;
    const w = this.windows.get(operation);
    // Answers arrive out of order: within one window the lowest count is the truest.
    this.windows.set(operation, w && now < w.resetAt ? { remaining: Math.min(w.remaining, remaining), resetAt: Math.max(w.resetAt, resetAt) } : { remaining, resetAt });
  }

  /** Waits before the next attempt when the policy allows one; false when retries are spent. */
  private async backoff(attempt: number, started: number, kind: FailureKind): Promise<boolean> {
    if (attempt >= this.retry.attempts) return false;
    const delay = backoffDelay(attempt - 1, { baseMs: this.retry.baseMs, maxMs: this.retry.maxMs });
    if (Date.now() - started + delay > this.retry.maxElapsedMs) return false;
    this.count(kind);
    await sleep(delay);
    return true;
  }

  private count(kind: string): void {
    this.retries[kind] = (this.retries[kind] ?? 0) + 1;
    requestObserver.retry({ vendor: this.options.source, kind });
  }
}

function defaultFailure(options: VendorClientOptions, status: number, body: unknown, ctx: FailureContext): BridgeError {
  const text = typeof body === 'string' ? body.slice(0, 300) : body && typeof body === 'object' ? JSON.stringify(body).slice(0, 300) : `HTTP ${status}`;
  return new BridgeError(kindForStatus(status), `${options.vendor} ${ctx.operation} failed (${status}): ${text}`, {
    source: options.source, operation: ctx.operation, status, correlationId: ctx.correlationId, retryAfterMs: ctx.retryAfterMs,
  });
}

/**
 * A cached token (src/http/tokens.ts) sent as `Authorization: Bearer`. Remembers the bearer it last
 * handed out, so a 401 drops exactly that one and a client can scrub it from messages.
 */
export class BearerTokenAuth implements AuthProvider {
  readonly tokens: TokenProvider;
  lastToken?: string;

  constructor(tokens: TokenProvider | (() => Promise<IssuedToken>), refreshSkewMs = 60_000) {
    this.tokens = typeof tokens === 'function' ? new CachingTokenProvider({ fetchToken: tokens, refreshSkewMs }) : tokens;
  }

  async token(): Promise<string> {
    this.lastToken = await this.tokens.getToken();
    return this.lastToken;
  }

  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token()}` };
  }

  invalidate(): void {
    this.tokens.invalidate(this.lastToken);
  }
}

export function parseBody(text: string, contentType?: string): unknown {
  if (!text) return undefined;
  if (contentType && !/json/i.test(contentType) && !/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function compact(params: VendorRequest['searchParams']): Record<string, string | number | boolean> | undefined {
  if (!params) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
  return out;
}
