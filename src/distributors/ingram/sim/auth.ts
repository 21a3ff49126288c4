// The simulated OAuth server: client credentials in, expiring bearer tokens out (Apigee style).
import { randomBytes } from 'node:crypto';
import { IssuedBearers, type BearerCheck } from '../../../sim/kit/bearers';

export interface AuthSettings {
  clientId: string;
  clientSecret: string;
  /** Token lifetime, seconds (Ingram: 86,399). */
  tokenTtlSeconds: number;
}

export type { BearerCheck } from '../../../sim/kit/bearers';

export class TokenIssuer {
  readonly bearers: IssuedBearers;

  constructor(public settings: AuthSettings, now: () => number = Date.now) {
    this.bearers = new IssuedBearers(now);
  }

  get issued(): number {
    return this.bearers.issued;
  }

  issue(clientId: string | null, clientSecret: string | null): { token: string; expiresIn: number } | null {
    if (clientId !== this.settings.clientId || clientSecret !== this.settings.clientSecret) return null;
    const token = randomBytes(21).toString('base64url');
    this.bearers.add(token, this.settings.tokenTtlSeconds, undefined);
    return { token, expiresIn: this.settings.tokenTtlSeconds };
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
