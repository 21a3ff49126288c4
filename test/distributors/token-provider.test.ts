import { DistributorError, isRetryable, kindForStatus, type DistributorErrorKind } from '../../src/distributors/errors';
import { CachingTokenProvider, MemoryRefreshTokenStore, RotatingRefreshTokenProvider } from '../../src/distributors/token-provider';

describe('isRetryable', () => {
  it('retries only transient failures and rate limits', () => {
    const kinds: DistributorErrorKind[] = ['auth', 'rate_limited', 'validation', 'not_found', 'duplicate', 'transient', 'permanent'];
    expect(kinds.filter(isRetryable)).toEqual(['rate_limited', 'transient']);
    expect([401, 404, 409, 429, 400, 503, 418].map(kindForStatus)).toEqual(['auth', 'not_found', 'duplicate', 'rate_limited', 'validation', 'transient', 'permanent']);
  });

  it('keeps cause out of JSON', () => {
    const err = new DistributorError('boom', { kind: 'transient', distributor: 'x', cause: { options: { headers: { authorization: 'Bearer s3cret' } } } });
    expect(JSON.stringify(err)).not.toContain('s3cret');
    expect(err.cause).toBeDefined();
  });
});

describe('CachingTokenProvider', () => {
  it('caches, refreshes before expiry, fetches once for concurrent callers and honours invalidate', async () => {
    let now = 0;
    let n = 0;
    const provider = new CachingTokenProvider({ now: () => now, refreshSkewMs: 60_000, fetchToken: async () => ({ accessToken: `t${++n}`, expiresInMs: 3_600_000 }) });
    expect(await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()])).toEqual(['t1', 't1', 't1']);
    now = 3_600_000 - 60_001;
    expect(await provider.getToken()).toBe('t1');
    now = 3_600_000 - 59_999;
    expect(await provider.getToken()).toBe('t2');
    provider.invalidate('t1'); // stale: ignored
    expect(await provider.getToken()).toBe('t2');
    provider.invalidate('t2');
    expect(await provider.getToken()).toBe('t3');
    expect(provider.fetches).toBe(3);
  });
});

describe('RotatingRefreshTokenProvider', () => {
  it('saves every rotated refresh token before using the access token', async () => {
    const store = new MemoryRefreshTokenStore('r0');
    const used: string[] = [];
    const provider = new RotatingRefreshTokenProvider({
      distributor: 'streamone', store,
      exchange: async (refreshToken) => {
        used.push(refreshToken);
        return { accessToken: `a${used.length}`, expiresInMs: 7_200_000, refreshToken: `r${used.length}` };
      },
    });
    expect(await provider.getToken()).toBe('a1');
    provider.invalidate('a1');
    expect(await provider.getToken()).toBe('a2');
    expect(used).toEqual(['r0', 'r1']);
    expect(await store.load()).toEqual({ refreshToken: 'r2', version: 2 });
  });

  it('fails as `auth` without a stored token and as `transient` when another worker rotated first', async () => {
    const none = new RotatingRefreshTokenProvider({ distributor: 's', store: new MemoryRefreshTokenStore(), exchange: async () => ({ accessToken: 'a', expiresInMs: 1, refreshToken: 'r' }) });
    await expect(none.getToken()).rejects.toMatchObject({ kind: 'auth' });
    const store = new MemoryRefreshTokenStore('r0');
    const racing = new RotatingRefreshTokenProvider({
      distributor: 's', store,
      exchange: async () => {
        await store.compareAndSwap(0, 'other-worker'); // someone else won the race
        return { accessToken: 'a', expiresInMs: 1_000, refreshToken: 'mine' };
      },
    });
    await expect(racing.getToken()).rejects.toMatchObject({ kind: 'transient' });
  });
});
