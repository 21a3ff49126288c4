// What Subscription Sync reads from Autotask: a recurring-service contract's facts, a company's
// contracts, the Service a product maps to, and a contract service's state on a date (from
// ContractServiceUnits: the only way to read back units, notes/contracts-and-marketplaces.md).
// Picklists are read by label (values differ per database); dates are `yyyy-mm-dd` UTC.
// Companies, contracts and services come through the facts cache (./facts-cache: short-lived, refreshed
// by the checks that decide whether a record may be used); units and contract services never do.
import type { AutotaskClient } from '../autotask/client';
import { fromAutotaskDateTime } from '../autotask/dates';
import { f } from '../autotask/query';
import type { ContractServiceUnit, Currency } from '../autotask/schemas';
import { addDays, billingPeriods, type ContractTerms } from '../autotask/sim/contract-model';
import { recordProblem } from './customers';
import { factsCacheOf, type ReadMode } from './facts-cache';
import type { ContractFacts, ServiceFacts, ServiceState } from './types';

/** Months per billing period by the label of `contractPeriodType` / Services `periodType`. */
const PERIOD_MONTHS: Record<string, number> = { monthly: 1, quarterly: 3, 'semi-annual': 6, 'semi annual': 6, yearly: 12, annual: 12, annually: 12 };
/** Labels of a contract that runs (Autotask's "In Effect"; older databases say "Active"). */
const ACTIVE_STATUS = ['in effect', 'active'];
const RECURRING_TYPE = 'Recurring Service';

/** The Autotask calendar day of a date-time (no offset = UTC). */
export function dayOf(value: string | null | undefined): string | null {
  const d = fromAutotaskDateTime(value);
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : null;
}

async function picklistLabel(autotask: AutotaskClient, entity: string, field: string, value: unknown): Promise<string | null> {
  if (value === null || value === undefined) return null;
  const info = await autotask.metadata.field(entity, field);
  return info?.picklistValues?.find((p) => p.value === String(value))?.label ?? null;
}

function periodMonths(label: string | null): number {
  return (label && PERIOD_MONTHS[label.toLowerCase()]) || 0;
}

/**
 * The currency a company is billed in: its `currencyID` in the Currencies entity; the internal
 * currency when it has none. Null when the database is single-currency (one active currency or none)
 * — then no currency check is possible or needed.
 */
export async function companyCurrency(autotask: AutotaskClient, company: { currencyID?: number | null } | null): Promise<string | null> {
  const currencies = await activeCurrencies(autotask);
  if (currencies.length <= 1) return null;
  const found = currencies.find((c) => c.id === company?.currencyID) ?? currencies.find((c) => c.isInternalCurrency);
  return found?.name?.trim().toUpperCase() || null;
}

/** A database's currencies change rarely (set up in the UI): read once per client every few minutes. */
const CURRENCY_TTL_MS = 5 * 60_000;
const currencyCache = new WeakMap<AutotaskClient, { at: number; value: Promise<Currency[]> }>();

function activeCurrencies(autotask: AutotaskClient): Promise<Currency[]> {
  const hit = currencyCache.get(autotask);
  if (hit && Date.now() - hit.at < CURRENCY_TTL_MS) return hit.value;
  const value = autotask.currencies.query(f.all(), { maxRecords: 500 }).then((r) => r.items.filter((c) => c.isActive !== false));
  currencyCache.set(autotask, { at: Date.now(), value });
  value.catch(() => currencyCache.delete(autotask));
  return value;
}

type ContractRecord = NonNullable<Awaited<ReturnType<AutotaskClient['contracts']['get']>>>;
type CompanyRecord = NonNullable<Awaited<ReturnType<AutotaskClient['companies']['get']>>>;
type ServiceRecord = NonNullable<Awaited<ReturnType<AutotaskClient['services']['get']>>>;

function companyRecord(autotask: AutotaskClient, companyId: number, mode: ReadMode = 'cached'): Promise<CompanyRecord | null> {
  return factsCacheOf(autotask).read('company', companyId, () => autotask.companies.get(companyId), mode);
}

function contractRecord(autotask: AutotaskClient, contractId: number, mode: ReadMode = 'cached'): Promise<ContractRecord | null> {
  return factsCacheOf(autotask).read('contract', contractId, () => autotask.contracts.get(contractId), mode);
}

function serviceRecord(autotask: AutotaskClient, serviceId: number, mode: ReadMode = 'cached'): Promise<ServiceRecord | null> {
  return factsCacheOf(autotask).read('service', serviceId, () => autotask.services.get(serviceId), mode);
}

/**
 * Why a mapped company cannot be used (deleted, inactive; null: it can), read from Autotask — the
 * check every run of a task starts with — and kept for the task's later steps.
 */
export async function checkCompany(autotask: AutotaskClient, companyId: number): Promise<{ problem: string | null; name: string | null }> {
  const company = await companyRecord(autotask, companyId, 'fresh');
  return recordProblem('company', companyId, company && { name: company.companyName, isActive: company.isActive });
}

/** Why a mapped Service cannot be used (null: it can), read from Autotask and kept for the task's plan. */
export async function checkService(autotask: AutotaskClient, serviceId: number): Promise<{ problem: string | null; name: string | null }> {
  return recordProblem('service', serviceId, await serviceRecord(autotask, serviceId, 'fresh'));
}

async function factsOf(autotask: AutotaskClient, c: ContractRecord, currency: string | null): Promise<ContractFacts> {
  const [status, type, period] = await Promise.all([
    picklistLabel(autotask, 'Contracts', 'status', c.status),
    picklistLabel(autotask, 'Contracts', 'contractType', c.contractType),
    picklistLabel(autotask, 'Contracts', 'contractPeriodType', c.contractPeriodType),
  ]);
  return {
    id: c.id,
    name: c.contractName ?? `Contract ${c.id}`,
    companyId: c.companyID ?? 0,
    startDate: dayOf(c.startDate) ?? '',
    endDate: dayOf(c.endDate) ?? '',
    periodMonths: periodMonths(period),
    currency,
    active: !!status && ACTIVE_STATUS.includes(status.toLowerCase()) && type === RECURRING_TYPE,
  };
}

/**
 * A contract's facts, or null when it does not exist (deleted in Autotask). `fresh` reads the contract
 * from Autotask (a check whether it can take a subscription); its company (for the currency) comes from
 * the cache, which the task's customer check refreshed moments before.
 */
export async function contractFacts(autotask: AutotaskClient, contractId: number, mode: ReadMode = 'cached'): Promise<ContractFacts | null> {
  const c = await contractRecord(autotask, contractId, mode);
  if (!c) return null;
  const company = c.companyID ? await companyRecord(autotask, c.companyID) : null;
  return factsOf(autotask, c, await companyCurrency(autotask, company));
}

/** The company's recurring-service contracts (any status: callers say why an inactive one cannot be used). */
export async function companyContracts(autotask: AutotaskClient, companyId: number): Promise<ContractFacts[]> {
  const recurring = await autotask.metadata.picklistValue('Contracts', 'contractType', RECURRING_TYPE);
  // No isActive filter: filtering Contracts on it has been reported to answer 500 (notes).
  const filter = [f.eq('companyID', companyId), ...(recurring ? [f.eq('contractType', Number(recurring))] : [])];
  const contracts: ContractRecord[] = [];
  const cache = factsCacheOf(autotask);
  for await (const c of autotask.contracts.all({ filter })) {
    contracts.push(c);
    cache.prime('contract', c.id, c);
  }
  if (!contracts.length) return [];
  const currency = await companyCurrency(autotask, await companyRecord(autotask, companyId));
  return Promise.all(contracts.map((c) => factsOf(autotask, c, currency)));
}

/** The Service a marketplace product maps to, with its billing code (usage charges are billed on it). */
export interface ServiceRecordFacts extends ServiceFacts {
  billingCodeId: number | null;
}

export async function serviceFacts(autotask: AutotaskClient, serviceId: number, mode: ReadMode = 'cached'): Promise<ServiceRecordFacts | null> {
  const s = await serviceRecord(autotask, serviceId, mode);
  if (!s) return null;
  return {
    id: s.id,
    name: s.name ?? `Service ${s.id}`,
    unitPrice: s.unitPrice ?? 0,
    unitCost: s.unitCost ?? null,
    periodMonths: periodMonths(await picklistLabel(autotask, 'Services', 'periodType', s.periodType)),
    active: s.isActive !== false,
    billingCodeId: s.billingCodeID ?? null,
  };
}

/** A ContractServiceUnits row with its days. */
export interface UnitRowFacts {
  startDate: string;
  endDate: string;
  units: number;
  price: number | null;
  cost: number | null;
}

/** The ContractServiceUnits rows of one service of a contract (of one of its contract services, when the service repeats on it), by start date. */
export async function serviceUnitRows(autotask: AutotaskClient, contractId: number, serviceId: number, contractServiceId?: number | null): Promise<UnitRowFacts[]> {
  const rows: ContractServiceUnit[] = [];
  const filter = [f.eq('contractID', contractId), f.eq('serviceID', serviceId), ...(contractServiceId ? [f.eq('contractServiceID', contractServiceId)] : [])];
  for await (const r of autotask.contractServiceUnits.all({ filter })) rows.push(r);
  return rows
    .map((r) => ({ startDate: dayOf(r.startDate) ?? '', endDate: dayOf(r.endDate) ?? '', units: r.units ?? 0, price: r.price ?? null, cost: r.cost ?? null }))
    .filter((r) => r.startDate)
    .sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
}

/**
 * The row in force on `day`: the last one starting on or before it. None before the service's first
 * adjustment, nor after the last row ends (past the contract's end).
 */
export function rowOn(rows: UnitRowFacts[], day: string): UnitRowFacts | undefined {
  let found: UnitRowFacts | undefined;
  for (const r of rows) if (r.startDate <= day) found = r;
  if (found && found === rows[rows.length - 1] && day > found.endDate) return undefined;
  return found;
}

/**
 * Dates an adjustment starts on, as far as the rows show: the first row, a row starting inside a
 * billing period (a split), and a period's first row whose units or prices differ from the row before.
 */
export function adjustmentDates(rows: UnitRowFacts[], contract: Pick<ContractFacts, 'startDate' | 'endDate' | 'periodMonths'> | null): string[] {
  const starts = new Set<string>();
  if (contract && contract.periodMonths > 0 && contract.startDate && contract.endDate) {
    const terms: ContractTerms = { startDate: contract.startDate, endDate: contract.endDate, periodMonths: contract.periodMonths };
    for (const p of billingPeriods(terms)) starts.add(p.start);
  }
  const out: string[] = [];
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    if (!prev || !starts.has(r.startDate) || prev.units !== r.units || prev.price !== r.price || prev.cost !== r.cost) out.push(r.startDate);
  });
  return out;
}

/**
 * A contract service's state on `day`: units, prices and the dates adjustments already took. A service
 * not on the contract yet has 0 units. Pass the contract's facts when known (saves a request), and the
 * contract service when known (the service may be on the contract more than once: allowRepeatService).
 */
export async function serviceState(autotask: AutotaskClient, contractId: number, serviceId: number, day: string, contract?: ContractFacts | null, contractServiceId?: number | null): Promise<ServiceState> {
  const [services, rows, facts] = await Promise.all([
    autotask.contractServices.query([f.eq('contractID', contractId), f.eq('serviceID', serviceId), ...(contractServiceId ? [f.eq('id', contractServiceId)] : [])], { maxRecords: 10 }),
    serviceUnitRows(autotask, contractId, serviceId, contractServiceId),
    contract === undefined ? contractFacts(autotask, contractId) : Promise.resolve(contract),
  ]);
  const cs = services.items[0];
  const row = rowOn(rows, day);
  return {
    contractServiceId: cs?.id ?? null,
    serviceId,
    units: row?.units ?? 0,
    unitPrice: row?.price ?? cs?.adjustedPrice ?? cs?.unitPrice ?? null,
    unitCost: row?.cost ?? cs?.unitCost ?? null,
    adjustmentDates: adjustmentDates(rows, facts),
    // From the row in force on `day` on; a split row ends the day before the next one starts (inclusive ends).
    rows: rows
      .map((r, i) => ({ startDate: r.startDate, endDate: rows[i + 1] && rows[i + 1].startDate <= r.endDate ? addDays(rows[i + 1].startDate, -1) : r.endDate, units: r.units }))
      .filter((r) => r.endDate >= day),
  };
}
