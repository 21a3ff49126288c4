// Fixtures for the sync-task workflow tests: a sandbox of the test's own with the CloudBlue and Pax8
// simulators, a connector with both marketplaces, and the Autotask records a task syncs into (a
// recurring billing code, a customer company, a monthly recurring-service contract, a service).
import type { AutotaskClient } from '../../src/autotask/client';
import { f } from '../../src/autotask/query';
import { ConnectorClientCache } from '../../src/connector/clients';
import type { Sandbox, SandboxOptions } from '../../src/sim';
import type { Engine } from '../helpers/engine';
export { eventually } from '../helpers/eventually';

export const CLOUDBLUE = 'cloudblue';
export const PAX8 = 'pax8';
const DAY_MS = 86_400_000;
/** `yyyy-mm-dd`, `days` from today (Check Changes reads the real clock). */
export const day = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

export const MARKET_SANDBOX: SandboxOptions = {
  autotask: { hourlyLimit: 100_000_000 },
  integrations: [CLOUDBLUE, PAX8], ingram: false, tdSynnex: false,
  cloudblue: { subscriptions: 0, rateLimit: false, start: day(-60) }, pax8: { rateLimit: false, start: day(-60) },
};

let connectors = 0;
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

export interface TaskWorld {
  sandbox: Sandbox;
  connectorId: string;
  autotask: AutotaskClient;
  recurringCodeId: number;
  companyId: number;
  company(name: string, currencyID?: number): Promise<number>;
  contract(companyId: number, extra?: Record<string, unknown>): Promise<number>;
  service(name: string, unitPrice?: number, unitCost?: number): Promise<number>;
  /** Units of a contract's service on a day (ContractServiceUnits). */
  unitsOn(contractId: number, serviceId: number, date: string): Promise<number>;
  /** Adjustments Autotask holds for a contract (the simulator's records: the API cannot query them). */
  adjustments(contractId: number): Array<Record<string, unknown>>;
}

export async function taskWorld(engine: Engine, settings: Record<string, unknown> = {}): Promise<TaskWorld> {
  const sandbox = await engine.startSandbox(MARKET_SANDBOX);
  // Unique across the run: every test file shares one dev server, and a workflow id another file's
  // (finished) worker left running would take this file's updates and tasks.
  const connectorId = `subs-task-${RUN}-${++connectors}`;
  const store = await engine.connect(connectorId, { sandbox, settings });
  const { autotask } = await new ConnectorClientCache(store, false).get(connectorId);
  const [recurringCodeId] = sandbox.autotask.seed('BillingCodes', [{ name: 'Recurring services', useType: 4, isActive: true }]);
  const owner = sandbox.autotask.store.get('Companies', sandbox.customerCompanyId)!.ownerResourceID as number;
  return {
    sandbox, connectorId, autotask, recurringCodeId, companyId: sandbox.customerCompanyId,
    company: (name, currencyID) => autotask.companies.create({ companyName: name, companyType: 1, phone: '+44 1329 555 000', ownerResourceID: owner, ...(currencyID ? { currencyID } : {}) }),
    contract: (companyId, extra = {}) => autotask.contracts.create({
      companyID: companyId, contractName: 'Cloud services', contractType: 7, contractPeriodType: 2, status: 1,
      startDate: `${day(-90)}T00:00:00Z`, endDate: `${day(300)}T00:00:00Z`, timeReportingRequiresStartAndStopTimes: 0, ...extra,
    }),
    service: (name, unitPrice = 6, unitCost = 4.2) => autotask.services.create({ name, unitPrice, unitCost, periodType: 2, billingCodeID: recurringCodeId }),
    async unitsOn(contractId, serviceId, date) {
      const rows = (await autotask.contractServiceUnits.query([f.eq('contractID', contractId), f.eq('serviceID', serviceId)])).items;
      const row = rows.filter((r) => r.startDate!.slice(0, 10) <= date).sort((a, b) => a.startDate!.localeCompare(b.startDate!)).pop();
      return row?.units ?? 0;
    },
    adjustments: (contractId) => sandbox.autotask.records('ContractServiceAdjustments').filter((a) => a.contractID === contractId),
  };
}

