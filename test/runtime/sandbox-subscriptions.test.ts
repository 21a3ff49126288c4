// `npm start`'s Subscription Sync demo, read the way Check Changes reads it: the CloudBlue adapter over
// HTTP from "a month ago", the Autotask simulator's records, and the mappings in the store. It must
// yield tasks of all four types, one needing a customer mapping (with a resembling company) and one a
// product mapping — whatever today's date is.
import type { Database } from '../../db';
import { readEventStream, type MarketplaceAdapter, type MarketplaceEvent } from '../../src/marketplaces/adapter';
import { cloudBlueIntegration } from '../../src/marketplaces/cloudblue/definition';
import { addDays } from '../../src/marketplaces/cloudblue/sim/market';
import {
  mapSandboxSubscriptions, resetSandboxSubscriptions, sandboxMarketOptions, SANDBOX_MARKETPLACE, seedSandboxSubscriptions, type SandboxSubscriptionSeed,
} from '../../src/runtime/sandbox-subscriptions';
import { startSandbox, type Sandbox } from '../../src/sim';
import { rankCompanies } from '../../src/subscriptions/suggest';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { testDatabases } from '../helpers/db';

async function demo(today: string) {
  const sandbox = await startSandbox({ ingram: false, tdSynnex: false, pax8: false, webhook: false, cloudblue: sandboxMarketOptions(today), integrations: [] });
  const seed = seedSandboxSubscriptions(sandbox, { today });
  const request = sandbox.integrationRequest(SANDBOX_MARKETPLACE);
  const adapter = cloudBlueIntegration.create(
    cloudBlueIntegration.settingsSchema.parse(request.settings), cloudBlueIntegration.secretsSchema.parse(request.secrets), { source: SANDBOX_MARKETPLACE },
  ) as MarketplaceAdapter;
  // The first Check Changes: orders no older than one month (settings.subscriptions.firstCheckDays, 31).
  const { events } = await readEventStream(adapter, null, { since: `${addDays(today, -31)}T00:00:00Z` });
  return { sandbox, seed, adapter, events };
}

const byType = (events: MarketplaceEvent[]) => events.reduce<Record<string, number>>((n, e) => ({ ...n, [e.type]: (n[e.type] ?? 0) + 1 }), {});

describe('the sandbox subscription demo', () => {
  // Month ends, a month start and February: the usage report of last month must be there, the month's orders inside the window.
  it.each(['2026-11-30', '2026-12-01', '2027-03-01', '2026-07-31', '2026-02-14'])('on %s yields tasks of all four types', async (today) => {
    const { sandbox, seed, events } = await demo(today);
    try {
      expect(byType(events)).toEqual(seed.expected);
      expect(seed.expected).toEqual({ sales: 5, change: 2, billing: 1, cancellation: 1 });
      const since = addDays(today, -31);
      expect(events.every((e) => e.createdAt.slice(0, 10) >= since && e.createdAt.slice(0, 10) <= today)).toBe(true);

      const mappedCustomers = new Set(seed.customers.filter((c) => c.companyId !== null).map((c) => c.marketplaceCustomerId));
      const mappedProducts = new Set(seed.products.filter((p) => p.serviceId !== null).map((p) => p.marketplaceProductId));
      const needsCustomer = events.filter((e) => !mappedCustomers.has(e.customerId));
      const needsProduct = events.filter((e) => mappedCustomers.has(e.customerId) && !mappedProducts.has(e.productId!));
      expect(needsCustomer.map((e) => e.type)).toEqual(['sales']);
      expect(needsProduct.map((e) => e.type)).toEqual(['sales']);

      const billing = events.find((e) => e.type === 'billing')!;
      expect(billing.usage).toMatchObject({ quantity: 180 });
      expect(billing.period!.to < today).toBe(true);
      // Fabrikam buys in GBP and its Autotask company bills in GBP; the others in EUR.
      const fabrikam = seed.customers.find((c) => c.companyName === 'Fabrikam Ltd')!;
      expect(new Set(events.filter((e) => e.customerId === fabrikam.marketplaceCustomerId && e.currency).map((e) => e.currency))).toEqual(new Set(['GBP']));
      expect(sandbox.takeViolations()).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  it('has monthly contracts in both currencies, Services for the mapped products, and a resembling company for the unmapped customer', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { sandbox, seed, adapter } = await demo(today);
    try {
      const at = sandbox.autotask;
      const currencies = new Map(at.records('Currencies').map((c) => [c.id, c.name]));
      const companies = at.records('Companies');
      for (const c of seed.contracts) {
        const row = at.records('Contracts').find((r) => r.id === c.id)!;
        const company = companies.find((x) => x.id === row.companyID)!;
        expect(currencies.get(company.currencyID as number)).toBe(c.currency);
        expect(String(row.startDate).slice(0, 10) <= addDays(today, -45)).toBe(true);
        expect(String(row.endDate).slice(0, 10) > today).toBe(true);
      }
      expect(seed.contracts.filter((c) => c.period === 'Monthly').map((c) => c.currency).sort()).toEqual(['EUR', 'EUR', 'GBP']);
      for (const p of seed.products.filter((x) => x.serviceId !== null)) {
        expect(at.records('Services').find((s) => s.id === p.serviceId)).toMatchObject({ name: p.name, isActive: true });
      }

      const unmapped = seed.customers.find((c) => c.companyId === null)!;
      const customer = (await adapter.getCustomer(unmapped.marketplaceCustomerId))!;
      const candidates = companies.map((c) => ({ id: c.id, name: String(c.companyName), phone: c.phone as string | null, webAddress: c.webAddress as string | null }));
      const [top] = rankCompanies(customer, candidates);
      expect(top!.name).toBe(unmapped.companyName);
      expect(customer.name).not.toBe(unmapped.companyName);
    } finally {
      await sandbox.stop();
    }
  });

  it('stores the mappings up front and clears them on the next start', async () => {
    const database: Database = await testDatabases()[0]!.open();
    const sandbox = await startSandbox({ ingram: false, tdSynnex: false, pax8: false, webhook: false, cloudblue: sandboxMarketOptions('2026-11-30'), integrations: [] });
    try {
      const seed: SandboxSubscriptionSeed = seedSandboxSubscriptions(sandbox, { today: '2026-11-30' });
      const store = new SubscriptionStore(database);
      await mapSandboxSubscriptions(store, 'sandbox', seed);
      await mapSandboxSubscriptions(store, 'sandbox', seed); // a second start maps the same way
      const scope = { connectorId: 'sandbox', integrationId: SANDBOX_MARKETPLACE };
      expect((await store.customerMappings(scope)).map((m) => m.companyName).sort()).toEqual(['Fabrikam Ltd', 'Northwind Traders GmbH']);
      expect((await store.productMappings(scope)).map((m) => m.serviceId).sort()).toEqual(seed.products.filter((p) => p.serviceId !== null).map((p) => p.serviceId).sort());
      await store.saveFeeMapping({ ...scope, feeKey: 'cancellation', billingCodeId: 1, chargeName: 'Early termination' });
      await resetSandboxSubscriptions(database, 'sandbox');
      expect(await store.customerMappings(scope)).toEqual([]);
      expect(await store.productMappings(scope)).toEqual([]);
      expect(await store.feeMappings(scope)).toEqual([]);
    } finally {
      await sandbox.stop();
      await database.close();
    }
  });
});
