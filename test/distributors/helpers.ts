// Shared set-up for distributor tests: one Ingram simulator per file on a free port, reset
// between tests, and no contract violation allowed in any request or response.
import got from 'got';
import { NO_FAULTS } from '../../src/sim/kit/server';
import { IngramAdapter } from '../../src/distributors/ingram/adapter';
import type { IngramSettingsInput } from '../../src/distributors/ingram/settings';
import { startIngramSim, type IngramSim, type IngramSimOptions } from '../../src/distributors/ingram/sim';

export interface SimHandle {
  sim: IngramSim;
  adapter(overrides?: Partial<IngramSettingsInput>): IngramAdapter;
  admin<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  count(key: string): number;
}

/** Starts a simulator for the enclosing describe block and checks the contract after each test. */
export function useIngramSim(options: IngramSimOptions = {}): SimHandle {
  let sim: IngramSim | undefined;
  beforeAll(async () => {
    sim = await startIngramSim({ rateLimit: false, ...options, catalog: { skus: 2_000, ...options.catalog } });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => {
    sim!.state.reset();
    sim!.server.counts.clear();
    sim!.server.faults = structuredClone(NO_FAULTS);
  });
  afterEach(() => {
    expect(sim!.takeViolations()).toEqual([]);
  });
  return {
    get sim() {
      return sim!;
    },
    adapter: (overrides = {}) => new IngramAdapter(sim!.adapterSettings({ timeoutMs: 5_000, ...overrides })),
    admin: async <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
      got(`${sim!.url}/__admin${path}`, { method, ...(body === undefined ? {} : { json: body }) }).json<T>(),
    count: (key: string) => sim!.server.counts.get(key) ?? 0,
  };
}

export const TOKEN = 'POST /oauth/oauth20/token';
export const CATALOG = 'GET /resellers/v6/catalog';
export const PNA = 'POST /resellers/v6/catalog/priceandavailability';
export const CREATE = 'POST /resellers/v6/orders';
export const SEARCH = 'GET /resellers/v6/orders/search';
export const DETAILS = 'GET /resellers/v6.1/orders/{ordernumber}';
export const CANCEL = 'DELETE /resellers/v6/orders/{OrderNumber}';
