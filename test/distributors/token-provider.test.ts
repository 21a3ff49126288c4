import { DistributorError, isRetryable, type DistributorErrorKind } from '../../src/distributors/errors';
import { CachingTokenProvider, MemoryRefreshTokenStore, RotatingRefreshTokenProvider } from '../../src/distributors/token-provider';
import { BridgeError, FAILURE_KINDS } from '../../src/failures';

describe('DistributorError', () => {
  it('is a BridgeError of the shared vocabulary: only transient kinds are retried', () => {
    const kinds: DistributorErrorKind[] = [...FAILURE_KINDS];
    expect(kinds.filter(isRetryable)).toEqual(['rate_limited', 'transient', 'outcome_unknown']);
    const err = new DistributorError('Ingram Micro POST /resellers/v6/orders got no response (ECONNRESET)', { kind: 'outcome_unknown', distributor: 'ingram-main', operation: 'POST /resellers/v6/orders' });
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ kind: 'outcome_unknown', source: 'ingram-main', distributor: 'ingram-main', outcomeUnknown: true, retryable: true });
    expect(new DistributorError('refused', { kind: 'conflict', distributor: 'ingram' })).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(new DistributorError('slow down', { kind: 'rate_limited', distributor: 'ingram', retryAfterMs: 1500 }).toJSON()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1500, distributor: 'ingram', source: 'ingram' });
  });

  it('keeps cause out of JSON', () => {
    const err = new DistributorError('boom', { kind: 'transient', distributor: 'x', cause: { options: { headers: { authorization: 'Bearer s3cret' } } } });
    expect(JSON.stringify(err)).not.toContain('s3cret');
    expect(err.cause).toBeDefined();
  });

  it('copies a BridgeError from the HTTP base without losing its fields', () => {
    const base = new BridgeError('validation', 'bad', { source: 'ingram', status: 400, vendorCode: 'x', fieldErrors: [{ field: 'f', message: 'm' }], correlationId: 'c' });
    const copy = DistributorError.from(base);
    expect(copy).toBeInstanceOf(DistributorError);
    expect(copy).toMatchObject({ kind: 'validation', message: 'bad', status: 400, vendorCode: 'x', correlationId: 'c', fieldErrors: [{ field: 'f', message: 'm' }] });
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
