// The Ingram Micro Reseller API on the shared HTTP base (src/http/vendor-client.ts): the IM-* headers,
// a 32-character IM-CorrelationID, the OAuth bearer (client credentials, POST form body) and Ingram's
// error bodies through the `classify` hook. Resources live in adapter.ts and only say method, path and body.
import { randomUUID } from 'node:crypto';
import type { Method } from 'got';
import { BearerTokenAuth, VendorClient, type RetryPolicy, type VendorResponse } from '../../http/vendor-client';
import { asDistributorError, DistributorError } from '../errors';
import { CachingTokenProvider, type TokenProvider } from '../token-provider';
import { classifyIngramResponse, classifyTokenResponse, DISTRIBUTOR, VENDOR } from './errors';
import { accessTokenSchema } from './schemas';
import type { IngramSettings } from './settings';

export interface IngramRequest {
  method: Method;
  /** Path from the spec, e.g. `/resellers/v6/catalog`. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Safe to repeat: only these are retried after a failure (a 5xx or no answer). */
  idempotent: boolean;
  /** For messages, e.g. `GET /resellers/v6/catalog`. Defaults to method + path. */
  operation?: string;
}

export type IngramResponse = VendorResponse;

export const TOKEN_PATH = '/oauth/oauth20/token';

export class IngramClient {
  readonly tokens: TokenProvider;
  /** The shared HTTP base for `/resellers/...` (tests read its `retries`). */
  readonly http: VendorClient;
  private readonly tokenHttp: VendorClient;
  private readonly tokenPath: string;
  /** Integration id or kind: the `source` of every failure. */
  readonly source: string;
  private readonly auth: BearerTokenAuth;

  constructor(readonly settings: IngramSettings, options: { tokens?: TokenProvider; source?: string } = {}) {
    const source = (this.source = options.source ?? DISTRIBUTOR);
    // Connection blips and 5xx on idempotent calls: `transportRetries` more attempts, 100 ms to 2 s apart.
    const retry: Partial<RetryPolicy> = { attempts: settings.transportRetries + 1, baseMs: 100, maxMs: 2_000 };
    const secrets = () => [settings.clientSecret, ...(this.auth.lastToken ? [this.auth.lastToken] : [])];
    this.tokens = options.tokens ?? new CachingTokenProvider({ fetchToken: () => this.fetchToken(), refreshSkewMs: settings.tokenRefreshSkewMs });
    this.auth = new BearerTokenAuth(this.tokens);
    this.http = new VendorClient({
      vendor: VENDOR,
      source,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      auth: this.auth,
      headers: {
        'IM-CustomerNumber': settings.customerNumber,
        'IM-CountryCode': settings.countryCode,
        ...(settings.senderId ? { 'IM-SenderID': settings.senderId } : {}),
      },
      correlationHeader: 'IM-CorrelationID',
      newCorrelationId,
      retry,
      maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
      classify: (status, body, ctx) => classifyIngramResponse(status, body, ctx, source),
      secrets,
    });
    const tokenUrl = new URL(settings.tokenUrl ?? `${new URL(settings.baseUrl).origin}${TOKEN_PATH}`);
    this.tokenPath = tokenUrl.pathname;
    this.tokenHttp = new VendorClient({
      vendor: VENDOR,
      source,
      baseUrl: tokenUrl.origin,
      timeoutMs: settings.timeoutMs,
      retry,
      maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
      classify: (status, body, ctx) => classifyTokenResponse(status, body, ctx, source),
      secrets,
    });
  }

  /** Sends one API call; returns 2xx answers and throws a classified DistributorError otherwise. */
  async request(req: IngramRequest): Promise<IngramResponse> {
    try {
      return await this.http.request({
        method: req.method,
        path: req.path,
        searchParams: req.searchParams,
        ...(req.body === undefined ? {} : { json: req.body }),
        idempotent: req.idempotent,
        operation: req.operation,
      });
    } catch (err) {
      throw asDistributorError(err);
    }
  }

  /**
   * OAuth client credentials as RFC 6749 §4.4 has them and Ingram's developer portal documents:
   * POST with a form body, so the secret never travels in a URL (the spec's GET puts it in the query).
   */
  private async fetchToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const operation = `POST ${TOKEN_PATH}`;
    let res: VendorResponse;
    try {
      res = await this.tokenHttp.request({
        method: 'POST',
        path: this.tokenPath,
        form: { grant_type: 'client_credentials', client_id: this.settings.clientId, client_secret: this.settings.clientSecret },
        idempotent: true,
        noAuth: true,
        operation,
      });
    } catch (err) {
      throw asDistributorError(err);
    }
    const parsed = accessTokenSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new DistributorError(`${VENDOR} OAuth token response has no access_token.`, { kind: 'transient', distributor: this.source, status: res.status, operation });
    }
    const seconds = Number(parsed.data.expires_in ?? 86_400);
    return { accessToken: parsed.data.access_token, expiresInMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 86_400) * 1000 };
  }
}

/** `IM-CorrelationID` allows 32 characters: a UUID without dashes. */
export function newCorrelationId(): string {
  return randomUUID().replace(/-/g, '');
}
