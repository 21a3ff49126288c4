// What the Autotask-side Subscription Sync tests share: a migrated database, a sandbox with the
// CloudBlue simulator (no distributors), a connected connector, the contract activities built as
// src/activities/subscriptions/index.ts builds them, and helpers that make Autotask records, tasks
// and plans. The activities are called directly (no Temporal).
import type { Database } from '../../db';
import { contractActivities } from '../../src/activities/subscriptions/contracts';
import type { AutotaskClient } from '../../src/autotask/client';
import { f } from '../../src/autotask/query';
import { ConnectorClientCache } from '../../src/connector/clients';
import type { TaskEvent, TaskPlan, PlannedWrite } from '../../src/subscriptions/types';
import type { Notifier } from '../../src/notifications';
import { startSandbox, type Sandbox } from '../../src/sim';
import { intentKey } from '../../src/subscriptions/intent-key';
import { SubscriptionStore } from '../../src/subscriptions/store';
import { saveConnectedConnector } from '../helpers/connector';
import type { TestDatabase } from '../helpers/db';
import { testKeyRing } from '../helpers/temporal';

export const CONNECTOR = 'subs-at';
/** The integration id saveConnectedConnector stores (the kind). */
export const INTEGRATION = 'cloudblue';
export const SCOPE = { connectorId: CONNECTOR, integrationId: INTEGRATION };
export const V = '/atservicesrest/V1.0';
/** Starting the sandbox and migrating a database can take a while on a loaded machine. */
export const SETUP_MS = 240_000;

export interface ContractSetup {
  database: Database;
  sandbox: Sandbox;
  store: SubscriptionStore;
  autotask: AutotaskClient;
  clients: ConnectorClientCache;
  activities: ReturnType<typeof contractActivities>;
  recurringCodeId: number;
  companyId: number;
  stop(): Promise<void>;
}

export async function setUpContracts(driver: TestDatabase, settings: Record<string, unknown> = {}): Promise<ContractSetup> {
  const database = await driver.open();
  const sandbox = await startSandbox({ integrations: [INTEGRATION], ingram: false, tdSynnex: false, pax8: false, cloudblue: { subscriptions: 0, rateLimit: false, start: '2026-01-01' } });
  const connectors = await saveConnectedConnector(database, testKeyRing(), sandbox, CONNECTOR, settings);
  const [recurringCodeId] = sandbox.autotask.seed('BillingCodes', [{ name: 'Recurring services', useType: 4, isActive: true }]);
  const store = new SubscriptionStore(database);
  const notifier: Notifier = { notify: async () => undefined };
  const clients = new ConnectorClientCache(connectors, false);
  const activities = contractActivities({ clients, connectors, subscriptions: store, notifier });
  const { autotask } = await clients.get(CONNECTOR);
  return {
    database, sandbox, store, autotask, clients, activities, recurringCodeId, companyId: sandbox.customerCompanyId,
    async stop() {
      const violations = sandbox.takeViolations();
      await sandbox.stop();
      await database.close();
      if (violations.length) throw new Error(`contract violations:\n${violations.join('\n')}`);
    },
  };
}

/** A recurring-service contract (Monthly unless told; periodType values are the simulator's picklist). */
export async function makeContract(t: ContractSetup, extra: Record<string, unknown> = {}): Promise<number> {
  return t.autotask.contracts.create({
    companyID: t.companyId, contractName: 'Cloud services', contractType: 7, contractPeriodType: 2, status: 1,
    startDate: '2026-01-01T00:00:00Z', endDate: '2026-12-31T00:00:00Z', timeReportingRequiresStartAndStopTimes: 0, ...extra,
  });
}

export async function makeService(t: ContractSetup, name = 'Microsoft 365 Business Basic', unitPrice = 6, unitCost = 4.2): Promise<number> {
  return t.autotask.services.create({ name, unitPrice, unitCost, periodType: 2, billingCodeID: t.recurringCodeId });
}

/** Makes the database multi-currency (EUR internal, GBP); returns the currency ids by code. */
export function multiCurrency(t: ContractSetup): Record<'EUR' | 'GBP', number> {
  const [eur, gbp] = t.sandbox.autotask.seed('Currencies', [
    { name: 'EUR', description: 'Euro', isActive: true, isInternalCurrency: true, exchangeRate: 1 },
    { name: 'GBP', description: 'Pound sterling', isActive: true, isInternalCurrency: false, exchangeRate: 0.86 },
  ]);
  return { EUR: eur, GBP: gbp };
}

let companies = 0;
/** A customer company of its own (a test's contracts are then the only ones it has). */
export async function makeCompany(t: ContractSetup, currencyID: number | null = null): Promise<number> {
  const owner = t.sandbox.autotask.store.get('Companies', t.companyId)!.ownerResourceID as number;
  return t.autotask.companies.create({ companyName: `Customer ${++companies}`, companyType: 1, phone: '+44 1329 555 000', ownerResourceID: owner, ...(currencyID ? { currencyID } : {}) });
}

export function event(e: Partial<TaskEvent> & Pick<TaskEvent, 'id' | 'subscriptionId' | 'effectiveDate'>): TaskEvent {
  return {
    type: 'change', vendorType: 'change', customerId: 'cust-1', productId: 'prod-1', planId: 'prod-1', quantityBefore: null, quantityAfter: null,
    period: null, billingCycle: 'monthly', currency: 'GBP', unitPrice: 4.9, unitCost: 4.17, usage: null, cancellationFee: null,
    createdAt: `${e.effectiveDate}T10:00:00Z`, ...e,
  };
}

/** Inserts a pending task for the event (the product mapped as `productId`). */
export async function insertTask(t: ContractSetup, e: TaskEvent, contractId: number | null = null): Promise<string> {
  const taskId = e.id;
  await t.store.insertTasks([{
    ...SCOPE, taskId, eventId: e.id, type: e.type, customerId: e.customerId, subscriptionId: e.subscriptionId, productId: e.planId ?? e.productId,
    effectiveDate: e.effectiveDate, event: e as unknown as Record<string, unknown>, eventCreatedAt: new Date(e.createdAt), contractId,
  }]);
  return taskId;
}

export async function mapCustomerAndProduct(t: ContractSetup, serviceId: number, customerId = 'cust-1', productId = 'prod-1', companyId = t.companyId): Promise<void> {
  await t.store.saveCustomerMapping({ ...SCOPE, marketplaceCustomerId: customerId, marketplaceName: 'Customer', companyId, companyName: 'Customer', mappedBy: 'operator' });
  await t.store.saveProductMapping({ ...SCOPE, marketplaceProductId: productId, marketplaceName: 'Product', serviceId, serviceName: 'Service', mappedBy: 'operator' });
}

export function adjustment(taskId: string, contractId: number, serviceId: number, effectiveDate: string, unitChange: number, unitsBefore: number, price: number | null = null): PlannedWrite {
  return {
    kind: 'adjustment', key: intentKey({ ...SCOPE, taskId, kind: 'adjustment', contractId, serviceId, effectiveDate }),
    contractId, serviceId, contractServiceId: null, effectiveDate, unitChange, unitsBefore, unitPrice: price, unitCost: null, rule: 'test',
  };
}

export function charge(taskId: string, contractId: number, effectiveDate: string, quantity: number, unitPrice: number): PlannedWrite {
  return {
    kind: 'charge', key: intentKey({ ...SCOPE, taskId, kind: 'charge', contractId, serviceId: null, effectiveDate }),
    contractId, name: 'Usage', description: 'Usage of the period', effectiveDate, quantity, unitPrice, unitCost: null, billingCodeId: null, period: null, rule: 'test',
  };
}

/** Stores a hand-made plan on the task (what planSyncTask would store). */
export async function storePlan(t: ContractSetup, taskId: string, contractId: number, serviceId: number, writes: PlannedWrite[]): Promise<TaskPlan> {
  const plan: TaskPlan = {
    taskId, type: 'change', contractId, serviceId, priceSource: 'autotask', proration: 'autotask', currentQuantity: 0, newQuantity: 0, writes, billed: [], summary: [],
  };
  await t.store.updateTask(SCOPE, taskId, { plan: plan as unknown as Record<string, unknown>, contractId });
  return plan;
}

/** Units of the contract's service on a day, read back from ContractServiceUnits. */
export async function unitsOn(t: ContractSetup, contractId: number, serviceId: number, day: string): Promise<number> {
  const rows = (await t.autotask.contractServiceUnits.query([f.eq('contractID', contractId), f.eq('serviceID', serviceId)])).items;
  const row = rows.filter((r) => r.startDate!.slice(0, 10) <= day).sort((a, b) => a.startDate!.localeCompare(b.startDate!)).pop();
  return row?.units ?? 0;
}

/** Adjustments Autotask holds for one contract (the simulator's records: the API cannot query them). */
export const adjustmentsSent = (t: ContractSetup, contractId: number) => t.sandbox.autotask.records('ContractServiceAdjustments').filter((a) => a.contractID === contractId).length;

/** Between tests sharing a setup: no scripted faults left over. */
export function clearFaults(t: ContractSetup): void {
  t.sandbox.autotask.sim.setFaults({});
  t.sandbox.autotask.sim.injected.clear();
}
