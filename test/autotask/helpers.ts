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

/** Records every test database has (the simulator checks references): see `seedRefs`. */
export const REFS = { resource: 1, materialCode: 1, serviceCode: 2, inactiveCode: 3, vendor: 1 } as const;

export function product(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `Product ${i}`, sku: `SKU-${i}`, isActive: true, isSerialized: false, productBillingCodeID: REFS.materialCode, billingType: 1, periodType: 1, unitCost: 10 + (i % 7), unitPrice: 20 + (i % 7), ...extra };
}

/** Creates what test records reference (billing codes, a vendor, a resource), once per reset. */
export function seedRefs(at: AutotaskSim): void {
  const ensure = (entity: string, record: Record<string, unknown> & { id: number }) => {
    if (!at.store.get(entity, record.id)) at.seed(entity, [record]);
  };
  ensure('Resources', { id: REFS.resource, email: 'owner@example.com', firstName: 'Owner', lastName: 'Resource', isActive: true });
  ensure('BillingCodes', { id: REFS.materialCode, name: 'Hardware', useType: 2, isActive: true });
  ensure('BillingCodes', { id: REFS.serviceCode, name: 'Recurring services', useType: 4, isActive: true });
  ensure('BillingCodes', { id: REFS.inactiveCode, name: 'Retired', useType: 2, isActive: false });
  ensure('Companies', { id: REFS.vendor, companyName: 'Vendor', companyType: 7, phone: '1', ownerResourceID: REFS.resource, isActive: true });
}

/** Empties the simulator, adds the test user and the referenced records. */
export function resetSim(at: AutotaskSim): void {
  at.reset();
  at.addUser(USER);
  seedRefs(at);
}

export async function startSim(options: AutotaskSimOptions = {}): Promise<AutotaskSim> {
  const at = await startAutotaskSim(options);
  at.addUser(USER);
  seedRefs(at);
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
