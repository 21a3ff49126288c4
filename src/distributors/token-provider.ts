// Distributor token flavours on top of the shared token cache (src/http/tokens.ts, re-exported
// here): single-use rotating refresh tokens and static credentials.
import { CachingTokenProvider, type IssuedToken, type TokenProvider } from '../http/tokens';
import { DistributorError } from './errors';

export { CachingTokenProvider, type CachingTokenProviderOptions, type IssuedToken, type TokenProvider } from '../http/tokens';

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
