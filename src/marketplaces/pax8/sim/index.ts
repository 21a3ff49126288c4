// `startPax8Sim(options)`: the Pax8 Partner API simulator on a loopback port, checked against the
// partner and authentication specs, with a typed handle on its marketplace (`sim.market`) and an
// admin API under `/__admin` for the sandbox.
import fs from 'node:fs';
import path from 'node:path';
import { ApiContract } from '../../../spec/contract';
import { SimServer, type SimResponse } from '../../../sim/kit/server';
import type { Pax8SettingsInput } from '../settings';
import { FixedWindowLimiter, TokenIssuer } from './auth';
import { Market, MarketError, type NewCompanyInput, type SaleInput, type SeedInput } from './market';
import { pax8Error } from './records';
import { BASE, registerPax8Routes, type Pax8SimState } from './routes';

export interface Pax8SimOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Token lifetime, seconds (Pax8: 86,400). */
  tokenTtlSeconds?: number;
  /** Requests per window across the API (default 1,000 per 60 s, unverified); `false` disables. */
  rateLimit?: { limit?: number; windowMs?: number } | false;
  /** The simulated clock's first day (default 2026-03-01). */
  start?: string;
  checkContract?: boolean;
}

export interface Pax8Sim {
  /** Server origin; the API is under `${url}/v1`. */
  readonly url: string;
  readonly server: SimServer;
  readonly state: Pax8SimState;
  /** The marketplace: `sim.market.changeQuantity(id, +5, '2026-03-12')`, `advanceTo`, `seed`. */
  readonly market: Market;
  adapterSettings(overrides?: Partial<Pax8SettingsInput>): Pax8SettingsInput;
  reset(): void;
  takeViolations(): string[];
  stop(): Promise<void>;
}

export const SIM_CLIENT_ID = 'pax8-sim-client';
export const SIM_CLIENT_SECRET = 'pax8-sim-secret-do-not-log';

/**
 * Partner and authentication documents share one server (`https://api.pax8.com/v1`): one contract.
 * Two format names of the partner document are not JSON Schema formats: `yyyy-MM-dd` is checked
 * as `date`, `phone` (no rule given) is not checked. The files themselves stay unchanged.
 */
function pax8Contract(): ApiContract {
  const formats = (_key: string, value: unknown) => {
    if (value && typeof value === 'object' && 'format' in value) {
      const { format, ...rest } = value as { format: unknown };
      if (format === 'yyyy-MM-dd') return { ...rest, format: 'date' };
      if (format === 'phone') return rest;
    }
    return value;
  };
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'spec', f), 'utf8'), formats);
  const partner = read('pax8-partner-openapi.json');
  const auth = read('pax8-authentication-openapi.json');
  return new ApiContract(
    {
      ...partner,
      paths: { ...partner.paths, ...auth.paths },
      components: { ...partner.components, schemas: { ...partner.components.schemas, ...auth.components.schemas } },
    },
    { basePaths: [BASE] },
  );
}

let contract: ApiContract | undefined;

export async function startPax8Sim(options: Pax8SimOptions = {}): Promise<Pax8Sim> {
  contract ??= pax8Contract();
  const server = new SimServer({
    name: 'pax8',
    contract,
    checkContract: options.checkContract ?? true,
    errorBody: (status, message) => pax8Error(status, message, BASE),
  });
  const clientId = options.clientId ?? SIM_CLIENT_ID;
  const clientSecret = options.clientSecret ?? SIM_CLIENT_SECRET;
  const rl = options.rateLimit === false ? { limit: 0 } : options.rateLimit ?? {};
  const state: Pax8SimState = {
    market: new Market(options.start),
    auth: new TokenIssuer({ clientId, clientSecret, tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400 }),
    limiter: new FixedWindowLimiter({ limit: rl.limit ?? 1_000, windowMs: rl.windowMs ?? 60_000 }),
  };
  registerPax8Routes(server, state);
  registerAdminRoutes(server, state, options.start);
  const url = await server.start(options.port ?? 0);
  const reset = () => {
    state.market = new Market(options.start);
    state.auth.reset();
    state.limiter.reset();
    server.counts.clear();
  };
  return {
    url,
    server,
    state,
    get market() {
      return state.market;
    },
    adapterSettings: (overrides = {}) => ({ baseUrl: `${url}${BASE}`, clientId, clientSecret, ...overrides }),
    reset,
    takeViolations: () => server.takeViolations(),
    stop: () => server.stop(),
  };
}

function registerAdminRoutes(server: SimServer, state: Pax8SimState, start?: string): void {
  const run = (fn: () => unknown): SimResponse => {
    try {
      return { status: 200, body: fn() ?? { ok: true } };
    } catch (err) {
      if (err instanceof MarketError) return { status: err.status === 404 ? 404 : 400, body: { message: err.message, details: err.details } };
      throw err;
    }
  };
  const m = () => state.market;
  const body = <T>(b: unknown) => (b ?? {}) as T;

  server.adminRoute('GET', '/market', () => run(() => ({
    today: m().today, companies: m().companies.length, products: m().products.length, subscriptions: m().subscriptions.length, orders: m().orders.length, invoices: m().invoices.length,
  })));
  server.adminRoute('GET', '/market/products', () => run(() => m().products));
  server.adminRoute('GET', '/market/companies', () => run(() => m().companies));
  server.adminRoute('GET', '/market/subscriptions/:id', (req) => run(() => m().subscription(req.params.id) ?? (() => { throw new MarketError(404, 'no such subscription'); })()));
  server.adminRoute('POST', '/market/seed', (req) => run(() => m().seed(body<SeedInput>(req.body))));
  server.adminRoute('POST', '/market/advance', (req) => run(() => { m().advanceTo(body<{ date: string }>(req.body).date); return { today: m().today }; }));
  server.adminRoute('POST', '/market/companies', (req) => run(() => m().addCompany(body<NewCompanyInput>(req.body))));
  server.adminRoute('POST', '/market/sell', (req) => run(() => m().sell(body<SaleInput>(req.body))));
  server.adminRoute('POST', '/market/subscriptions/:id/quantity', (req) => run(() => { const b = body<{ delta: number; date?: string }>(req.body); return m().changeQuantity(req.params.id, b.delta, b.date); }));
  server.adminRoute('POST', '/market/subscriptions/:id/price', (req) => run(() => { const b = body<{ price: number; date?: string }>(req.body); return m().setPrice(req.params.id, b.price, b.date); }));
  server.adminRoute('POST', '/market/subscriptions/:id/cancel', (req) => run(() => { const b = body<{ date?: string; cancelDate?: string }>(req.body); return m().cancel(req.params.id, b.date, b.cancelDate); }));
  server.adminRoute('POST', '/market/subscriptions/:id/usage', (req) => run(() => { const b = body<{ quantity: number; date?: string }>(req.body); m().recordUsage(req.params.id, b.quantity, b.date); return { ok: true }; }));
  server.adminRoute('GET', '/settings', () => run(() => ({ tokenTtlSeconds: state.auth.settings.tokenTtlSeconds, rateLimit: state.limiter.settings })));
  server.adminRoute('POST', '/settings', (req) => run(() => {
    const b = body<{ tokenTtlSeconds?: number; rateLimit?: { limit?: number; windowMs?: number } }>(req.body);
    if (b.tokenTtlSeconds !== undefined) state.auth.settings = { ...state.auth.settings, tokenTtlSeconds: b.tokenTtlSeconds };
    if (b.rateLimit) { state.limiter.settings = { ...state.limiter.settings, ...b.rateLimit }; state.limiter.reset(); }
    return { tokenTtlSeconds: state.auth.settings.tokenTtlSeconds, rateLimit: state.limiter.settings };
  }));
  server.adminRoute('POST', '/tokens/expire', () => run(() => ({ expired: state.auth.expireAll() })));
  server.adminRoute('POST', '/reset', () => run(() => {
    state.market = new Market(start);
    state.auth.reset();
    state.limiter.reset();
    server.counts.clear();
    server.takeViolations();
    return { reset: true };
  }));
}

export { Market, MarketError } from './market';
export type { SeedInput, SaleInput, NewCompanyInput, SimSubscription, SimCompany } from './market';
