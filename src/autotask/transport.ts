// Sends one Autotask request: zone URL, auth headers, limits, JSON, classification, and the retries
// that are safe at the request that failed: a thread-limit refusal or a stray 429 (the request did
// not run), a moved zone, and transient failures (resets, timeouts, 502/503/504, 5xx that say
// nothing of the input) of requests that are safe to repeat — reads, query POSTs, PATCH/PUT (same
// values), and creates only when the caller can look up whether the first attempt happened. Bounded
// by count and time; what is left goes to the activity's RetryPolicy, classified.
import crypto from 'node:crypto';
import got, { type Got, type Method } from 'got';
import type { z } from 'zod';
import { backoffDelay, parseRetryAfter, sleep } from '../http/backoff';
import { requestObserver } from '../http/observe';
import { logger as rootLogger, type Logger } from '../logging';
import { authHeaders, scrub, type AutotaskCredentials } from './credentials';
import { AutotaskError, errorFromResponse, errorMessages, type AutotaskReason } from './errors';
import { NO_LIMITS, type ApiLimiter, type LimitScope } from './limits';
import { thresholdInformationSchema, type ThresholdInformation } from './schemas/common';
import { parseJson, ZoneResolver, type Zone } from './zone';

export interface RetrySettings {
  /** Attempts per request after transient failures, the first included. */
  attempts: number;
  /** No new attempt starts this long after the first. */
  maxElapsedMs: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { attempts: 4, maxElapsedMs: 30_000, baseMs: 250, maxMs: 4_000 };

export interface TransportOptions {
  credentials: AutotaskCredentials;
  /** Skip discovery and use this zone, e.g. `https://webservices14.autotask.net/atservicesrest/`. */
  zoneUrl?: string;
  /** Zone-less discovery base (default `https://webservices.autotask.net/atservicesrest`). */
  discoveryUrl?: string;
  /** Shared limits (see limits.ts); `false` turns limiting off. Default: this process only. */
  limiter: ApiLimiter | false;
  /** Identifies the Autotask database for the hourly budget when the zone has no `ci`. */
  databaseKey?: string;
  timeoutMs?: number;
  /** Retries of transient failures (count and time bounds, backoff). */
  retry?: Partial<RetrySettings>;
  /** Shorthand for `retry.attempts - 1` (kept for callers and tests; 0 = no transient retries). */
  readRetries?: number;
  /** Retries after a thread-limit refusal (the request did not run, so any method may repeat). */
  threadLimitRetries?: number;
  /** Longest total wait for stray 429s (Retry-After honoured) inside one request. Default 30 s. */
  maxRateLimitWaitMs?: number;
  /**
   * A 401 re-checks the zone only when it was discovered longer ago than this (default 60 s): a
   * zone just discovered is current, so a 401 then means bad credentials, answered in one request.
   */
  zoneRecheckMs?: number;
  logger?: Logger;
}

export interface RequestSpec {
  method: Method;
  /** Path below `V1.0/`, e.g. `Products/query`. */
  path?: string;
  /** A full URL from Autotask (nextPageUrl); only sent when its host is the zone's host. */
  url?: string;
  body?: unknown;
  /** The entity the thread limit counts this request against. */
  endpoint: string;
  /** Safe to repeat after any failure (GETs, queries). PATCH and PUT are treated as safe too. */
  idempotent: boolean;
  /**
   * For creates: finds the record a lost-answer attempt may have created (e.g. by a unique key).
   * With it, the transport retries a create whose outcome is unknown without creating twice;
   * without it, such a create throws `outcome_unknown`.
   */
  recover?: () => Promise<number | null>;
}

/** How long a ThresholdInformation reading answers for further 429s (a stray one's Retry-After is about a second). */
const THRESHOLD_REUSE_MS = 2_000;

// Connection failures after which the request surely never reached Autotask.
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Per-request retry bookkeeping. */
interface Attempts { started: number; transient: number; thread: number; rateWaitedMs: number }

export class Transport {
  readonly zones: ZoneResolver;
  /** Retries made, by reason (tests and benchmarks read it). */
  readonly retries: Record<string, number> = {};
  private readonly http: Got;
  private readonly limiter: ApiLimiter;
  private readonly integration: string;
  private readonly log: Logger;
  private readonly retry: RetrySettings;
  private lastThreshold?: { database: string; at: number; reading: Promise<ThresholdInformation | 'refused' | undefined> };

  constructor(private readonly options: TransportOptions) {
    this.http = got.extend({
      timeout: { request: options.timeoutMs ?? 30_000 },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      headers: { accept: 'application/json' },
    });
    this.zones = new ZoneResolver(this.http, options.credentials, { discoveryUrl: options.discoveryUrl, zoneUrl: options.zoneUrl });
    this.limiter = options.limiter === false ? NO_LIMITS : options.limiter;
    this.integration = crypto.createHash('sha256').update(options.credentials.integrationCode).digest('hex').slice(0, 16);
    this.log = (options.logger ?? rootLogger).child({ api: 'autotask' });
    this.retry = { ...DEFAULT_RETRY, ...(options.readRetries !== undefined ? { attempts: options.readRetries + 1 } : {}), ...options.retry };
  }

  async request<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.infer<S>> {
    const body = await this.send(spec);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const op = this.label(spec);
      throw new AutotaskError('unexpected_response', `Autotask ${op}: unexpected response (${issue?.path.join('.')}: ${issue?.message})`, { operation: op });
    }
    return parsed.data;
  }

  /** Sends and returns the parsed JSON body of a 2xx answer; throws AutotaskError otherwise. */
  async send(spec: RequestSpec): Promise<unknown> {
    const op = this.label(spec);
    const safe = spec.idempotent || spec.method === 'PATCH' || spec.method === 'PUT' || spec.method === 'GET';
    const attempts: Attempts = { started: Date.now(), transient: 1, thread: 0, rateWaitedMs: 0 };
    let zone = await this.zones.current();
    let zoneRetried = false;
    for (;;) {
      const scope = this.scope(zone, spec.endpoint);
      const url = this.url(zone, spec);
      const permit = await this.limiter.acquire(scope);
      let status: number;
      let text: string;
      let headers: Record<string, string | string[] | undefined>;
      const sentAt = Date.now();
      try {
        const res = await this.http(url, {
          method: spec.method,
          headers: authHeaders(this.options.credentials),
          // Reads (GETs, queries: up to 500 rows) are asked for compressed. A write's answer is a few
          // bytes (`{"itemId":n}`), and got's decompression stream was ~20 % of its CPU per request.
          decompress: isRead(spec),
          ...(spec.body === undefined ? {} : { json: spec.body }),
        });
        status = res.statusCode;
        text = res.body;
        headers = res.headers;
      } catch (err) {
        await permit.release();
        requestObserver.observe({ vendor: 'autotask', operation: op, status: 'error', ms: Date.now() - sentAt });
        const e = err as { code?: string; message?: string };
        const code = e.code ?? 'ERR';
        const cause = Object.assign(new Error(this.clean(e.message ?? code)), { code });
        const noAnswer = (reason: AutotaskReason, what: string) => new AutotaskError(reason, `Autotask ${op}: ${what} (${this.clean(code)})`, { operation: op, cause });
        if (safe || UNSENT.has(code)) {
          if (await this.backoff(attempts, 'network')) continue;
          throw noAnswer('network', 'no answer');
        }
        // A create whose answer was lost: it may have happened.
        if (spec.recover) {
          const found = await this.recover(spec, op);
          if (found !== null) return { itemId: found };
          if (await this.backoff(attempts, 'network')) continue;
          throw noAnswer('network', 'no answer, and the create did not happen');
        }
        throw noAnswer('answer_lost', 'the answer was lost, so the write may or may not have happened');
      }
      await permit.release();
      requestObserver.observe({ vendor: 'autotask', operation: op, status, ms: Date.now() - sentAt });
      this.log.debug({ method: spec.method, endpoint: spec.endpoint, status, ms: Date.now() - sentAt }, 'autotask request');
      const body = parseJson(text);
      if (status >= 200 && status < 300 && !carriesErrors(body)) {
        void this.maybeRefreshThreshold(scope);
        return body;
      }
      const error = errorFromResponse(op, status, body, parseRetryAfter(headers['retry-after']), (s) => this.clean(s));
      if (error.reason === 'thread_limit') {
        if (attempts.thread++ < (this.options.threadLimitRetries ?? 3)) {
          this.count('thread_limit');
          await sleep(error.retryAfterMs ?? backoffDelay(attempts.thread - 1, { baseMs: 250, maxMs: 5000 }));
          continue;
        }
        throw error;
      }
      if (error.reason === 'hourly_budget' || error.reason === 'rate_limit') {
        const waitMs = await this.onRateLimited(scope, spec, error, attempts);
        this.count('rate_limit');
        await sleep(waitMs);
        continue;
      }
      if (error.kind === 'transient') {
        if (safe) {
          if (await this.backoff(attempts, error.reason)) continue;
          throw error;
        }
        if (spec.recover) {
          const found = await this.recover(spec, op);
          if (found !== null) return { itemId: found };
          if (await this.backoff(attempts, error.reason)) continue;
          throw error;
        }
        // A gateway timed out or failed between us and Autotask: the write's outcome is unknown.
        if (status === 502 || status === 504) {
          throw new AutotaskError('answer_lost', `Autotask ${op}: HTTP ${status} from a gateway, so the write may or may not have happened`, { operation: op, status, details: error.details });
        }
        throw error;
      }
      if (error.kind === 'auth' && status === 401 && !zone.manual && !zoneRetried && Date.now() - zone.discoveredAt >= (this.options.zoneRecheckMs ?? 60_000)) {
        const { zone: next, moved } = await this.zones.rediscover(zone);
        if (moved) {
          this.log.info({ zone: next.zoneName ?? new URL(next.url).host }, 'autotask zone moved');
          if (spec.url) throw new AutotaskError('zone_moved', `Autotask ${op}: the API user's zone moved; restart paging in the new zone`, { operation: op, status });
          zone = next;
          zoneRetried = true;
          continue;
        }
      }
      throw error;
    }
  }

  /**
   * A 429 that is not the thread limit. Autotask refuses at 100% of the database's hourly limit, but
   * one 429 is not proof of that: ThresholdInformation decides. Exhausted → every worker pauses (via
   * the limiter) and `hourly_budget` goes to the activity's RetryPolicy. Otherwise it was a stray
   * refusal: wait Retry-After (or a few seconds) and send again, within `maxRateLimitWaitMs`.
   * Returns how long to wait before the retry.
   */
  private async onRateLimited(scope: LimitScope, spec: RequestSpec, error: AutotaskError, attempts: Attempts): Promise<number> {
    const op = this.label(spec);
    if (spec.endpoint === 'ThresholdInformation') throw error;
    const read = await this.sharedThreshold(scope);
    const reading = typeof read === 'object' ? read : undefined;
    const exhausted = read === 'refused' || (reading && reading.currentTimeframeRequestCount >= reading.externalRequestThreshold * 0.98);
    if (exhausted) {
      // The reading (or, when even ThresholdInformation is refused, the refusal) tells every worker.
      if (!reading) await this.limiter.observe(scope, 1, 1).catch(() => undefined);
      const used = reading ? `${reading.currentTimeframeRequestCount} of ${reading.externalRequestThreshold}` : 'all';
      throw new AutotaskError('hourly_budget', `Autotask ${op}: the database has used ${used} of its hourly API requests (HTTP 429); pausing`, {
        operation: op, status: error.status, details: error.details, retryAfterMs: error.retryAfterMs ?? 60_000,
      });
    }
    const waitMs = error.retryAfterMs ?? backoffDelay(attempts.rateWaitedMs === 0 ? 0 : 2, { baseMs: 1000, maxMs: 10_000 });
    if (attempts.rateWaitedMs + waitMs > (this.options.maxRateLimitWaitMs ?? 30_000)) {
      const usage = reading ? `${reading.currentTimeframeRequestCount} of ${reading.externalRequestThreshold} used` : 'usage unknown';
      throw new AutotaskError('rate_limit', `Autotask ${op}: refused with HTTP 429 although the hourly limit is not reached (${usage}); still refused after ${Math.round(attempts.rateWaitedMs / 1000)} s`, {
        operation: op, status: error.status, details: error.details, retryAfterMs: waitMs,
      });
    }
    attempts.rateWaitedMs += waitMs;
    return waitMs;
  }

  /** Runs the caller's lookup after a create whose outcome is unknown; its failure ends the request. */
  private async recover(spec: RequestSpec, op: string): Promise<number | null> {
    try {
      const id = await spec.recover!();
      this.log.info({ endpoint: spec.endpoint, found: id !== null }, 'autotask create outcome checked');
      return id;
    } catch (err) {
      throw new AutotaskError('answer_lost', `Autotask ${op}: the answer was lost and the lookup of what happened failed (${(err as Error).message})`, { operation: op, cause: err });
    }
  }

  /** Waits before the next attempt when the policy allows one; false when retries are spent. */
  private async backoff(attempts: Attempts, reason: string): Promise<boolean> {
    if (attempts.transient >= this.retry.attempts) return false;
    const delay = backoffDelay(attempts.transient - 1, { baseMs: this.retry.baseMs, maxMs: this.retry.maxMs });
    if (Date.now() - attempts.started + delay > this.retry.maxElapsedMs) return false;
    attempts.transient++;
    this.count(reason);
    await sleep(delay);
    return true;
  }

  private count(reason: string): void {
    this.retries[reason] = (this.retries[reason] ?? 0) + 1;
    requestObserver.retry({ vendor: 'autotask', kind: reason });
  }

  /** The limiter scope of an endpoint in the current zone. */
  async scopeFor(endpoint: string): Promise<LimitScope> {
    return this.scope(await this.zones.current(), endpoint);
  }

  private scope(zone: Zone, endpoint: string): LimitScope {
    const database = this.options.databaseKey ?? (zone.ci != null ? `ci:${zone.ci}` : new URL(zone.url).host);
    return { database, integration: this.integration, endpoint };
  }

  private url(zone: Zone, spec: RequestSpec): string {
    if (!spec.url) return `${zone.url}V1.0/${spec.path ?? ''}`;
    const target = new URL(spec.url);
    const home = new URL(zone.url);
    if (target.host.toLowerCase() !== home.host.toLowerCase() || target.protocol !== home.protocol) {
      throw new AutotaskError('validation', `Autotask ${this.label(spec)}: refusing to send credentials to ${target.protocol}//${target.host} (zone is ${home.host})`, { operation: this.label(spec) });
    }
    return target.toString();
  }

  /**
   * A ThresholdInformation reading for a 429: the one in flight or just taken when there is one.
   * Several requests refused at once (a burst of stray 429s, or the hour really used up) cost one
   * reading, not one each — every reading counts against the same hourly budget.
   */
  private sharedThreshold(scope: LimitScope): Promise<ThresholdInformation | 'refused' | undefined> {
    const now = Date.now();
    const last = this.lastThreshold;
    if (last && last.database === scope.database && now - last.at < THRESHOLD_REUSE_MS) return last.reading;
    const reading = this.readThreshold(scope);
    this.lastThreshold = { database: scope.database, at: now, reading };
    return reading;
  }

  private async maybeRefreshThreshold(scope: LimitScope): Promise<void> {
    if (scope.endpoint === 'ThresholdInformation' || !this.limiter.claimThresholdRefresh(scope)) return;
    await this.readThreshold(scope);
  }

  /**
   * Reads ThresholdInformation and shares it through the limiter. `refused` when it too was
   * refused for the hourly limit; undefined when it failed otherwise — a stray 429 on the reading
   * itself (no hourly-limit text) included: that proves nothing about the budget, and taking it for
   * a refusal would stop every worker for `stopRecheckMs` over two unlucky requests.
   */
  private async readThreshold(scope: LimitScope): Promise<ThresholdInformation | 'refused' | undefined> {
    try {
      const info = await this.request({ method: 'GET', path: 'ThresholdInformation', endpoint: 'ThresholdInformation', idempotent: true }, thresholdInformationSchema);
      await this.limiter.observe(scope, info.currentTimeframeRequestCount, info.externalRequestThreshold);
      return info;
    } catch (err) {
      // Refused by Autotask itself (not by our own limiter, which sets no status).
      if (err instanceof AutotaskError && err.status === 429 && err.reason === 'hourly_budget') return 'refused';
      this.log.warn({ err: (err as Error).message }, 'could not read Autotask ThresholdInformation');
      return undefined;
    }
  }

  private label(spec: RequestSpec): string {
    const path = spec.url ? new URL(spec.url).pathname.replace(/^.*\/V1\.0\//i, '') : spec.path ?? '';
    return `${spec.method} ${path.split('?')[0]}`;
  }

  private clean(text: string): string {
    return scrub(text, this.options.credentials);
  }
}

/** GETs, queries and their next pages: the requests whose answers can be large. */
function isRead(spec: RequestSpec): boolean {
  return spec.method === 'GET' || spec.url !== undefined || /\/query(\/count)?$/i.test(spec.path ?? '');
}

/** A 200 can still carry `{"errors":[...]}` with nothing else. */
function carriesErrors(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return errorMessages(body).length > 0 && Array.isArray(b.errors) && !('item' in b || 'items' in b || 'itemId' in b);
}
