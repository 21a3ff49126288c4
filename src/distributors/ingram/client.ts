// The Ingram Micro Reseller API transport: one got instance (prefix URL, timeout, JSON), the OAuth
// bearer, the IM-* headers, bounded 429 waits, and error classification. Resources live in
// adapter.ts and only say method, path and body.
import { randomUUID } from 'node:crypto';
import got, { type Got, type Method } from 'got';
import { backoffDelay, parseRetryAfter, sleep } from '../../http/backoff';
import { DistributorError } from '../errors';
import { CachingTokenProvider, type TokenProvider } from '../token-provider';
import { classifyIngramResponse, classifyTransportError, DISTRIBUTOR } from './errors';
import { accessTokenSchema } from './schemas';
import type { IngramSettings } from './settings';

export interface IngramRequest {
  method: Method;
  /** Path from the spec, e.g. `/resellers/v6/catalog`. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Safe to repeat: only these get transport retries. */
  idempotent: boolean;
  /** For messages, e.g. `GET /resellers/v6/catalog`. Defaults to method + path. */
  operation?: string;
}

export interface IngramResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  correlationId: string;
}

// Connection blips only; statuses are never retried by the transport.
const BLIP_CODES = ['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN'];
/** got computes 0 when its rules say "don't retry"; otherwise a short jittered backoff. */
const blipDelay = ({ attemptCount, computedValue }: { attemptCount: number; computedValue: number }) =>
  computedValue === 0 ? 0 : backoffDelay(attemptCount - 1, { baseMs: 100, maxMs: 2_000 });

export class IngramClient {
  readonly tokens: TokenProvider;
  private readonly http: Got;

  constructor(readonly settings: IngramSettings, options: { tokens?: TokenProvider } = {}) {
    this.http = got.extend({
      prefixUrl: settings.baseUrl,
      timeout: { request: settings.timeoutMs },
      throwHttpErrors: false,
      responseType: 'text',
      followRedirect: false,
    });
    this.tokens = options.tokens ?? new CachingTokenProvider({ fetchToken: () => this.fetchToken(), refreshSkewMs: settings.tokenRefreshSkewMs });
  }

  /** Sends one API call; returns 2xx answers and throws a classified DistributorError otherwise. */
  async request(req: IngramRequest): Promise<IngramResponse> {
    const operation = req.operation ?? `${req.method} ${req.path}`;
    let authRetried = false;
    let waitedMs = 0;
    for (;;) {
      const token = await this.tokens.getToken();
      const correlationId = newCorrelationId();
      let res;
      try {
        res = await this.http(req.path.replace(/^\//, ''), {
          method: req.method,
          searchParams: compact(req.searchParams),
          ...(req.body === undefined ? {} : { json: req.body }),
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'IM-CustomerNumber': this.settings.customerNumber,
            'IM-CountryCode': this.settings.countryCode,
            'IM-CorrelationID': correlationId,
            ...(this.settings.senderId ? { 'IM-SenderID': this.settings.senderId } : {}),
          },
          retry: req.idempotent
            ? { limit: this.settings.transportRetries, methods: [req.method], statusCodes: [], errorCodes: BLIP_CODES, calculateDelay: blipDelay }
            : { limit: 0 },
        });
      } catch (err) {
        throw classifyTransportError(err, { operation, correlationId, idempotent: req.idempotent });
      }
      const body = parseBody(res.body);
      if (res.statusCode === 401 && !authRetried) {
        // Expired or revoked token: fetch a new one once, transparently.
        this.tokens.invalidate(token);
        authRetried = true;
        continue;
      }
      if (res.statusCode === 429) {
        const retryAfterMs = rateLimitDelay(res.headers);
        if (waitedMs + retryAfterMs <= this.settings.maxRateLimitWaitMs) {
          await sleep(retryAfterMs);
          waitedMs += retryAfterMs;
          continue;
        }
        throw classifyIngramResponse(429, body, { operation, correlationId, retryAfterMs });
      }
      if (res.statusCode >= 400) throw classifyIngramResponse(res.statusCode, body, { operation, correlationId });
      return { status: res.statusCode, body, headers: res.headers, correlationId };
    }
  }

  /** OAuth client credentials, as the spec has it: GET with the credentials in the query. */
  private async fetchToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const operation = 'GET /oauth/oauth20/token';
    const url = this.settings.tokenUrl ?? `${new URL(this.settings.baseUrl).origin}/oauth/oauth20/token`;
    let res;
    try {
      res = await got(url, {
        searchParams: { grant_type: 'client_credentials', client_id: this.settings.clientId, client_secret: this.settings.clientSecret },
        timeout: { request: this.settings.timeoutMs },
        throwHttpErrors: false,
        responseType: 'text',
        retry: { limit: this.settings.transportRetries, methods: ['GET'], statusCodes: [], errorCodes: BLIP_CODES, calculateDelay: blipDelay },
      });
    } catch (err) {
      throw classifyTransportError(err, { operation, idempotent: true });
    }
    const body = parseBody(res.body);
    if (res.statusCode >= 400) {
      const error = classifyIngramResponse(res.statusCode, body, { operation });
      // A refused token request is a credentials problem, whatever status the gateway picked.
      if (res.statusCode < 500 && res.statusCode !== 429) {
        throw new DistributorError(`Ingram OAuth token request was refused (${res.statusCode}${error.vendorCode ? ` ${error.vendorCode}` : ''}); check the client id and secret.`, {
          kind: 'auth', distributor: DISTRIBUTOR, status: res.statusCode, vendorCode: error.vendorCode, operation,
        });
      }
      throw error;
    }
    const parsed = accessTokenSchema.safeParse(body);
    if (!parsed.success) {
      throw new DistributorError('Ingram OAuth token response has no access_token.', { kind: 'transient', distributor: DISTRIBUTOR, status: res.statusCode, operation });
    }
    const seconds = Number(parsed.data.expires_in ?? 86_400);
    return { accessToken: parsed.data.access_token, expiresInMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 86_400) * 1000 };
  }
}

/** `IM-CorrelationID` allows 32 characters: a UUID without dashes. */
export function newCorrelationId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Retry-After first; else X-RateLimit-Reset (seconds to go, or an epoch in seconds); else 1 s. */
export function rateLimitDelay(headers: Record<string, string | string[] | undefined>, now = Date.now()): number {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(Array.isArray(headers['x-ratelimit-reset']) ? headers['x-ratelimit-reset'][0] : headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return reset > 1e9 ? Math.max(0, reset * 1000 - now) : reset * 1000;
  return 1000;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function compact(params: IngramRequest['searchParams']): Record<string, string | number | boolean> | undefined {
  if (!params) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
  return out;
}
