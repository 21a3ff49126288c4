// The sandbox's Subscription Sync demo: a CloudBlue marketplace (Infinigate Cloud) on the sandbox
// connector with a month of subscription activity, the Autotask side it syncs to (companies in two
// currencies, monthly recurring-service contracts, Services for most products) and the mappings an
// operator would already have made. `autotask-bridge subscriptions check --id sandbox` then shows
// tasks of all four types — one waiting for a customer mapping, one for a product mapping.
// Everything is in memory (simulators) plus a few rows: `npm start` stays fast.
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { adjustmentIntents, customerMappings, feeMappings, productMappings, subscriptionContracts, subscriptionCursors, subscriptionTasks } from '../../db/schema/subscriptions';
import { simDateTime } from '../autotask/sim/dates';
import { addDays, addMonths, type Market } from '../marketplaces/cloudblue/sim/market';
import type { Sandbox } from '../sim';
import { serviceExternalId } from '../subscriptions/products';
import type { SubscriptionStore } from '../subscriptions/store';
import { SUBSCRIPTION_TEMPLATE } from '../workflows/messages/subscriptions';

/** The marketplace kind (and integration id) the sandbox connector syncs subscriptions from. */
export const SANDBOX_MARKETPLACE = 'cloudblue';

/** Days of history the simulated market starts with: the usage report of last month must exist by today. */
const HISTORY_DAYS = 45;

/** The CloudBlue simulator's options for the sandbox: no bulk seed (the demo's own activity only), its clock `HISTORY_DAYS` back. */
export function sandboxMarketOptions(today: string): { subscriptions: number; start: string } {
  return { subscriptions: 0, start: addDays(today, -HISTORY_DAYS) };
}

export interface SandboxSubscriptionSeed {
  integrationId: string;
  /** Marketplace customers; `companyId` null: left unmapped (a task asks for it). */
  customers: Array<{ marketplaceCustomerId: string; name: string; companyId: number | null; companyName: string }>;
  /** Marketplace products (plan ids); `serviceId` null: left unmapped (a task asks for it). */
  products: Array<{ marketplaceProductId: string; name: string; serviceId: number | null; serviceName: string }>;
  contracts: Array<{ id: number; name: string; companyId: number; currency: string; period: 'Monthly' | 'Yearly' }>;
  /** Orders and usage rows `subscriptions check` will read (first check: the last month), by task type. */
  expected: { sales: number; change: number; billing: number; cancellation: number };
}

interface DemoCompany { key: string; name: string; currency: 'EUR' | 'GBP'; country: 'DE' | 'GB'; phone: string; web: string; mapped: boolean }

// Tailspin is left unmapped on purpose: its CloudBlue name ("Tailspin Toys") resembles the Autotask company's.
const COMPANIES: DemoCompany[] = [
  { key: 'northwind', name: 'Northwind Traders GmbH', currency: 'EUR', country: 'DE', phone: '+49 30 5550 1000', web: 'northwind.example', mapped: true },
  { key: 'fabrikam', name: 'Fabrikam Ltd', currency: 'GBP', country: 'GB', phone: '+44 20 5550 2000', web: 'fabrikam.example', mapped: true },
  { key: 'tailspin', name: 'Tailspin Toys Inc.', currency: 'EUR', country: 'DE', phone: '+49 89 5550 3000', web: 'tailspintoys.example', mapped: false },
];

/** Offers (catalog keys) sold in the demo, with the plan variant; `mapped: false` leaves the product for a task to map. */
const PRODUCTS = [
  { key: 'standard', mpn: 'CFQ7TTC0LDPB_P1Y_MONTHLY', mapped: true },
  { key: 'basic', mpn: 'CFQ7TTC0LH18_P1Y_MONTHLY', mapped: true },
  { key: 'keeper', mpn: 'KPR-BUS_P1Y_MONTHLY', mapped: true },
  { key: 'acronis', mpn: 'ACR-CPC-GB_P1M', mapped: true },
  { key: 'bitdefender', mpn: 'BDGZ-BUS-SEC_P1Y_MONTHLY', mapped: false },
] as const;
type ProductKey = (typeof PRODUCTS)[number]['key'];

/**
 * Seeds both simulators (Autotask: currencies, companies, a Recurring Contract billing code, Services and
 * contracts; CloudBlue: customers, subscriptions and their orders over the last month, usage for last month).
 * `today` is the real date: the first Check Changes reads orders no older than a month from now.
 */
export function seedSandboxSubscriptions(sandbox: Sandbox, options: { today: string; integrationId?: string }): SandboxSubscriptionSeed {
  const integrationId = options.integrationId ?? SANDBOX_MARKETPLACE;
  const at = sandbox.autotask;
  const market: Market = sandbox.cloudblue.market;
  const today = options.today;
  const owner = at.records('Companies').find((c) => c.id === sandbox.customerCompanyId)?.ownerResourceID ?? null;

  // A multi-currency database (EUR internal, GBP): companies bill in their currency, contracts follow (notes/contracts-and-marketplaces.md).
  const [eurId, gbpId] = at.seed('Currencies', [
    { name: 'EUR', description: 'Euro', displaySymbol: 1, exchangeRate: 1, isActive: true, isInternalCurrency: true },
    { name: 'GBP', description: 'Pound Sterling', displaySymbol: 2, exchangeRate: 0.86, isActive: true, isInternalCurrency: false },
  ]);
  const companyIds = at.seed('Companies', COMPANIES.map((c) => ({
    companyName: c.name, companyType: 1, phone: c.phone, webAddress: `https://www.${c.web}`, ownerResourceID: owner, isActive: true,
    currencyID: c.currency === 'EUR' ? eurId : gbpId, city: c.country === 'GB' ? 'London' : 'Berlin',
  })));
  const companyOf = (key: string) => companyIds[COMPANIES.findIndex((c) => c.key === key)];

  // Services bill under an active billing code of the Recurring Contract use type (4 in the simulator's picklist).
  const [recurringCode] = at.seed('BillingCodes', [{ name: 'Cloud Subscriptions', description: 'Recurring contract services from the marketplace', useType: 4, isActive: true, unitCost: 0, unitPrice: 0 }]);
  const productDefs = PRODUCTS.map((p) => ({ ...p, def: market.product(p.mpn) }));
  const mappedProducts = productDefs.filter((p) => p.mapped);
  const serviceIds = at.seed('Services', mappedProducts.map((p) => ({
    name: p.def.name, description: `${p.def.offer.vendor} via Infinigate Cloud`, periodType: 2, billingCodeID: recurringCode, isActive: true,
    // The reseller's price: the marketplace's EUR price plus a margin; cost: the marketplace's EUR cost.
    unitPrice: Math.round(p.def.price.EUR * 1.2 * 100) / 100, unitCost: p.def.cost.EUR,
    externalID: serviceExternalId(integrationId, p.def.id),
  })));

  // Monthly recurring-service contracts covering the whole demo (and a yearly one: the wrong billing cycle for these subscriptions).
  const contractStart = addMonths(`${today.slice(0, 7)}-01`, -6);
  const contractEnd = addDays(addMonths(contractStart, 12), -1);
  const contractRows = [
    { companyKey: 'northwind', name: 'Northwind Cloud Services', period: 'Monthly' as const },
    { companyKey: 'northwind', name: 'Northwind Annual Licences', period: 'Yearly' as const },
    { companyKey: 'fabrikam', name: 'Fabrikam Cloud Services (GBP)', period: 'Monthly' as const },
    { companyKey: 'tailspin', name: 'Tailspin Toys Managed Cloud', period: 'Monthly' as const },
  ];
  const contractIds = at.seed('Contracts', contractRows.map((c) => ({
    companyID: companyOf(c.companyKey), contractName: c.name, contractType: 7, contractPeriodType: c.period === 'Monthly' ? 2 : 5, status: 1,
    startDate: simDateTime(contractStart), endDate: simDateTime(contractEnd), timeReportingRequiresStartAndStopTimes: 0, billingPreference: 1,
  })));

  // CloudBlue: the same customers (Tailspin under a slightly different name) and their month.
  const customers = new Map(COMPANIES.map((c) => [c.key, market.addCustomer({
    name: c.key === 'tailspin' ? 'Tailspin Toys' : c.name,
    address: c.country === 'GB'
      ? { streetAddress: '10 Fleet Street', postalCode: 'EC4Y 1AA', city: 'London', countryCode: 'GB' }
      : { streetAddress: 'Friedrichstraße 100', postalCode: '10117', city: 'Berlin', countryCode: 'DE' },
    contactPersons: [{ type: 'admin', firstName: 'Sam', lastName: 'Admin', email: `it@${c.web}`, phoneNumber: c.phone.replace(/\s/g, '') }],
  })]));
  const customerId = (key: string) => customers.get(key)!.id;
  const productId = (key: ProductKey) => productDefs.find((p) => p.key === key)!.def.id;
  const day = (daysAgo: number) => addDays(today, -daysAgo);
  const step = (daysAgo: number) => market.advanceTo(day(daysAgo));

  // Before the month: Northwind's usage-billed Acronis storage (sold earlier; only its usage is new). Monthly usage
  // subscriptions renew each month; this one does not auto-renew so the demo's billing task is the usage one.
  step(HISTORY_DAYS - 1);
  const acronis = market.purchase(customerId('northwind'), productId('acronis'), 1, day(HISTORY_DAYS - 1)).subscription;
  acronis.autoRenew = false;
  const lastMonth = addMonths(`${today.slice(0, 7)}-01`, -1);
  market.recordUsage(acronis.id, 180, addDays(lastMonth, 14));

  // The month Check Changes reads (orders on or after today - 31 days).
  step(28);
  const standard = market.purchase(customerId('northwind'), productId('standard'), 10, day(28)).subscription;
  step(27);
  const basic = market.purchase(customerId('fabrikam'), productId('basic'), 5, day(27)).subscription;
  step(26);
  const keeper = market.purchase(customerId('fabrikam'), productId('keeper'), 2, day(26)).subscription;
  step(24);
  market.purchase(customerId('tailspin'), productId('basic'), 3, day(24)); // unmapped customer
  step(20);
  market.purchase(customerId('northwind'), productId('bitdefender'), 20, day(20)); // unmapped product
  step(14);
  market.changeQuantity(standard.id, +5, day(14)); // up: this period
  step(10);
  market.changeQuantity(basic.id, -2, day(10)); // down: from the next period
  step(6);
  market.cancel(keeper.id, day(6));
  // To today: on the 1st the market rated last month's usage (a report → one billing event).
  market.advanceTo(today);

  return {
    integrationId,
    customers: COMPANIES.map((c) => ({
      marketplaceCustomerId: customerId(c.key), name: customers.get(c.key)!.name, companyId: c.mapped ? companyOf(c.key) : null, companyName: c.name,
    })),
    products: productDefs.map((p) => ({
      marketplaceProductId: p.def.id, name: p.def.name, serviceId: p.mapped ? serviceIds[mappedProducts.indexOf(p)] : null, serviceName: p.def.name,
    })),
    contracts: contractRows.map((c, i) => ({
      id: contractIds[i], name: c.name, companyId: companyOf(c.companyKey), currency: COMPANIES.find((x) => x.key === c.companyKey)!.currency, period: c.period,
    })),
    expected: { sales: 5, change: 2, billing: 1, cancellation: 1 },
  };
}

/** The sandbox connector's Subscription Sync rows from an earlier start: the simulators start empty each time. */
export async function resetSandboxSubscriptions(database: Database, connectorId: string): Promise<void> {
  const db = database.db;
  for (const table of [subscriptionTasks, customerMappings, productMappings, feeMappings, subscriptionContracts, subscriptionCursors, adjustmentIntents]) {
    await db.delete(table).where(eq(table.connectorId, connectorId));
  }
}

/**
 * Ends the sandbox connector's Subscription Sync workflows left running by an earlier start (the Temporal
 * server keeps them; the simulators do not): the fresh market's orders have the same ids, so a stale task
 * workflow would otherwise hold the new task's workflow id. Returns how many were ended.
 */
export async function endSandboxSubscriptionWorkflows(client: Client, connectorId: string): Promise<number> {
  const query = `BridgeConnector = '${connectorId}' AND BridgeTemplate = '${SUBSCRIPTION_TEMPLATE}' AND ExecutionStatus = 'Running'`;
  let ended = 0;
  for await (const wf of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(wf.workflowId, wf.runId).terminate('the sandbox restarted: its simulators start empty');
      ended++;
    } catch {
      // Already closed meanwhile.
    }
  }
  return ended;
}

/** The mappings an operator would have made already (as an import would): all but the ones left for a task. */
export async function mapSandboxSubscriptions(store: SubscriptionStore, connectorId: string, seed: SandboxSubscriptionSeed): Promise<void> {
  const scope = { connectorId, integrationId: seed.integrationId };
  for (const c of seed.customers) {
    if (c.companyId !== null) {
      await store.saveCustomerMapping({ ...scope, marketplaceCustomerId: c.marketplaceCustomerId, marketplaceName: c.name, companyId: c.companyId, companyName: c.companyName, mappedBy: 'import' });
    }
  }
  for (const p of seed.products) {
    if (p.serviceId !== null) {
      await store.saveProductMapping({ ...scope, marketplaceProductId: p.marketplaceProductId, marketplaceName: p.name, serviceId: p.serviceId, serviceName: p.serviceName, mappedBy: 'import' });
    }
  }
}

/** One line for `npm start`. */
export function describeSandboxSubscriptions(seed: SandboxSubscriptionSeed, connectorId: string): string {
  const e = seed.expected;
  const unmappedCustomers = seed.customers.filter((c) => c.companyId === null).map((c) => `"${c.name}"`);
  const unmappedProducts = seed.products.filter((p) => p.serviceId === null).map((p) => `"${p.name}"`);
  return (
    `CloudBlue marketplace "${seed.integrationId}": ${seed.customers.length} customers, a month of orders ` +
    `(${e.sales} sales, ${e.change} changes, ${e.cancellation} cancellation) and last month's usage; unmapped: customer ${unmappedCustomers.join(', ')}, ` +
    `product ${unmappedProducts.join(', ')} — try \`autotask-bridge subscriptions check --id ${connectorId}\``
  );
}
