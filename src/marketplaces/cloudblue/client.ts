// The CloudBlue Commerce SimpleAPI transport on VendorClient: `POST /token` with HTTP Basic → a JWT (refreshed before
// `expiresInSeconds` runs out and once on a 401), `X-Subscription-Key` on every call (the Azure API Management
// gateway in front of SimpleAPI requires it, CloudBlue docs "About SimpleAPI"), `X-Correlation-ID`, and the error
// bodies classified into the failure vocabulary. Resources live in adapter.ts.
import type { z } from 'zod';
import { BridgeError, kindForStatus, type FailureKind } from '../../failures';
import { BearerTokenAuth, VendorClient, type FailureContext, type VendorRequest, type VendorResponse } from '../../http/vendor-client';
import { errorBodySchema, tokenInfoSchema, type TokenRequest } from './schemas';
import type { CloudBlueSecrets, CloudBlueSettings } from './settings';

export const VENDOR = 'CloudBlue';
export const TOKEN_OPERATION = 'POST /token';

export class CloudBlueClient {
  readonly http: VendorClient;
  readonly auth: BearerTokenAuth;

  constructor(readonly settings: CloudBlueSettings, private readonly secrets: CloudBlueSecrets, readonly source = 'cloudblue') {
    this.auth = new BearerTokenAuth(() => this.fetchToken());
    this.http = new VendorClient({
      vendor: VENDOR,
      source,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      auth: this.auth,
      headers: { 'X-Subscription-Key': secrets.subscriptionKey },
      correlationHeader: 'X-Correlation-ID',
      maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
      classify: (status, body, ctx) => classifyCloudBlue(status, body, ctx, source),
      secrets: () => [secrets.password, secrets.subscriptionKey, basic(secrets), this.auth.lastToken ?? ''],
    });
  }

  /** Sends one call and parses its 2xx body with `schema`. */
  async call<T extends z.ZodType>(schema: T, req: VendorRequest): Promise<{ data: z.output<T>; res: VendorResponse }> {
    const res = await this.http.request(req);
    return { data: parse(schema, res.body, req.operation ?? `${req.method} ${req.path}`, this.source, res), res };
  }

  private async fetchToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const body: TokenRequest = this.settings.marketplace ? { marketplace: this.settings.marketplace } : {};
    const { data } = await this.call(tokenInfoSchema, {
      method: 'POST', path: '/token', noAuth: true, idempotent: true, operation: TOKEN_OPERATION,
      headers: { authorization: basic(this.secrets) }, json: body,
    });
    return { accessToken: data.token, expiresInMs: data.expiresInSeconds * 1000 };
  }
}

function basic(secrets: CloudBlueSecrets): string {
  return `Basic ${Buffer.from(`${secrets.username}:${secrets.password}`).toString('base64')}`;
}

/** Parses a 2xx body; a shape we cannot read will not fix itself by retrying. */
export function parse<T extends z.ZodType>(schema: T, body: unknown, operation: string, source: string, res?: VendorResponse): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new BridgeError('validation', `${VENDOR} ${operation} returned an unexpected body (${where})`, {
    source, operation, status: res?.status, correlationId: res?.correlationId, cause: parsed.error,
  });
}

/**
 * A non-2xx answer → BridgeError. Gateway (APIM) answers carry `{statusCode, message}`: a 401 naming the
 * subscription key, 429 "Rate limit is exceeded. Try again in N seconds.", 403 "Out of call volume quota …".
 */
export function classifyCloudBlue(status: number, rawBody: unknown, ctx: FailureContext, source: string): BridgeError {
  const parsed = errorBodySchema.safeParse(rawBody);
  const body = parsed.success ? parsed.data : {};
  const vendorMessage = (body.message ?? (typeof body.error === 'string' ? body.error : undefined) ?? (typeof rawBody === 'string' ? rawBody : '')).slice(0, 300);
  const vendorCode = body.code !== undefined ? String(body.code) : undefined;
  const base = { source, operation: ctx.operation, status, vendorCode, correlationId: ctx.correlationId, retryAfterMs: ctx.retryAfterMs, details: vendorMessage ? [vendorMessage] : [] };
  const said = vendorMessage ? `: ${vendorMessage}` : '';

  let kind: FailureKind = kindForStatus(status);
  let message = `${VENDOR} ${ctx.operation} failed (${status})${said}`;
  if (status === 401 && /subscription key/i.test(vendorMessage)) {
    message = `CloudBlue rejected the subscription key (X-Subscription-Key)${said}. Check the API gateway subscription key of the reseller account and that its subscription is active.`;
  } else if (status === 401 && ctx.operation === TOKEN_OPERATION) {
    message = `CloudBlue rejected the API user name or password at ${TOKEN_OPERATION}${said}. Check the API user's login and password (no extra spaces) and that the user is active.`;
  } else if (status === 401) {
    message = `CloudBlue refused the access token for ${ctx.operation} even after a new one was fetched${said}.`;
  } else if (status === 403 && /quota/i.test(vendorMessage)) {
    // APIM's quota policy answers 403 "Out of call volume quota. Quota will be replenished in hh:mm:ss."
    kind = 'rate_limited';
    message = `CloudBlue call volume quota exhausted for ${ctx.operation}${said}`;
    return new BridgeError(kind, message, { ...base, retryAfterMs: ctx.retryAfterMs ?? quotaWaitMs(vendorMessage) });
  } else if (status === 403) {
    message = `CloudBlue denied ${ctx.operation} (403)${said}. The API user lacks a permission for this operation.`;
  } else if (status === 429) {
    message = `CloudBlue rate limit exceeded for ${ctx.operation}${said}`;
  }
  return new BridgeError(kind, message, base);
}

function quotaWaitMs(message: string): number | undefined {
  const m = /(\d+):(\d{2}):(\d{2})/.exec(message);
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 : undefined;
}
