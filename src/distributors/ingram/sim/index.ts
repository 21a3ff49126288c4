// `startIngramSim(options)`: the Ingram Micro Reseller v6 simulator on a loopback port.
import { ApiContract } from '../../../spec/contract';
import { SimServer } from '../../../sim/kit/server';
import type { IngramSettingsInput } from '../settings';
import { TokenIssuer } from './auth';
import { CatalogGenerator, type CatalogSettings } from './catalog';
import { OrderBook } from './orders';
import { FixedWindowLimiter } from './rate-limit';
import { ingramError, registerIngramRoutes, SERVER_ERROR, VALIDATION_FAILED, type IngramSimState } from './server';

export interface IngramSimOptions {
  /** 0 (default) = a free port. */
  port?: number;
  catalog?: Partial<CatalogSettings>;
  clientId?: string;
  clientSecret?: string;
  customerNumber?: string;
  /** Lifetime of issued tokens, seconds (default 86,399 as Ingram). */
  tokenTtlSeconds?: number;
  /** GET calls per endpoint per window (default 60 per 60,000 ms); `false` or limit 0 disables. */
  rateLimit?: { limit?: number; windowMs?: number } | false;
  /** Automatic order lifecycle step every this many ms (default 0: only on command). */
  msPerStep?: number;
  /** Split orders whose lines ship from different warehouses (default true). */
  splitOrders?: boolean;
  /** A new order appears in the order search after this many ms (default 250; the real lag is unverified). */
  searchLagMs?: number;
  /** v6.1 order details for an unknown order: 500 (default) or 200 with an empty body (unverified which Ingram does). */
  unknownOrder?: 'server-error' | 'empty';
  /** Check every exchange against the spec (default true; turn off only for benchmarks). */
  checkContract?: boolean;
}

export interface IngramSim {
  readonly url: string;
  readonly server: SimServer;
  readonly state: IngramSimState;
  readonly catalog: CatalogGenerator;
  readonly orders: OrderBook;
  /** Adapter settings pointing at this simulator (credentials included). */
  adapterSettings(overrides?: Partial<IngramSettingsInput>): IngramSettingsInput;
  takeViolations(): string[];
  stop(): Promise<void>;
}

export const SIM_CLIENT_ID = 'sim-client-id';
export const SIM_CLIENT_SECRET = 'sim-client-secret-do-not-log';
export const SIM_CUSTOMER_NUMBER = '20-222222';

export async function startIngramSim(options: IngramSimOptions = {}): Promise<IngramSim> {
  const contract = ApiContract.load('ingram-reseller-v6-openapi.json');
  const server = new SimServer({
    name: 'ingram',
    contract,
    checkContract: options.checkContract ?? true,
    errorBody: (status, message) => ingramError(message, status >= 500 ? SERVER_ERROR : VALIDATION_FAILED),
    // The POST form of the token call is documented on Ingram's developer portal, not in the OpenAPI
    // document (which has only the GET), so the token path is not contract-checked.
    undeclaredPaths: [/^\/oauth\/oauth20\/token$/i],
  });
  const clientId = options.clientId ?? SIM_CLIENT_ID;
  const clientSecret = options.clientSecret ?? SIM_CLIENT_SECRET;
  const orderSettings = { splitOrders: options.splitOrders ?? true, msPerStep: options.msPerStep ?? 0, searchLagMs: options.searchLagMs ?? 250 };
  const catalog = new CatalogGenerator(options.catalog);
  const rl = options.rateLimit === false ? { limit: 0 } : options.rateLimit ?? {};
  const state: IngramSimState = {
    catalog,
    orders: new OrderBook(catalog, orderSettings),
    auth: new TokenIssuer({ clientId, clientSecret, tokenTtlSeconds: options.tokenTtlSeconds ?? 86_399 }),
    limiter: new FixedWindowLimiter({ limit: rl.limit ?? 60, windowMs: rl.windowMs ?? 60_000 }),
    unknownOrder: options.unknownOrder ?? 'server-error',
    received: [],
    reseed(settings) {
      state.catalog = new CatalogGenerator(settings);
      state.orders = new OrderBook(state.catalog, state.orders.settings);
    },
    reset() {
      state.catalog = new CatalogGenerator(state.catalog.settings);
      state.orders = new OrderBook(state.catalog, state.orders.settings);
      state.auth.reset();
      state.limiter.reset();
      state.received.length = 0;
    },
  };
  registerIngramRoutes(server, state);
  const url = await server.start(options.port ?? 0);
  return {
    url,
    server,
    state,
    get catalog() {
      return state.catalog;
    },
    get orders() {
      return state.orders;
    },
    adapterSettings: (overrides = {}) => ({
      baseUrl: url,
      tokenUrl: `${url}/oauth/oauth20/token`,
      clientId,
      clientSecret,
      customerNumber: options.customerNumber ?? SIM_CUSTOMER_NUMBER,
      countryCode: catalog.settings.countryCode,
      // Search as long as this simulator's configured lag needs (the defaults assume a slower real API).
      poSearchAttempts: 4,
      poSearchDelayMs: Math.max(25, Math.ceil(state.orders.settings.searchLagMs / 2)),
      ...overrides,
    }),
    takeViolations: () => server.takeViolations(),
    stop: () => server.stop(),
  };
}

export { CatalogGenerator, DEFAULT_CATALOG_SETTINGS, BAD_RECORD_KINDS, simDate } from './catalog';
export type { CatalogSettings, SimProduct, BadRecordKind } from './catalog';
export { OrderBook, ADVANCE_ACTIONS } from './orders';
export type { AdvanceAction, SimOrder } from './orders';
