// Pax8's client-credentials token (authentication spec: `POST /token`, 86,400 s bearer tokens for
// the `https://api.pax8.com` audience) and a fixed-window rate limit.
import { randomBytes } from 'node:crypto';
import { IssuedBearers, type BearerCheck as KitBearerCheck } from '../../../sim/kit/bearers';

export type BearerCheck = KitBearerCheck | 'audience';

export class TokenIssuer {
  /** Each token with the audience it was issued for. */
  readonly bearers: IssuedBearers<string>;

  constructor(public settings: { clientId: string; clientSecret: string; tokenTtlSeconds: number }, now: () => number = Date.now) {
    this.bearers = new IssuedBearers<string>(now);
  }

  get issued(): number {
    return this.bearers.issued;
  }

  issue(body: unknown): { token: string; expiresIn: number } | null {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.grant_type !== 'client_credentials' || b.client_id !== this.settings.clientId || b.client_secret !== this.settings.clientSecret || typeof b.audience !== 'string') return null;
    // A JWT in form (Pax8 issues JWTs); nothing reads its claims.
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud: b.audience, sub: `${b.client_id}@clients`, gty: 'client-credentials' })}.${randomBytes(24).toString('base64url')}`;
    this.bearers.add(token, this.settings.tokenTtlSeconds, b.audience);
    return { token, expiresIn: this.settings.tokenTtlSeconds };
  }

  check(authorization: string | undefined): BearerCheck {
    const { status, meta: audience } = this.bearers.check(authorization);
    if (status !== 'ok') return status;
    // The partner endpoints take only tokens for their audience (spec: "set to https://api.pax8.com").
    return audience === 'https://api.pax8.com' ? 'ok' : 'audience';
  }

  expireAll(): number {
    return this.bearers.expireAll();
  }

  reset(): void {
    this.bearers.reset();
  }
}

/**
 * Requests per window across the partner API. Pax8 documents 429 but publishes no numbers: the
 * default (1,000 a minute) is an assumption, adjustable through options and the admin API.
 */
export class FixedWindowLimiter {
  private start = 0;
  private used = 0;

  constructor(public settings: { limit: number; windowMs: number }, private readonly now: () => number = Date.now) {}

  /** Null when allowed; otherwise the seconds to wait (Retry-After). */
  take(): number | null {
    const { limit, windowMs } = this.settings;
    if (!limit) return null;
    const t = this.now();
    if (t - this.start >= windowMs) {
      this.start = t;
      this.used = 0;
    }
    if (this.used >= limit) return Math.max(1, Math.ceil((this.start + windowMs - t) / 1000));
    this.used++;
    return null;
  }

  reset(): void {
    this.start = 0;
    this.used = 0;
  }
}
