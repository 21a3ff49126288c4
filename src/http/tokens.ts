// Access tokens for vendor APIs: cached, refreshed shortly before they expire, fetched by one caller
// at a time, and never logged or put in an error message. A client asks `getToken()` before each
// request and calls `invalidate(token)` when the vendor answers 401.

export interface TokenProvider {
  getToken(): Promise<string>;
  /** Drops `token` if it is still the cached one (a concurrent refresh is kept). */
  invalidate(token?: string): void;
}

export interface IssuedToken {
  accessToken: string;
  /** Lifetime from now, ms. */
  expiresInMs: number;
}

export interface CachingTokenProviderOptions {
  fetchToken: () => Promise<IssuedToken>;
  /** Refresh this long before expiry (capped at a tenth of the token's lifetime). Default 60 s. */
  refreshSkewMs?: number;
  now?: () => number;
}

/** Caches whatever `fetchToken` issues: OAuth client credentials, JWT from Basic auth, ... */
export class CachingTokenProvider implements TokenProvider {
  private cached?: { token: string; refreshAt: number };
  private inflight?: Promise<string>;
  private readonly now: () => number;
  /** Number of tokens fetched so far (tests and metrics). */
  fetches = 0;

  constructor(private readonly options: CachingTokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  async getToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  invalidate(token?: string): void {
    if (!token || this.cached?.token === token) this.cached = undefined;
  }

  private async refresh(): Promise<string> {
    const issued = await this.options.fetchToken();
    this.fetches++;
    const skew = Math.min(this.options.refreshSkewMs ?? 60_000, issued.expiresInMs / 10);
    this.cached = { token: issued.accessToken, refreshAt: this.now() + issued.expiresInMs - skew };
    return issued.accessToken;
  }
}
