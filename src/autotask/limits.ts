// Autotask's limits, enforced for a whole deployment: at most `threadLimit` concurrent requests per
// endpoint per integration code (lease slots) and an even share of the database's hourly budget
// (token bucket), slowed or stopped by what ThresholdInformation reports. The store decides where
// the state lives: PostgreSQL for several workers (./limits-pg.ts), memory for one process.
import crypto from 'node:crypto';
import os from 'node:os';
import { backoffDelay, sleep } from '../http/backoff';
import { AutotaskError } from './errors';

export interface LimitScope {
  /** The Autotask database (zone `ci`, or the zone URL): the hourly budget is per database. */
  database: string;
  /** Hash of the integration code: the thread limit is per integration code and endpoint. */
  integration: string;
  /** The entity the request is about, e.g. `Products` (children count as their own entity). */
  endpoint: string;
}

export interface Permit {
  release(): Promise<void>;
}

/** What the transport needs from a limiter; `createLimiter(false)` gives one that does nothing. */
export interface ApiLimiter {
  acquire(scope: LimitScope, signal?: AbortSignal): Promise<Permit>;
  /** Records the database's usage (from ThresholdInformation, or `used = limit` after a refusal). */
  observe(scope: LimitScope, used: number, limit: number): Promise<void>;
  /** True once when ThresholdInformation is due; the caller then fetches it and calls `observe`. */
  claimThresholdRefresh(scope: LimitScope): boolean;
}

/** Where lease slots and buckets live. Implementations must be atomic across processes they serve. */
export interface LimitStore {
  /** Takes a free (or expired) slot in `0..slots-1`; null when all are held. */
  tryLease(key: string, slots: number, holder: string, ttlMs: number): Promise<number | null>;
  /** Gives the slot back; a store with `subscribe` tells every process sharing it. */
  release(key: string, slot: number, holder: string): Promise<void>;
  /** Optional: calls `onFree` with the key of each slot any process gives back (PostgreSQL LISTEN/NOTIFY). */
  subscribe?(onFree: (key: string) => void): Promise<void>;
  /** Takes `cost` tokens: 0 when granted, else the ms until enough will have accrued. */
  take(key: string, cost: number, capacity: number, ratePerSec: number): Promise<number>;
  saveUsage(key: string, used: number, limit: number): Promise<void>;
  loadUsage(key: string): Promise<{ used: number; limit: number; ageMs: number } | null>;
}

export interface LimitSettings {
  /** Concurrent requests per endpoint per integration code (Autotask: 3). */
  threadLimit: number;
  /** The database's hourly limit until ThresholdInformation says otherwise (Autotask: 10,000). */
  hourlyLimit: number;
  /** Our share of the hourly limit; the rest is left to the customer's other integrations. */
  share: number;
  /** Length of an "hour" in ms; tests and benchmarks shrink it. */
  hourMs: number;
  /** Bucket size, i.e. the largest burst; defaults to 1/20 of the hourly share. */
  burst?: number;
  /** Above this share of the database's usage every request costs two tokens. */
  slowAt: number;
  /** Above this share requests stop with `rate_limited` (`hourly_budget`) until usage falls. */
  stopAt: number;
  /**
   * ThresholdInformation is polled by time and remaining budget: with more than half the budget
   * left, after `thresholdEveryRequests` requests of this process AND `thresholdIntervalMs` since the
   * last reading (any worker's) — so polling costs at most 1/thresholdEveryRequests of the requests
   * (0.1%); with less than half left, as often as every `thresholdMinIntervalMs`, after a tenth of
   * what is left has been spent.
   */
  thresholdEveryRequests: number;
  /** Default `hourMs / 6` (10 minutes). */
  thresholdIntervalMs?: number;
  /** Default `hourMs / 60` (1 minute). */
  thresholdMinIntervalMs?: number;
  /** A reading older than this no longer slows or stops anything. Default `hourMs / 3`. */
  thresholdMaxAgeMs?: number;
  /** How long a reading at or above `stopAt` stops requests before one is let through to re-check. Default `hourMs / 12`. */
  stopRecheckMs?: number;
  /** A crashed worker's slot frees itself after this. */
  leaseTtlMs: number;
  /** Longest wait for a slot or tokens before giving up with a retryable error. */
  maxWaitMs: number;
  /** First poll delay while every slot is held (five times as long where the store wakes waiters). */
  pollMs: number;
  /** How long a released slot stays with this process for its next request before going back. */
  idleLingerMs: number;
  /** Tokens taken from the shared bucket at once; up to 10× as many while they are used up within 100 ms. */
  tokenBatch: number;
  /** Longest a process reuses one lease before giving the slot back to the deployment. */
  maxHoldMs: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  threadLimit: 3,
  hourlyLimit: 10_000,
  share: 0.5,
  hourMs: 3_600_000,
  slowAt: 0.75,
  stopAt: 0.95,
  thresholdEveryRequests: 1000,
  leaseTtlMs: 120_000,
  maxWaitMs: 60_000,
  pollMs: 20,
  idleLingerMs: 25,
  tokenBatch: 10,
  maxHoldMs: 1000,
};

/** A batch used up sooner than this after it was taken makes the next one bigger. */
const REFILL_QUICK_MS = 100;

/** Process-local semaphore: one process never polls the store for more slots than exist. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}
  async take(): Promise<void> {
    if (this.active < this.size) { this.active++; return; }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** The latest ThresholdInformation reading known here; `measuredAt` 0 = none. */
interface Usage { used: number; limit: number; measuredAt: number; loadedAt: number }

type Resolved = LimitSettings & Required<Pick<LimitSettings, 'thresholdIntervalMs' | 'thresholdMinIntervalMs' | 'thresholdMaxAgeMs' | 'stopRecheckMs'>>;

interface HeldLease { slot: number; holder: string; leasedAt: number; timer?: NodeJS.Timeout }

export class ApiLimits implements ApiLimiter {
  readonly settings: Resolved;
  private readonly local = new Map<string, Semaphore>();
  private readonly usage = new Map<string, Usage>();
  private readonly idle = new Map<string, HeldLease[]>();
  /** Tokens already taken from the shared bucket by this process, per database. */
  private readonly tokens = new Map<string, number>();
  /** The batch being taken from the shared bucket, per database (true: granted). */
  private readonly refills = new Map<string, Promise<boolean>>();
  /** The size of the last batch taken, and when, per database. */
  private readonly batches = new Map<string, { size: number; at: number }>();
  /** Requests of this process since the last reading, and when it last claimed a poll, per database. */
  private readonly polls = new Map<string, { count: number; claimedAt: number }>();
  private readonly holderPrefix = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private seq = 0;
  /** The store's release events, once subscribed (true) or where it has none (false). */
  private events?: Promise<boolean>;
  /** Requests of this process waiting for a slot, first come first woken, per key. */
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(private readonly store: LimitStore, settings: Partial<LimitSettings> = {}) {
    const merged = { ...DEFAULT_LIMITS, ...settings };
    this.settings = {
      ...merged,
      thresholdIntervalMs: merged.thresholdIntervalMs ?? merged.hourMs / 6,
      thresholdMinIntervalMs: merged.thresholdMinIntervalMs ?? merged.hourMs / 60,
      thresholdMaxAgeMs: merged.thresholdMaxAgeMs ?? merged.hourMs / 3,
      stopRecheckMs: merged.stopRecheckMs ?? merged.hourMs / 12,
    };
  }

  async acquire(scope: LimitScope, signal?: AbortSignal): Promise<Permit> {
    const started = Date.now();
    await this.spend(scope, started, signal);
    const key = `thread:${scope.integration}:${scope.endpoint.toLowerCase()}`;
    let sem = this.local.get(key);
    if (!sem) this.local.set(key, (sem = new Semaphore(this.settings.threadLimit)));
    await sem.take();
    try {
      const lease = this.reuseIdle(key) ?? (await this.lease(key, scope, started, signal));
      this.count(scope);
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          // The slot stays ours for a moment: the next request of this process takes it without a
          // round trip, and in the database it is still held, so the deployment-wide cap holds.
          this.keepIdle(key, lease);
          sem.give();
        },
      };
    } catch (err) {
      sem.give();
      throw err;
    }
  }

  private async lease(key: string, scope: LimitScope, started: number, signal?: AbortSignal): Promise<HeldLease> {
    const holder = `${this.holderPrefix}:${++this.seq}`;
    let woken = false;
    for (let attempt = 0; ; attempt++) {
      const slot = await this.store.tryLease(key, this.settings.threadLimit, holder, this.settings.leaseTtlMs);
      if (slot !== null) return { slot, holder, leasedAt: Date.now() };
      if (Date.now() - started > this.settings.maxWaitMs) {
        throw new AutotaskError('thread_limit', `Autotask ${scope.endpoint}: all ${this.settings.threadLimit} threads of this integration are busy in this deployment (waited ${Date.now() - started} ms)`, { retryAfterMs: this.settings.pollMs * 10 });
      }
      // Where the store says when a slot is given back, a release wakes this request (one waiter per
      // process and release); the timer only covers an expired lease or a lost notification.
      woken ||= await this.subscribed();
      const delay = backoffDelay(attempt, { baseMs: this.settings.pollMs * (woken ? 5 : 1), maxMs: this.settings.pollMs * 25 });
      await (woken ? this.waitForRelease(key, delay, signal) : sleep(delay, signal));
    }
  }

  /** Subscribes to the store's release events at the first wait for a slot (a connection a process). */
  private subscribed(): Promise<boolean> {
    if (!this.store.subscribe) return Promise.resolve(false);
    this.events ??= this.store.subscribe((key) => this.waiters.get(key)?.shift()?.()).then(() => true, () => {
      this.events = undefined; // try again at the next wait; poll meanwhile
      return false;
    });
    return this.events;
  }

  /** Resolves when a slot of `key` is given back and this request is first in line, or after `ms`. */
  private waitForRelease(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    let queue = this.waiters.get(key);
    if (!queue) this.waiters.set(key, (queue = []));
    const waiting = queue;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        const i = waiting.indexOf(wake);
        if (i >= 0) waiting.splice(i, 1);
      };
      const wake = () => { done(); resolve(); };
      const abort = () => { done(); reject(signal!.reason); };
      const timer = setTimeout(wake, ms);
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      waiting.push(wake);
    });
  }

  /** An idle slot this process still holds, if its lease is fresh enough to use. */
  private reuseIdle(key: string): HeldLease | undefined {
    const pool = this.idle.get(key);
    while (pool?.length) {
      const held = pool.pop()!;
      clearTimeout(held.timer);
      // Held at most `maxHoldMs` in a row: other workers waiting on this endpoint get their turn.
      if (Date.now() - held.leasedAt < Math.min(this.settings.maxHoldMs, this.settings.leaseTtlMs / 2)) return held;
      void this.store.release(key, held.slot, held.holder).catch(() => undefined);
    }
    return undefined;
  }

  private keepIdle(key: string, lease: HeldLease): void {
    let pool = this.idle.get(key);
    if (!pool) this.idle.set(key, (pool = []));
    const held: HeldLease = { ...lease };
    held.timer = setTimeout(() => {
      const i = pool!.indexOf(held);
      if (i >= 0) pool!.splice(i, 1);
      void this.store.release(key, held.slot, held.holder).catch(() => undefined);
    }, this.settings.idleLingerMs);
    held.timer.unref?.();
    pool.push(held);
  }

  /** Gives every idle slot back to the database now (shutdown, tests). */
  async releaseIdle(): Promise<void> {
    const all: Promise<void>[] = [];
    for (const [key, pool] of this.idle) {
      for (const held of pool.splice(0)) {
        clearTimeout(held.timer);
        all.push(this.store.release(key, held.slot, held.holder));
      }
    }
    await Promise.all(all);
  }

  async observe(scope: LimitScope, used: number, limit: number): Promise<void> {
    const now = Date.now();
    this.usage.set(scope.database, { used, limit, measuredAt: now, loadedAt: now });
    const p = this.polls.get(scope.database);
    if (p) p.count = 0;
    await this.store.saveUsage(`budget:${scope.database}`, used, limit);
  }

  claimThresholdRefresh(scope: LimitScope): boolean {
    const now = Date.now();
    const s = this.settings;
    const p = this.polls.get(scope.database) ?? { count: 0, claimedAt: 0 };
    this.polls.set(scope.database, p);
    const u = this.usage.get(scope.database);
    let due: boolean;
    if (!u || !u.measuredAt) due = p.claimedAt === 0 || now - p.claimedAt >= s.thresholdMinIntervalMs;
    else {
      const age = now - u.measuredAt;
      const left = Math.max(0, u.limit - u.used - p.count);
      due = left / Math.max(1, u.limit) > 0.5
        ? p.count >= s.thresholdEveryRequests && age >= s.thresholdIntervalMs
        : p.count >= Math.max(10, Math.min(s.thresholdEveryRequests, left / 10)) && age >= s.thresholdMinIntervalMs && now - p.claimedAt >= s.thresholdMinIntervalMs;
    }
    if (due) {
      p.claimedAt = now;
      p.count = 0;
    }
    return due;
  }

  /** Waits for this request's tokens; refuses when the database is nearly out of requests. */
  private async spend(scope: LimitScope, started: number, signal?: AbortSignal): Promise<void> {
    const key = `budget:${scope.database}`;
    const usage = await this.currentUsage(key, scope.database);
    const limit = usage?.limit ?? this.settings.hourlyLimit;
    const fraction = usage ? usage.used / Math.max(1, usage.limit) : 0;
    const age = usage ? Date.now() - usage.measuredAt : 0;
    // A reading at the stop mark holds requests back for a while; then one goes through and its
    // answer (or ThresholdInformation) says whether usage has fallen.
    if (fraction >= this.settings.stopAt && age < this.settings.stopRecheckMs) {
      throw new AutotaskError('hourly_budget', `Autotask ${scope.endpoint}: the database has used ${Math.round(fraction * 100)}% of its hourly API requests; pausing`, {
        retryAfterMs: Math.max(1000, Math.round(this.settings.stopRecheckMs - age)),
      });
    }
    const perHour = Math.max(1, limit * this.settings.share);
    const ratePerSec = (perHour / this.settings.hourMs) * 1000;
    const capacity = this.settings.burst ?? Math.max(1, Math.floor(perHour / 20));
    const cost = fraction >= this.settings.slowAt ? 2 : 1;
    // Take a small batch from the shared bucket (one round trip per batch, not per request). One
    // request of this process fetches it while the others wait and share it: concurrent fetches
    // would each take a batch, and most of those tokens would sit unused while the budget runs out.
    // A process that used up its last batch within REFILL_QUICK_MS takes twice as many next time (up
    // to 10× tokenBatch and a quarter of the bucket): at a thousand requests a second one round trip
    // per 10 tokens was a contended row update every 10 ms. At Autotask's real rates it stays at tokenBatch.
    const batchSize = () => {
      const last = this.batches.get(key);
      const wanted = last && Date.now() - last.at < REFILL_QUICK_MS ? last.size * 2 : this.settings.tokenBatch;
      return Math.max(cost, Math.min(wanted, this.settings.tokenBatch * 10, Math.floor(capacity / 4)));
    };
    for (;;) {
      const local = this.tokens.get(key) ?? 0;
      if (local >= cost) {
        this.tokens.set(key, local - cost);
        return;
      }
      const pending = this.refills.get(key);
      if (pending) {
        if (await pending) continue;
        break;
      }
      const batch = batchSize();
      if (batch <= cost) break;
      const refill = this.store.take(key, batch, capacity, ratePerSec).then((waitMs) => {
        if (waitMs <= 0) {
          this.tokens.set(key, (this.tokens.get(key) ?? 0) + batch);
          this.batches.set(key, { size: batch, at: Date.now() });
        }
        return waitMs <= 0;
      }).finally(() => this.refills.delete(key));
      this.refills.set(key, refill);
      if (!(await refill)) break;
    }
    // The bucket is low: just what this request costs, waiting for it to accrue.
    for (;;) {
      const waitMs = await this.store.take(key, cost, capacity, ratePerSec);
      if (waitMs <= 0) return;
      if (Date.now() + waitMs - started > this.settings.maxWaitMs) {
        throw new AutotaskError('hourly_budget', `Autotask ${scope.endpoint}: this deployment's share of the hourly request budget is spent for now`, { retryAfterMs: Math.ceil(waitMs) });
      }
      await sleep(Math.ceil(waitMs) + Math.random() * Math.min(50, waitMs), signal);
    }
  }

  private async currentUsage(key: string, database: string): Promise<Usage | undefined> {
    const now = Date.now();
    const cached = this.usage.get(database);
    if (cached && now - cached.loadedAt < 1000) return this.valid(cached);
    const stored = await this.store.loadUsage(key);
    // Another worker's reading counts too (and spares this process a poll of its own).
    const measuredAt = stored ? now - stored.ageMs : 0;
    const latest = stored && (!cached || measuredAt >= cached.measuredAt)
      ? { used: stored.used, limit: stored.limit, measuredAt, loadedAt: now }
      : { ...(cached ?? { used: 0, limit: this.settings.hourlyLimit, measuredAt: 0 }), loadedAt: now };
    this.usage.set(database, latest);
    return this.valid(latest);
  }

  /** A reading that still describes the database (an old one is no longer the truth). */
  private valid(u: Usage): Usage | undefined {
    return u.measuredAt && Date.now() - u.measuredAt < this.settings.thresholdMaxAgeMs ? u : undefined;
  }

  private count(scope: LimitScope): void {
    const p = this.polls.get(scope.database);
    if (p) p.count++;
    else this.polls.set(scope.database, { count: 1, claimedAt: 0 });
  }
}

/** Limits kept in this process only: for one worker, or unit tests. */
export class MemoryLimitStore implements LimitStore {
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly usage = new Map<string, { used: number; limit: number; at: number }>();

  async tryLease(key: string, slots: number, holder: string, ttlMs: number): Promise<number | null> {
    const now = Date.now();
    for (let slot = 0; slot < slots; slot++) {
      const held = this.leases.get(`${key}#${slot}`);
      if (!held || held.expiresAt < now) {
        this.leases.set(`${key}#${slot}`, { holder, expiresAt: now + ttlMs });
        return slot;
      }
    }
    return null;
  }

  async release(key: string, slot: number, holder: string): Promise<void> {
    if (this.leases.get(`${key}#${slot}`)?.holder === holder) this.leases.delete(`${key}#${slot}`);
  }

  async take(key: string, cost: number, capacity: number, ratePerSec: number): Promise<number> {
    const now = Date.now();
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const available = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * ratePerSec);
    const granted = available >= cost;
    this.buckets.set(key, { tokens: granted ? available - cost : available, at: now });
    return granted ? 0 : ((cost - available) / ratePerSec) * 1000;
  }

  async saveUsage(key: string, used: number, limit: number): Promise<void> {
    this.usage.set(key, { used, limit, at: Date.now() });
  }

  async loadUsage(key: string): Promise<{ used: number; limit: number; ageMs: number } | null> {
    const u = this.usage.get(key);
    return u ? { used: u.used, limit: u.limit, ageMs: Date.now() - u.at } : null;
  }
}

/** The "limiter off" switch: every request goes straight out. */
export const NO_LIMITS: ApiLimiter = {
  acquire: async () => ({ release: async () => undefined }),
  observe: async () => undefined,
  claimThresholdRefresh: () => false,
};

export function memoryLimiter(settings: Partial<LimitSettings> = {}): ApiLimits {
  return new ApiLimits(new MemoryLimitStore(), settings);
}
