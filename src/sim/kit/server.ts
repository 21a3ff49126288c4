// The HTTP plumbing every vendor simulator shares: loopback server, routing, JSON bodies,
// contract checks against the vendor's spec, fault injection, request counts and an admin API.
// A simulator only declares its routes and its vendor-specific error bodies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiContract } from '../../spec/contract';
import { seededRandom } from './random';

export interface SimRequest {
  method: string;
  /** Path without the query string, as received. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
  params: Record<string, string>;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** A one-shot or repeated fault for requests matching `match` (`"POST /resellers/v6/orders"`, prefix match on path). */
export interface ScriptedFault {
  match: string;
  action: 'reset' | 'timeout' | { status: number; body?: unknown; headers?: Record<string, string> };
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /**
   * `after`: handle the request first, then drop the response (reset, timeout) or answer with the
   * status instead (a write that happened but whose answer was lost or was an error).
   */
  when?: 'before' | 'after';
}

export interface FaultSettings {
  /** Share of requests answered with an injected 5xx (0..1). */
  errorRate: number;
  /** Status of injected errors, unless `errorStatuses` lists several (picked evenly). */
  errorStatus: number;
  errorStatuses: number[];
  /** Share of requests answered 429 with `Retry-After: retryAfterSeconds` (the request did not run). */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Share of requests whose connection is reset. */
  resetRate: number;
  /** Share of requests never answered (the client times out). */
  timeoutRate: number;
  /**
   * Share of the resets and timeouts that happen after the server handled the request: the write
   * happened, the answer was lost.
   */
  afterShare: number;
  /** Seeds the fault dice (and latency jitter), so a run draws the same sequence; absent = Math.random. */
  seed?: number;
  /** Added latency per request, ms, plus up to `latencyJitterMs`. */
  latencyMs: number;
  latencyJitterMs: number;
  script: ScriptedFault[];
}

export const NO_FAULTS: FaultSettings = {
  errorRate: 0, errorStatus: 503, errorStatuses: [], rateLimitRate: 0, retryAfterSeconds: 1, resetRate: 0, timeoutRate: 0, afterShare: 0, latencyMs: 0, latencyJitterMs: 0, script: [],
};

export interface SimServerOptions {
  name: string;
  contract?: ApiContract;
  /** Check every request and response against `contract` (default true). Off only for benchmarks. */
  checkContract?: boolean;
  /** Builds the vendor's error body for injected error statuses. */
  errorBody?: (status: number, message: string) => unknown;
  /** Requests under this prefix are not counted, faulted or contract-checked. */
  adminPrefix?: string;
  /**
   * Paths the vendor really serves but its spec does not declare (e.g. Autotask's `query/next`):
   * counted and faulted as usual, but not contract-checked.
   */
  undeclaredPaths?: RegExp[];
}

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handler: SimHandler;
  admin: boolean;
}

export class SimServer {
  readonly name: string;
  /** Requests per `METHOD /template` (the spec's template where it matched, else the route). */
  readonly counts = new Map<string, number>();
  /** Faults injected so far, by kind: `500`, `429`, …, `reset`, `timeout`, and `-after` when the handler ran first. */
  readonly injected = new Map<string, number>();
  private faultSettings: FaultSettings = structuredClone(NO_FAULTS);
  private random: () => number = Math.random;
  /** Contract violations seen since the last `takeViolations()`. */
  private violations: string[] = [];
  checkContract: boolean;
  private readonly routes: Route[] = [];
  private readonly server: http.Server;
  private readonly adminPrefix: string;
  private readonly hanging = new Set<http.ServerResponse>();
  private baseUrl = '';

  constructor(private readonly options: SimServerOptions) {
    this.name = options.name;
    this.checkContract = options.checkContract ?? true;
    this.adminPrefix = options.adminPrefix ?? '/__admin';
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.adminRoute('GET', '/counts', () => ({ status: 200, body: this.countsObject() }));
    this.adminRoute('POST', '/counts/reset', () => { this.counts.clear(); this.injected.clear(); return { status: 204 }; });
    this.adminRoute('GET', '/faults', () => ({ status: 200, body: this.faults }));
    this.adminRoute('POST', '/faults', (req) => {
      this.setFaults(req.body as Partial<FaultSettings>);
      return { status: 200, body: this.faults };
    });
    this.adminRoute('GET', '/faults/injected', () => ({ status: 200, body: Object.fromEntries(this.injected) }));
    this.adminRoute('GET', '/violations', () => ({ status: 200, body: this.violations }));
  }

  get url(): string {
    return this.baseUrl;
  }

  get faults(): FaultSettings {
    return this.faultSettings;
  }

  /** Replaces the fault settings (missing fields = no fault) and restarts the dice from `seed`. */
  set faults(value: FaultSettings) {
    this.setFaults(value);
  }

  setFaults(value: Partial<FaultSettings>): void {
    this.faultSettings = { ...structuredClone(NO_FAULTS), ...value };
    this.random = value.seed === undefined ? Math.random : seededRandom(value.seed);
  }

  /** Registers an API route; `:name` segments become params. Matching is case-insensitive like IIS. */
  route(method: string, pattern: string, handler: SimHandler): this {
    this.routes.push({ method: method.toUpperCase(), ...compile(pattern), handler, admin: false });
    return this;
  }

  adminRoute(method: string, pattern: string, handler: SimHandler): this {
    this.routes.push({ method: method.toUpperCase(), ...compile(this.adminPrefix + pattern), handler, admin: true });
    return this;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Records a violation found by the simulator itself (vendors without an OpenAPI contract, e.g. XML). */
  reportViolation(problem: string): void {
    this.violations.push(`[${this.name}] ${problem}`);
  }

  /** Returns and clears the contract violations seen so far. */
  takeViolations(): string[] {
    const out = this.violations;
    this.violations = [];
    return out;
  }

  countsObject(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort());
  }

  totalRequests(filter?: (key: string) => boolean): number {
    let n = 0;
    for (const [k, v] of this.counts) if (!filter || filter(k)) n += v;
    return n;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const admin = url.pathname.toLowerCase().startsWith(this.adminPrefix.toLowerCase());
    let body: unknown;
    // XML vendors (TD SYNNEX) and form posts (OAuth token calls) get their body as text in `rawBody`.
    if (rawBody && !/xml|x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return this.send(res, { status: 400, body: this.options.errorBody?.(400, 'The request body is not valid JSON.') ?? { message: 'invalid JSON' } });
      }
    }
    const request: SimRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody, params: {} };
    if (admin) return this.dispatch(request, res, true);

    const pathWithQuery = url.pathname + url.search;
    const matched = this.options.contract?.match(method, url.pathname);
    const key = `${method} ${matched?.template ?? url.pathname}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.checkContract && this.options.contract && !this.options.undeclaredPaths?.some((r) => r.test(url.pathname))) {
      const problems = this.options.contract.validateRequest({ method, path: pathWithQuery, headers: req.headers, body });
      if (problems.length) this.violations.push(...problems.map((p) => `[${this.name}] request ${p}`));
    }

    const f = this.faults;
    const delay = f.latencyMs + (f.latencyJitterMs ? this.random() * f.latencyJitterMs : 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const fault = this.takeScripted(method, url.pathname) ?? this.drawFault();
    if (fault) this.countInjected(fault);
    if (fault && fault.when !== 'after') return this.inject(fault, req, res);
    const response = await this.run(request, res, false, matched ? { method, path: pathWithQuery } : undefined);
    if (!response) return;
    // The handler ran (a write happened); the answer is lost or replaced.
    if (fault) return this.inject(fault, req, res);
    this.send(res, response);
  }

  /** One roll of the dice per request: which random fault, if any, hits it. */
  private drawFault(): Pick<ScriptedFault, 'action' | 'when'> | undefined {
    const f = this.faults;
    let roll = this.random();
    const when = (): 'before' | 'after' => (this.random() < f.afterShare ? 'after' : 'before');
    if ((roll -= f.resetRate) < 0) return { action: 'reset', when: when() };
    if ((roll -= f.timeoutRate) < 0) return { action: 'timeout', when: when() };
    // A 429 means the request did not run, so it always comes before the handler.
    if ((roll -= f.rateLimitRate) < 0) return { action: { status: 429, headers: { 'Retry-After': String(f.retryAfterSeconds) } }, when: 'before' };
    if ((roll -= f.errorRate) < 0) {
      const statuses = f.errorStatuses.length ? f.errorStatuses : [f.errorStatus];
      return { action: { status: statuses[Math.floor(this.random() * statuses.length)] }, when: 'before' };
    }
    return undefined;
  }

  private inject(fault: Pick<ScriptedFault, 'action' | 'when'>, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (fault.action === 'reset') return void req.socket.destroy();
    if (fault.action === 'timeout') {
      this.hanging.add(res);
      res.once('close', () => this.hanging.delete(res));
      return;
    }
    const a = fault.action;
    this.send(res, { status: a.status, headers: a.headers, body: a.body ?? this.options.errorBody?.(a.status, injectedMessage(a.status, Math.floor(this.random() * 1e6))) });
  }

  private countInjected(fault: Pick<ScriptedFault, 'action' | 'when'>): void {
    const kind = (typeof fault.action === 'object' ? String(fault.action.status) : fault.action) + (fault.when === 'after' ? '-after' : '');
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
  }

  private async dispatch(request: SimRequest, res: http.ServerResponse, admin: boolean): Promise<void> {
    const response = await this.run(request, res, admin);
    if (response) this.send(res, response);
  }

  private async run(request: SimRequest, res: http.ServerResponse, admin: boolean, checkAs?: { method: string; path: string }): Promise<SimResponse | undefined> {
    let methodMismatch = false;
    for (const route of this.routes) {
      if (route.admin !== admin) continue;
      const m = route.regex.exec(request.path);
      if (!m) continue;
      if (route.method !== request.method) {
        methodMismatch = true;
        continue;
      }
      route.names.forEach((n, i) => (request.params[n] = decodeURIComponent(m[i + 1])));
      let response: SimResponse;
      try {
        response = await route.handler(request);
      } catch (err) {
        response = { status: 500, body: this.options.errorBody?.(500, `Simulator error: ${(err as Error).message}`) ?? { message: String(err) } };
      }
      if (checkAs && this.checkContract && this.options.contract && response.body !== undefined) {
        const problems = this.options.contract.validateResponse(checkAs, response.status, response.body);
        if (problems.length) this.violations.push(...problems.map((p) => `[${this.name}] response ${p}`));
      }
      return response;
    }
    if (methodMismatch) {
      return { status: 405, body: { Message: `The requested resource does not support http method '${request.method}'.` } };
    }
    return { status: 404, body: this.options.errorBody?.(404, `No route for ${request.method} ${request.path}`) ?? { message: 'not found' } };
  }

  private takeScripted(method: string, path: string): ScriptedFault | undefined {
    const lower = `${method} ${path}`.toLowerCase();
    const index = this.faults.script.findIndex((s) => lower.startsWith(s.match.toLowerCase()));
    if (index < 0) return undefined;
    const fault = this.faults.script[index];
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) this.faults.script.splice(index, 1);
    else this.faults.script[index] = { ...fault, times: left };
    return fault;
  }

  private send(res: http.ServerResponse, response: SimResponse): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload: string | undefined;
    if (response.body !== undefined && response.status !== 204) {
      payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}

/**
 * The text of an injected error. A 500 reads like Autotask's internal error "An unexpected error
 * has occurred. Error ID: …" (notes/autotask-api.md §7; Anteris-Dev/autotask-client #24), which
 * says nothing of the input, so src/autotask/errors.ts classifies it `server_error` (transient), as
 * a real server fault; a validation text there would make it a permanent error instead.
 */
function injectedMessage(status: number, id: number): string {
  if (status === 429) return 'Too many requests; retry after the time in the Retry-After header.';
  if (status === 500) return `An unexpected error has occurred. Error ID: ${id}.`;
  if (status === 502) return 'Bad gateway: the upstream server did not answer properly.';
  if (status === 503) return 'The service is temporarily unavailable.';
  if (status === 504) return 'Gateway timeout: the upstream server did not answer in time.';
  return `Injected fault ${status}`;
}


function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`, 'i'), names };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
