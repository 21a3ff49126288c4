// Sends one Autotask request: zone URL, auth headers, limits, JSON, classification. Retries only
// what is safe to repeat here (refused by the thread limit, a moved zone, a connection blip on a
// read); everything else is thrown once, classified, for the activity's RetryPolicy.
import crypto from 'node:crypto';
import got, { type Got, type Method } from 'got';
import type { z } from 'zod';
import { backoffDelay, parseRetryAfter, sleep } from '../http/backoff';
import { logger as rootLogger, type Logger } from '../logging';
import { authHeaders, scrub, type AutotaskCredentials } from './credentials';
import { AutotaskError, errorFromResponse, errorMessages } from './errors';
import { NO_LIMITS, type ApiLimiter, type LimitScope } from './limits';
import { thresholdInformationSchema } from './schemas/common';
import { parseJson, ZoneResolver, type Zone } from './zone';

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
  /** Connection-level retries on reads. */
  readRetries?: number;
  /** Retries after a thread-limit refusal (the request did not run, so any method may repeat). */
  threadLimitRetries?: number;
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
  /** Safe to repeat after a connection failure (GETs and queries). */
  idempotent: boolean;
}

export class Transport {
  readonly zones: ZoneResolver;
  private readonly http: Got;
  private readonly limiter: ApiLimiter;
  private readonly integration: string;
  private readonly log: Logger;

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
  }

  async request<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.infer<S>> {
    const body = await this.send(spec);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AutotaskError('validation', `${this.label(spec)}: unexpected response (${issue?.path.join('.')}: ${issue?.message})`);
    }
    return parsed.data;
  }

  /** Sends and returns the parsed JSON body of a 2xx answer; throws AutotaskError otherwise. */
  async send(spec: RequestSpec): Promise<unknown> {
    let zone = await this.zones.current();
    let zoneRetried = false;
    for (let attempt = 0; ; attempt++) {
      const scope = this.scope(zone, spec.endpoint);
      const url = this.url(zone, spec);
      const permit = await this.limiter.acquire(scope);
      let status: number;
      let text: string;
      let headers: Record<string, string | string[] | undefined>;
      const started = Date.now();
      try {
        const res = await this.http(url, {
          method: spec.method,
          headers: authHeaders(this.options.credentials),
          ...(spec.body === undefined ? {} : { json: spec.body }),
        });
        status = res.statusCode;
        text = res.body;
        headers = res.headers;
      } catch (err) {
        const e = err as { code?: string; message?: string };
        const reason = this.clean(e.code ?? e.message ?? 'network error');
        if (spec.idempotent && attempt < (this.options.readRetries ?? 2)) {
          this.log.debug({ endpoint: spec.endpoint, attempt, reason }, 'autotask request failed; retrying');
          await sleep(backoffDelay(attempt, { baseMs: 100, maxMs: 2000 }));
          continue;
        }
        throw new AutotaskError('transient', `${this.label(spec)}: ${reason}`, { cause: new Error(this.clean(e.message ?? reason)) });
      } finally {
        await permit.release();
      }
      this.log.debug({ method: spec.method, endpoint: spec.endpoint, status, ms: Date.now() - started }, 'autotask request');
      const body = parseJson(text);
      if (status >= 200 && status < 300 && !carriesErrors(body)) {
        void this.maybeRefreshThreshold(scope);
        return body;
      }
      const error = errorFromResponse(this.label(spec), status, body, parseRetryAfter(headers['retry-after']), (s) => this.clean(s));
      if (error.kind === 'thread_limit' && attempt < (this.options.threadLimitRetries ?? 3)) {
        await sleep(error.retryAfterMs ?? backoffDelay(attempt, { baseMs: 250, maxMs: 5000 }));
        continue;
      }
      if (error.kind === 'rate_limit') {
        // The database is out of requests: tell every worker, then let the activity retry later.
        // (1 of 1 = 100% used; the reading ages out after thresholdMaxAgeMs and we try again.)
        await this.limiter.observe(scope, 1, 1).catch(() => undefined);
        throw new AutotaskError('rate_limit', error.message, { status, details: error.details, retryAfterMs: error.retryAfterMs ?? 60_000 });
      }
      if (error.kind === 'auth' && status === 401 && !zone.manual && !zoneRetried && Date.now() - zone.discoveredAt >= (this.options.zoneRecheckMs ?? 60_000)) {
        const { zone: next, moved } = await this.zones.rediscover(zone);
        if (moved) {
          this.log.info({ zone: next.zoneName ?? new URL(next.url).host }, 'autotask zone moved');
          if (spec.url) throw new AutotaskError('zone_moved', `${this.label(spec)}: the Autotask zone moved`, { status });
          zone = next;
          zoneRetried = true;
          continue;
        }
      }
      throw error;
    }
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
      throw new AutotaskError('validation', `${spec.endpoint}: refusing to send credentials to ${target.protocol}//${target.host} (zone is ${home.host})`);
    }
    return target.toString();
  }

  private async maybeRefreshThreshold(scope: LimitScope): Promise<void> {
    if (scope.endpoint === 'ThresholdInformation' || !this.limiter.claimThresholdRefresh(scope)) return;
    try {
      const info = await this.request({ method: 'GET', path: 'ThresholdInformation', endpoint: 'ThresholdInformation', idempotent: true }, thresholdInformationSchema);
      await this.limiter.observe(scope, info.currentTimeframeRequestCount, info.externalRequestThreshold);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not read Autotask ThresholdInformation');
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

/** A 200 can still carry `{"errors":[...]}` with nothing else. */
function carriesErrors(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return errorMessages(body).length > 0 && Array.isArray(b.errors) && !('item' in b || 'items' in b || 'itemId' in b);
}
