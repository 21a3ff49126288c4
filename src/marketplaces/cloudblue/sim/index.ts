// `startCloudBlueSim(options)`: the CloudBlue Commerce SimpleAPI 1.15 simulator on a loopback port, with its market
// (`sim.market`, the typed handle) and the admin API under `/__admin`.
import { SimServer } from '../../../sim/kit/server';
import type { CloudBlueSecrets, CloudBlueSettingsInput } from '../settings';
import { RateLimiter, TokenService } from './auth';
import { simpleApiContract } from './contract';
import { Market } from './market';
import { apiError, BLOB_PREFIX, registerCloudBlueRoutes, type CloudBlueSimState } from './routes';

export interface CloudBlueSimOptions {
  /** 0 (default) = a free port. */
  port?: number;
  username?: string;
  password?: string;
  subscriptionKey?: string;
  /** Token lifetime, seconds (default 1500, the spec's example). */
  tokenTtlSeconds?: number;
  /** Gateway rate limit (default 300 calls per 60 s [unverified]); `false` turns it off. */
  rateLimit?: { calls?: number; renewalPeriodSeconds?: number } | false;
  /** First day of the simulated clock (default 2026-01-01). */
  start?: string;
  /** Check every exchange against the spec (default true; off only for benchmarks). */
  checkContract?: boolean;
}

export interface CloudBlueSim {
  readonly url: string;
  readonly server: SimServer;
  readonly state: CloudBlueSimState;
  /** The marketplace: make things happen with it. */
  readonly market: Market;
  /** Settings and secrets pointing an adapter at this simulator. */
  adapterSettings(overrides?: Partial<CloudBlueSettingsInput>): CloudBlueSettingsInput;
  secrets(overrides?: Partial<CloudBlueSecrets>): CloudBlueSecrets;
  /** A fresh market and tokens, counts and faults cleared. */
  reset(start?: string): void;
  takeViolations(): string[];
  stop(): Promise<void>;
}

export const SIM_USERNAME = 'api-user@reseller.example';
export const SIM_PASSWORD = 'sim-password-do-not-log';
export const SIM_SUBSCRIPTION_KEY = 'sim0subscription0key0do0not0log';

export async function startCloudBlueSim(options: CloudBlueSimOptions = {}): Promise<CloudBlueSim> {
  const server = new SimServer({
    name: 'cloudblue',
    contract: simpleApiContract(),
    checkContract: options.checkContract ?? true,
    errorBody: (status, message) => (status === 429 ? { statusCode: 429, message } : apiError(status >= 500 ? 'INTERNAL_ERROR' : 'ERROR', message)),
    undeclaredPaths: [new RegExp(`^${BLOB_PREFIX}/`)],
  });
  const rl = options.rateLimit === false ? { calls: 0 } : options.rateLimit ?? {};
  let url = '';
  const state: CloudBlueSimState = {
    market: new Market(options.start),
    auth: new TokenService({
      username: options.username ?? SIM_USERNAME,
      password: options.password ?? SIM_PASSWORD,
      subscriptionKey: options.subscriptionKey ?? SIM_SUBSCRIPTION_KEY,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 1500,
    }),
    limiter: new RateLimiter({ calls: rl.calls ?? 300, renewalPeriodSeconds: rl.renewalPeriodSeconds ?? 60 }),
    url: () => url,
  };
  registerCloudBlueRoutes(server, state);
  url = await server.start(options.port ?? 0);
  return {
    url,
    server,
    state,
    get market() {
      return state.market;
    },
    adapterSettings: (overrides = {}) => ({ baseUrl: url, marketplace: 'uk', ...overrides }),
    secrets: (overrides = {}) => ({
      username: state.auth.settings.username, password: state.auth.settings.password, subscriptionKey: state.auth.settings.subscriptionKey, ...overrides,
    }),
    reset(start) {
      state.market = new Market(start ?? options.start);
      state.auth.reset();
      state.limiter.reset();
      server.counts.clear();
      server.takeViolations();
    },
    takeViolations: () => server.takeViolations(),
    stop: () => server.stop(),
  };
}

export { Market, USAGE_REPORT_NAME } from './market';
export type { SeedOptions, SimCustomer, SimOrder, SimSubscription, SimReport, OrderOptions } from './market';
export { OFFERS } from './catalog';
