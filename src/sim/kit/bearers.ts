// The bearer tokens a simulated token endpoint has issued: each with its expiry (and whatever the
// vendor attaches to it, e.g. Pax8's audience), checked on every call. Vendors differ in how they
// issue tokens, not in how a bearer is looked up, so every simulator keeps its tokens here.
export type BearerCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export class IssuedBearers<Meta = undefined> {
  private readonly tokens = new Map<string, { expiresAt: number; meta: Meta }>();
  /** Tokens issued since the last reset (tests and the admin API read it). */
  issued = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(token: string, ttlSeconds: number, meta: Meta): void {
    this.tokens.set(token, { expiresAt: this.now() + ttlSeconds * 1000, meta });
    this.issued++;
  }

  /** Why an `Authorization` header is refused, or `ok` with what the token carries. */
  check(authorization: string | undefined): { status: BearerCheck; meta?: Meta } {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { status: 'missing' };
    const t = this.tokens.get(m[1]);
    if (!t) return { status: 'invalid' };
    return this.now() >= t.expiresAt ? { status: 'expired' } : { status: 'ok', meta: t.meta };
  }

  /** Ends every issued token now (tests: a token expiring mid-run). */
  expireAll(): number {
    const at = this.now();
    for (const t of this.tokens.values()) t.expiresAt = at;
    return this.tokens.size;
  }

  reset(): void {
    this.tokens.clear();
    this.issued = 0;
  }
}
