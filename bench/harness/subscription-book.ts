// The Autotask side of a CloudBlue subscriptions book, as the subscriptions bench and the chaos harness
// both start from it: two currencies, one recurring Service per marketplace product, a company with a
// monthly contract per customer, and the customer and product mappings as an import leaves them.
import type { Database } from '../../db';
import { simDateTime } from '../../src/autotask/sim/dates';
import { addDays, addMonths } from '../../src/marketplaces/cloudblue/sim/market';
import type { Sandbox } from '../../src/sim';
import { SubscriptionStore } from '../../src/subscriptions/store';

/** Seat products (annual term, billed monthly: no renewal inside the year) and usage-billed ones (they renew monthly). */
const SEAT_MPNS = ['CFQ7TTC0LH18', 'CFQ7TTC0LDPB', 'CFQ7TTC0LCHC', 'CFQ7TTC0LH16', 'BDGZ-BUS-SEC', 'KPR-BUS', 'DBX-BUS-STD'].map((k) => `${k}_P1Y_MONTHLY`);
const USAGE_MPNS = ['ACR-CPC-GB_P1M', 'DZH318Z0BPS6_P1M'];

/**
 * Seeds `customers` new marketplace customers and the book around them (contracts run 24 months from
 * `firstMonth`). Returns the marketplace's products and customers, each with its Autotask id at the same index.
 */
export async function seedSubscriptionBook(sandbox: Sandbox, database: Database, scope: { connectorId: string; integrationId: string }, o: { customers: number; firstMonth: string }) {
  const market = sandbox.cloudblue.market;
  const at = sandbox.autotask;
  const owner = at.records('Companies').find((c) => c.id === sandbox.customerCompanyId)?.ownerResourceID ?? null;
  if (!at.records('Currencies').length) {
    at.seed('Currencies', [
      { name: 'EUR', description: 'Euro', isActive: true, isInternalCurrency: true, exchangeRate: 1 },
      { name: 'GBP', description: 'Pound Sterling', isActive: true, isInternalCurrency: false, exchangeRate: 0.86 },
    ]);
  }
  const currency = (code: string) => at.records('Currencies').find((c) => c.name === code)?.id ?? null;
  const [recurring] = at.seed('BillingCodes', [{ name: 'Cloud Subscriptions', useType: 4, isActive: true }]);
  const products = [...SEAT_MPNS, ...USAGE_MPNS].map((mpn) => market.product(mpn));
  const serviceIds = at.seed('Services', products.map((p) => ({
    name: p.name, periodType: 2, billingCodeID: recurring, isActive: true, unitPrice: Math.round(p.price.EUR * 120) / 100, unitCost: p.cost.EUR,
  })));
  const customers = Array.from({ length: o.customers }, () => market.addCustomer());
  const companyIds = at.seed('Companies', customers.map((c) => ({
    companyName: c.name, companyType: 1, isActive: true, ownerResourceID: owner, currencyID: currency(c.address.countryCode === 'GB' ? 'GBP' : 'EUR'),
  })));
  at.seed('Contracts', customers.map((c, i) => ({
    companyID: companyIds[i], contractName: `${c.name} cloud services`, contractType: 7, contractPeriodType: 2, status: 1,
    startDate: simDateTime(o.firstMonth), endDate: simDateTime(addDays(addMonths(o.firstMonth, 24), -1)), timeReportingRequiresStartAndStopTimes: 0,
  })));
  const store = new SubscriptionStore(database);
  for (const [i, c] of customers.entries()) {
    await store.saveCustomerMapping({ ...scope, marketplaceCustomerId: c.id, marketplaceName: c.name, companyId: companyIds[i], companyName: c.name, mappedBy: 'import' });
  }
  for (const [i, p] of products.entries()) {
    await store.saveProductMapping({ ...scope, marketplaceProductId: p.id, marketplaceName: p.name, serviceId: serviceIds[i], serviceName: p.name, mappedBy: 'import' });
  }
  return { products, customers, companyIds, serviceIds };
}
