// A recurring-service contract's billing, as pure functions: billing periods, the ContractServiceUnits
// rows Autotask derives from a service's adjustments, and what one period bills. The simulator
// stores the rows this computes; tests ask `billedFor` what Autotask would invoice for a period.
//
// Sources: ContractServiceUnits rows are "one per billing period, split at each adjustment's effective
// date; the end date is the period's end or the next adjustment's effective date"
// [D:REST/Entities/ContractServiceUnitsEntity.htm]; adjustments outside the contract's dates are
// rejected and two on one date fail with "Attempt to insert duplicate data into contract_service_period"
// (notes/contracts-and-marketplaces.md); Autotask prorates by effective date by default (ibid.) and
// stores amounts with four decimals, rounding each billing item to two when posted
// [autotask.net/help … SystemSettingsContracts.htm]. Unverified: proration by calendar days of the period
// (the exact formula is not documented), and the rejection texts other than the duplicate one.

/** A calendar day, `yyyy-mm-dd` (UTC). */
export type Day = string;

export interface ContractTerms {
  startDate: Day;
  /** Inclusive. */
  endDate: Day;
  /** Months per billing period: 1 monthly, 3 quarterly, 6 semi-annual, 12 yearly. */
  periodMonths: number;
}

export interface Period {
  start: Day;
  /** Inclusive. */
  end: Day;
}

export interface UnitChange {
  effectiveDate: Day;
  unitChange: number;
  /** adjustedUnitPrice: the unit price from this date on (null/undefined keeps the previous one). */
  unitPrice?: number | null;
  unitCost?: number | null;
}

export interface UnitRow {
  startDate: Day;
  /** The period's end, or the effective date of the next adjustment inside the period (as Autotask shows it). */
  endDate: Day;
  units: number;
  /** Per unit. */
  price: number;
  cost: number | null;
  period: Period;
  /** Days this row covers (up to the next row's start). */
  days: number;
}

export interface BilledLine extends UnitRow {
  /** units × price × days / days in period, rounded to 2 decimals as posted. */
  amount: number;
  costAmount: number | null;
}

export interface Billed {
  period: Period;
  lines: BilledLine[];
  amount: number;
  costAmount: number | null;
  /** Units at the period's end (what the next period starts with). */
  endUnits: number;
}

export const DUPLICATE_PERIOD = 'Attempt to insert duplicate data into contract_service_period';

export class ContractRuleError extends Error {}

const DAY_MS = 86_400_000;

/** The UTC calendar day of an Autotask date-time (`2024-03-01T00:00:00`, with or without `Z`). */
export function dayOf(value: unknown): Day {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new ContractRuleError(`Value '${String(value)}' is not a valid date.`);
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value.slice(10))) return new Date(value).toISOString().slice(0, 10);
  return value.slice(0, 10);
}

function toUtc(day: Day): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromUtc(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: Day, n: number): Day {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** Days from `a` up to (not including) `b`. */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** The day `n` months after the anchor, on the anchor's day of month (clamped to the month's length). */
function addMonths(anchor: Day, n: number): Day {
  const y = Number(anchor.slice(0, 4));
  const m = Number(anchor.slice(5, 7)) - 1 + n;
  const d = Number(anchor.slice(8, 10));
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(y, m, Math.min(d, last)));
}

/** Billing periods from the contract's start, each `periodMonths` long, the last cut at the end date. */
export function billingPeriods(terms: ContractTerms): Period[] {
  if (!(terms.periodMonths > 0)) throw new ContractRuleError('The contract has no billing period type.');
  const out: Period[] = [];
  for (let k = 0; ; k++) {
    const start = addMonths(terms.startDate, k * terms.periodMonths);
    if (start > terms.endDate) break;
    const next = addMonths(terms.startDate, (k + 1) * terms.periodMonths);
    const end = addDays(next, -1);
    out.push({ start, end: end > terms.endDate ? terms.endDate : end });
    if (k > 1200) throw new ContractRuleError('Contract too long to simulate.');
  }
  return out;
}

export function periodContaining(terms: ContractTerms, day: Day): Period | undefined {
  return billingPeriods(terms).find((p) => p.start <= day && day <= p.end);
}

/**
 * Checks a new adjustment against the service's existing ones and the contract's dates; returns the
 * full list (sorted) that results. Throws ContractRuleError with Autotask's text where known.
 */
export function addChange(terms: ContractTerms, existing: UnitChange[], change: UnitChange): UnitChange[] {
  if (!Number.isInteger(change.unitChange)) throw new ContractRuleError('unitChange must be a whole number.');
  if (change.effectiveDate < terms.startDate || change.effectiveDate > terms.endDate) {
    // Rule: notes/contracts-and-marketplaces.md ("Effective dates outside the contract's dates are rejected"); text unverified.
    throw new ContractRuleError(`The effectiveDate ${change.effectiveDate} must be between the contract's start date ${terms.startDate} and end date ${terms.endDate}.`);
  }
  if (existing.some((c) => c.effectiveDate === change.effectiveDate)) throw new ContractRuleError(DUPLICATE_PERIOD);
  const all = [...existing, change].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0));
  let units = 0;
  for (const c of all) {
    units += c.unitChange;
    // Unverified: Autotask cannot hold a negative number of units; the text is ours.
    if (units < 0) throw new ContractRuleError(`The adjustment would leave ${units} units of the service on ${c.effectiveDate}; units cannot be negative.`);
  }
  return all;
}

/** ContractServiceUnits rows for one service: every period from its first adjustment to the contract's end. */
export function serviceUnitRows(terms: ContractTerms, changes: UnitChange[], base: { unitPrice: number; unitCost: number | null }): UnitRow[] {
  const sorted = [...changes].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0));
  if (!sorted.length) return [];
  const first = sorted[0].effectiveDate;
  const state = (day: Day) => {
    let units = 0;
    let price = base.unitPrice;
    let cost = base.unitCost;
    for (const c of sorted) {
      if (c.effectiveDate > day) break;
      units += c.unitChange;
      if (c.unitPrice !== undefined && c.unitPrice !== null) price = c.unitPrice;
      if (c.unitCost !== undefined && c.unitCost !== null) cost = c.unitCost;
    }
    return { units, price, cost };
  };
  const rows: UnitRow[] = [];
  for (const period of billingPeriods(terms)) {
    if (period.end < first) continue;
    const starts = [period.start < first ? first : period.start];
    for (const c of sorted) if (c.effectiveDate > starts[0] && c.effectiveDate <= period.end && !starts.includes(c.effectiveDate)) starts.push(c.effectiveDate);
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      const s = state(start);
      rows.push({
        startDate: start, endDate: next ?? period.end, units: s.units, price: s.price, cost: s.cost, period,
        days: daysBetween(start, next ?? addDays(period.end, 1)),
      });
    });
  }
  return rows;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** What the period containing `day` bills for one service: each row prorated by its share of the period's days. */
export function billedFor(terms: ContractTerms, rows: UnitRow[], day: Day): Billed {
  const period = periodContaining(terms, day);
  if (!period) throw new ContractRuleError(`${day} is outside the contract.`);
  // A full-length period's days: the last period may be cut short by the end date and then is prorated too.
  const fullDays = daysBetween(period.start, addMonths(period.start, terms.periodMonths));
  const lines = rows
    .filter((r) => r.period.start === period.start)
    .map((r) => ({
      ...r,
      amount: round(round((r.units * r.price * r.days) / fullDays, 4), 2),
      costAmount: r.cost === null ? null : round(round((r.units * r.cost * r.days) / fullDays, 4), 2),
    }));
  const sum = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0), 2);
  const costs = lines.map((l) => l.costAmount);
  return {
    period: { start: period.start, end: period.end },
    lines,
    amount: sum(lines.map((l) => l.amount)),
    costAmount: costs.some((c) => c === null) ? null : sum(costs as number[]),
    endUnits: lines.length ? lines[lines.length - 1].units : 0,
  };
}
