// Ingram's published limit: 60 GET calls per minute per endpoint. A fixed window per key;
// `limit: 0` turns it off.

export interface RateLimitSettings {
  /** Calls per window and endpoint; 0 = unlimited. */
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until the window resets. */
  resetMs: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(public settings: RateLimitSettings, private readonly now: () => number = Date.now) {}

  take(key: string): RateDecision | null {
    const { limit, windowMs } = this.settings;
    if (!limit) return null;
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, used: 0 };
      this.windows.set(key, w);
    }
    const resetMs = w.start + windowMs - t;
    if (w.used >= limit) return { allowed: false, limit, remaining: 0, resetMs };
    w.used++;
    return { allowed: true, limit, remaining: limit - w.used, resetMs };
  }

  reset(): void {
    this.windows.clear();
  }
}

/** `X-RateLimit-*` headers (reset in whole seconds from now) plus `Retry-After` when refused. */
export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  const resetSeconds = String(Math.max(1, Math.ceil(d.resetMs / 1000)));
  return {
    'X-RateLimit-Limit': String(d.limit),
    'X-RateLimit-Remaining': String(d.remaining),
    'X-RateLimit-Reset': resetSeconds,
    ...(d.allowed ? {} : { 'Retry-After': resetSeconds }),
  };
}
