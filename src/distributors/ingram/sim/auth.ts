// The simulated OAuth server: client credentials in, expiring bearer tokens out (Apigee style).
import { randomBytes } from 'node:crypto';

export interface AuthSettings {
  clientId: string;
  clientSecret: string;
  /** Token lifetime, seconds (Ingram: 86,399). */
  tokenTtlSeconds: number;
}

export type BearerCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export class TokenIssuer {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(public settings: AuthSettings, private readonly now: () => number = Date.now) {}

  issue(clientId: string | null, clientSecret: string | null): { token: string; expiresIn: number } | null {
    if (clientId !== this.settings.clientId || clientSecret !== this.settings.clientSecret) return null;
    const token = randomBytes(21).toString('base64url');
    this.tokens.set(token, this.now() + this.settings.tokenTtlSeconds * 1000);
    this.issued++;
    return { token, expiresIn: this.settings.tokenTtlSeconds };
  }

  check(authorization: string | undefined): BearerCheck {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return 'missing';
    const expiresAt = this.tokens.get(m[1]);
    if (expiresAt === undefined) return 'invalid';
    return this.now() >= expiresAt ? 'expired' : 'ok';
  }

  /** Ends every issued token now (tests: a token expiring mid-run). */
  expireAll(): number {
    const at = this.now();
    for (const k of this.tokens.keys()) this.tokens.set(k, at);
    return this.tokens.size;
  }

  reset(): void {
    this.tokens.clear();
    this.issued = 0;
  }
}
