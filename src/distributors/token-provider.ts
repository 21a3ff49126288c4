// Access tokens for distributor APIs. An adapter asks `getToken()` before each request and calls
// `invalidate(token)` when the vendor answers 401; the provider fetches a new one on the next
// call. Tokens are cached, refreshed shortly before they expire, fetched by one caller at a time,
// and never logged or put in an error message.
import { DistributorError } from './errors';

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

/** A refresh token as persisted; `version` makes the rotation a compare-and-swap. */
export interface StoredRefreshToken {
  refreshToken: string;
  version: number;
}

/**
 * Where a single-use refresh token lives between runs (e.g. an encrypted DB row). Every
 * exchange consumes the token, so the new one must be saved before the access token is used.
 */
export interface RefreshTokenStore {
  load(): Promise<StoredRefreshToken | null>;
  /** Saves `refreshToken` only if the stored version is still `expectedVersion`. */
  compareAndSwap(expectedVersion: number, refreshToken: string): Promise<boolean>;
}

export class MemoryRefreshTokenStore implements RefreshTokenStore {
  private current: StoredRefreshToken | null;
  constructor(initial?: string) {
    this.current = initial ? { refreshToken: initial, version: 0 } : null;
  }
  async load(): Promise<StoredRefreshToken | null> {
    return this.current && { ...this.current };
  }
  async compareAndSwap(expectedVersion: number, refreshToken: string): Promise<boolean> {
    if ((this.current?.version ?? -1) !== expectedVersion) return false;
    this.current = { refreshToken, version: expectedVersion + 1 };
    return true;
  }
}

export interface RotatingTokenOptions {
  distributor: string;
  store: RefreshTokenStore;
  /** Calls the vendor: refresh token in, access token plus the next refresh token out. */
  exchange: (refreshToken: string) => Promise<IssuedToken & { refreshToken: string }>;
  refreshSkewMs?: number;
  now?: () => number;
}

/** Single-use rotating refresh tokens (e.g. TD SYNNEX StreamOne Ion). */
export class RotatingRefreshTokenProvider extends CachingTokenProvider {
  constructor(options: RotatingTokenOptions) {
    super({
      refreshSkewMs: options.refreshSkewMs,
      now: options.now,
      fetchToken: async () => {
        const stored = await options.store.load();
        if (!stored) throw new DistributorError('No refresh token is stored; request new credentials from the portal.', { kind: 'auth', distributor: options.distributor });
        const issued = await options.exchange(stored.refreshToken);
        if (!(await options.store.compareAndSwap(stored.version, issued.refreshToken))) {
          // Another worker rotated first; its token is the valid one. Try again from the store.
          throw new DistributorError('The refresh token was rotated concurrently.', { kind: 'transient', distributor: options.distributor });
        }
        return issued;
      },
    });
  }
}

/** For APIs that take credentials in the request body (e.g. SYNNEX XML): nothing to refresh. */
export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly secret: string) {}
  async getToken(): Promise<string> {
    return this.secret;
  }
  invalidate(): void {}
}
