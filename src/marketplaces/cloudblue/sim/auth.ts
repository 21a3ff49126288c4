// The simulated gateway and token service. Two layers, as in production (CloudBlue docs "About SimpleAPI": SimpleAPI
// behind Azure API Management):
// - APIM checks `X-Subscription-Key` on every call, /token included, and applies the rate limit of the subscription;
// - SimpleAPI issues a JWT at `POST /token` for HTTP Basic credentials (`TokenInfo {token, expiresInSeconds}`) and
//   checks the bearer on every other call.
import { createHmac, randomBytes } from 'node:crypto';
import { IssuedBearers, type BearerCheck } from '../../../sim/kit/bearers';

export interface AuthSettings {
  username: string;
  password: string;
  subscriptionKey: string;
  /** Token lifetime; the spec's example is 1500 seconds. */
  tokenTtlSeconds: number;
}

export type KeyCheck = 'ok' | 'missing' | 'invalid';
export type { BearerCheck } from '../../../sim/kit/bearers';

export class TokenService {
  readonly bearers: IssuedBearers;
  private readonly signingKey = randomBytes(32);

  constructor(public settings: AuthSettings, private readonly now: () => number = Date.now) {
    this.bearers = new IssuedBearers(now);
  }

  get issued(): number {
    return this.bearers.issued;
  }

  checkKey(value: string | undefined): KeyCheck {
    if (!value) return 'missing';
    return value === this.settings.subscriptionKey ? 'ok' : 'invalid';
  }

  /** A signed JWT for valid Basic credentials, else null. */
  issue(authorization: string | undefined): { token: string; expiresInSeconds: number } | null {
    const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return null;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== this.settings.username || decoded.slice(colon + 1) !== this.settings.password) return null;
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.settings.tokenTtlSeconds;
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${part({ alg: 'HS384', typ: 'JWT' })}.${part({ sub: this.settings.username, iat, exp, jti: randomBytes(8).toString('hex') })}`;
    const token = `${body}.${createHmac('sha384', this.signingKey).update(body).digest('base64url')}`;
    this.bearers.add(token, this.settings.tokenTtlSeconds, undefined);
    return { token, expiresInSeconds: this.settings.tokenTtlSeconds };
  }

  check(authorization: string | undefined): BearerCheck {
    return this.bearers.check(authorization).status;
  }

  expireAll(): number {
    return this.bearers.expireAll();
  }

  reset(): void {
    this.bearers.reset();
  }
}

/**
 * APIM's `rate-limit` policy: at most `calls` per `renewalPeriodSeconds` per subscription, refused with 429 and
 * `Retry-After`. CloudBlue does not publish the numbers of its subscriptions [unverified]: the defaults are ours,
 * and settable.
 */
export class RateLimiter {
  private window = { start: 0, used: 0 };

  constructor(public settings: { calls: number; renewalPeriodSeconds: number }, private readonly now: () => number = Date.now) {}

  /** Seconds to wait when refused, else 0. */
  take(): number {
    const { calls, renewalPeriodSeconds } = this.settings;
    if (!calls) return 0;
    const t = this.now();
    if (t - this.window.start >= renewalPeriodSeconds * 1000) this.window = { start: t, used: 0 };
    if (this.window.used >= calls) return Math.max(1, Math.ceil((this.window.start + renewalPeriodSeconds * 1000 - t) / 1000));
    this.window.used++;
    return 0;
  }

  reset(): void {
    this.window = { start: 0, used: 0 };
  }
}
