// Shared fixtures for the Autotask tests: a simulator, an API user and a client pointed at it.
import { createAutotaskClient, type AutotaskClientOptions } from '../../src/autotask/client';
import { clearZoneCache } from '../../src/autotask/zone';
import { startAutotaskSim, type AutotaskSim, type AutotaskSimOptions } from '../../src/autotask/sim';
import { memoryLimiter } from '../../src/autotask/limits';

export const USER = {
  username: 'api-user@example.com',
  secret: 'Sup3r$ecret-Value-42',
  integrationCode: 'INTCODE-7F3A-9B21',
  resourceEmail: 'api-user@example.com',
};

export const CREDENTIALS = { username: USER.username, secret: USER.secret, integrationCode: USER.integrationCode };

export function product(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `Product ${i}`, sku: `SKU-${i}`, isActive: true, isSerialized: false, productBillingCodeID: 7, billingType: 1, periodType: 1, unitCost: 10 + (i % 7), unitPrice: 20 + (i % 7), ...extra };
}

export async function startSim(options: AutotaskSimOptions = {}): Promise<AutotaskSim> {
  const at = await startAutotaskSim(options);
  at.addUser(USER);
  return at;
}

/** A client that discovers its zone from the simulator; each gets its own in-memory limiter. */
export function clientFor(at: AutotaskSim, options: Partial<AutotaskClientOptions> = {}) {
  return createAutotaskClient({
    credentials: CREDENTIALS,
    discoveryUrl: at.discoveryUrl,
    limiter: memoryLimiter(),
    readRetries: 0,
    ...options,
  });
}

export function requestCount(at: AutotaskSim, match: RegExp): number {
  return at.sim.totalRequests((key) => match.test(key));
}

/** Raw request to the simulator with the test user's headers. */
export async function raw(at: AutotaskSim, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${at.url}${path}`, {
    method,
    headers: { ApiIntegrationCode: USER.integrationCode, UserName: USER.username, Secret: USER.secret, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export { clearZoneCache };
