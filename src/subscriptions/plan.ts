// The planner: what one sync task writes to Autotask, decided before anything is written (prorated billing lines
// cannot be reversed, notes/contracts-and-marketplaces.md). Seed 004's rules, exactly: a higher quantity applies in
// the current billing period, a lower one from the next, an equal one syncs prices and costs only; Sales take the
// existing contract service into account; proration and price source follow the settings. Pure.
import type { SubscriptionSettings } from '../connector/settings';
import type { TaskType } from '../../db/schema/subscriptions';
import { BridgeError } from '../failures';
import { addDays, billedFor, daysBetween, periodContaining, serviceUnitRows, type ContractTerms, type Period, type UnitChange } from '../autotask/sim/contract-model';
import { intentKey } from './intent-key';
import type { ContractFacts, PlannedWrite, ServiceFacts, ServiceState, TaskEvent, TaskPlan } from './types';

export interface PlanInput {
  taskId: string; connectorId: string; integrationId: string; type: TaskType;
  /** The effective (merged) event. */
  event: TaskEvent;
  contract: ContractFacts; service: ServiceFacts;
  /** The contract service on event.effectiveDate (units 0 if not on the contract). */
  state: ServiceState;
  settings: Pick<SubscriptionSettings, 'priceSource' | 'proration'>;
  /** Billing: post units instead of a charge. */
  usageAsUnits: boolean;
  /** The mapped cancellation fee. */
  fee: { billingCodeId: number; chargeName: string } | null;
  /** Billing code for usage (and proration) charges: the service's. */
  usageBillingCodeId: number | null;
}

type Adjustment = Extract<PlannedWrite, { kind: 'adjustment' }>;
type Charge = Extract<PlannedWrite, { kind: 'charge' }>;

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

function refuse(message: string): BridgeError {
  return new BridgeError('validation', message, { source: 'engine', operation: 'plan subscription task' });
}

/** Everything one planning run shares. */
class Planner {
  readonly day: string;
  readonly terms: ContractTerms;
  readonly period: Period;
  /** The current period as long as a full period is (the contract's last period may be cut short by its end date). */
  readonly fullDays: number;
  readonly price: number;
  readonly cost: number | null;
  readonly writes: PlannedWrite[] = [];
  readonly notes: string[] = [];
  newQuantity: number;

  constructor(readonly input: PlanInput) {
    const { contract, event, settings, service, state } = input;
    this.day = event.effectiveDate.slice(0, 10);
    this.terms = { startDate: contract.startDate, endDate: contract.endDate, periodMonths: contract.periodMonths };
    const where = `contract ${contract.id} "${contract.name}" (${contract.startDate} – ${contract.endDate})`;
    if (!contract.active) throw refuse(`${where} is not an active (In Effect) recurring service contract: reactivate it or choose another contract, then retry the task`);
    if (this.day < contract.startDate || this.day > contract.endDate) {
      throw refuse(`the effective date ${this.day} is outside ${where}: extend the contract or choose another one, then retry the task`);
    }
    if (!(contract.periodMonths > 0)) throw refuse(`${where} has no billing period type`);
    this.period = periodContaining(this.terms, this.day) as Period;
    const full = periodContaining({ ...this.terms, endDate: addDays(this.period.end, 400) }, this.period.start) as Period;
    this.fullDays = daysBetween(full.start, addDays(full.end, 1));
    // Price source (seed: "whether to load prices from Autotask or Reseller Marketplace").
    const marketplace = settings.priceSource === 'marketplace';
    this.price = round4(marketplace ? event.unitPrice ?? service.unitPrice : service.unitPrice);
    const cost = marketplace ? event.unitCost ?? service.unitCost : service.unitCost;
    this.cost = cost === null ? null : round4(cost);
    this.newQuantity = state.units;
  }

  /** Units Autotask has on `date` now (a later row when the state carries one). */
  baseUnits(date: string): number {
    const row = this.input.state.rows?.find((r) => r.startDate <= date && date <= r.endDate);
    return row ? row.units : this.input.state.units;
  }

  /** Units the contract service will have on `date` before a write dated then: Autotask's plus this plan's earlier adjustments. */
  unitsOn(date: string): number {
    let units = this.baseUnits(date);
    for (const w of this.writes) if (w.kind === 'adjustment' && w.effectiveDate < date) units += w.unitChange;
    return units;
  }

  /** The first day from `date` on without an adjustment of this service (Autotask takes one per service and date). */
  freeDate(date: string): { date: string; why: string } {
    const taken = new Set(this.input.state.adjustmentDates.map((d) => d.slice(0, 10)));
    let free = date;
    while (taken.has(free)) free = addDays(free, 1);
    if (free > this.input.contract.endDate) throw refuse(`every day from ${date} to the contract's end ${this.input.contract.endDate} already has an adjustment of service ${this.input.service.id}`);
    return { date: free, why: free === date ? '' : `; moved from ${date} to ${free}: an earlier adjustment already starts on ${date} (Autotask takes one per service and date)` };
  }

  adjust(ruleDate: string, target: number, rule: string, prices = true): Adjustment | null {
    const { input } = this;
    const { date, why } = this.freeDate(ruleDate);
    const before = this.unitsOn(date);
    const unitChange = target - before;
    if (unitChange === 0 && !prices) {
      this.notes.push(`nothing to write on ${date}: the contract service already has ${target} units then`);
      return null;
    }
    const write: Adjustment = {
      kind: 'adjustment',
      // Keyed by the rule's date, not the shifted one: the same task always plans the same key.
      key: intentKey({ connectorId: input.connectorId, integrationId: input.integrationId, taskId: input.taskId, kind: 'adjustment', contractId: input.contract.id, serviceId: input.service.id, effectiveDate: ruleDate }),
      contractId: input.contract.id,
      serviceId: input.service.id,
      contractServiceId: input.state.contractServiceId,
      effectiveDate: date,
      unitChange,
      unitsBefore: before,
      unitPrice: this.price,
      unitCost: this.cost,
      rule: rule + why,
      ...(input.state.repeatOf ? { repeatOf: input.state.repeatOf } : {}),
    };
    this.writes.push(write);
    return write;
  }

  charge(c: Omit<Charge, 'kind' | 'key' | 'contractId'>, keyDate: string, extra: string, subscriptionScoped = false): Charge {
    const { input } = this;
    // Usage is charged once per subscription and period, whichever task (or re-read billing record) carries it.
    const taskId = subscriptionScoped && input.event.subscriptionId ? `subscription:${input.event.subscriptionId}` : input.taskId;
    const write: Charge = {
      kind: 'charge',
      key: intentKey({ connectorId: input.connectorId, integrationId: input.integrationId, taskId, kind: 'charge', contractId: input.contract.id, serviceId: input.service.id, effectiveDate: keyDate, extra }),
      contractId: input.contract.id,
      ...c,
    };
    this.writes.push(write);
    return write;
  }
}

export function planTask(input: PlanInput): TaskPlan {
  const { event, settings } = input;
  // A fee that cannot be billed stops the task before anything is written: the operator maps it first.
  const fee = event.cancellationFee && event.cancellationFee.amount !== 0 ? event.cancellationFee : null;
  if (fee && !input.fee) {
    const what = `${fee.amount}${event.currency ? ` ${event.currency}` : ''}${fee.description ? ` (${fee.description})` : ''}`;
    throw new BridgeError(
      'validation',
      `fee: the cancellation fee of ${what} on order ${event.id} is not mapped: map it with ` +
        '`autotask-bridge mapping fees map cancellation <billing code id> --name "<charge name>"`, then retry the task',
      { source: 'engine', operation: 'plan subscription task' },
    );
  }
  const p = new Planner(input);
  if (input.type === 'billing') planUsage(p);
  else planQuantity(p);
  // A new contract service (a repeat) starts at 0 units, so one adjustment reaches any quantity; a second one would
  // need the new contract service's id, which Autotask only has once the first is written.
  const adjustments = p.writes.filter((w) => w.kind === 'adjustment').length;
  if (input.state.repeatOf && adjustments > 1) {
    throw refuse(`task ${input.taskId} would write ${adjustments} adjustments to the contract service it adds to contract ${input.contract.id}; only the first can name it before Autotask has created it`);
  }
  if (input.state.repeatOf && adjustments) {
    p.notes.push(`a contract service of its own for ${input.service.name}, beside contract service(s) ${input.state.repeatOf.join(', ')} of other subscriptions (sent with allowRepeatService)`);
  }
  if (fee && input.fee) {
    p.charge(
      {
        name: input.fee.chargeName, description: `${fee.description ?? 'Cancellation fee'} (${event.id})`, effectiveDate: p.day,
        quantity: 1, unitPrice: round4(fee.amount), unitCost: null, billingCodeId: input.fee.billingCodeId, period: null,
        rule: 'Cancellation: the marketplace\'s cancellation fee, as the mapped charge on the cancellation date',
      },
      p.day,
      'cancellation-fee',
    );
  }
  const plan: TaskPlan = {
    taskId: input.taskId,
    type: input.type,
    contractId: input.contract.id,
    serviceId: input.service.id,
    priceSource: settings.priceSource,
    proration: settings.proration,
    currentQuantity: input.state.units,
    newQuantity: p.newQuantity,
    writes: p.writes,
    billed: billedAfter(p),
    summary: [],
  };
  plan.summary = summarise(p, plan);
  return plan;
}

const LABEL: Record<TaskType, string> = { sales: 'New sale', change: 'Change', billing: 'Billing', cancellation: 'Cancellation' };

/** Sales, change and cancellation: the seed's three quantity rules. */
function planQuantity(p: Planner): void {
  const { input, day, period } = p;
  const { event, state, settings } = input;
  const label = LABEL[input.type];
  const current = state.units;
  const target = input.type === 'cancellation' ? 0 : event.quantityAfter ?? current;
  if (!Number.isInteger(target) || target < 0) throw refuse(`order ${event.id} asks for ${target} units of the subscription: not a whole number of units`);
  if (event.quantityAfter === null && input.type !== 'cancellation') p.notes.push(`order ${event.id} states no quantity: the contract service keeps ${current} units`);
  p.newQuantity = target;
  const nextStart = addDays(period.end, 1);
  const afterContract = nextStart > input.contract.endDate;

  if (target > current) {
    // Higher → the current billing period.
    if (settings.proration === 'autotask' || day === period.start) {
      p.adjust(day, target, `${label}: ${target} > ${current} units → in the current billing period from ${day}${day === period.start ? '' : ' (Autotask prorates)'}`);
      keepNextPeriod(p, target, label, nextStart);
      return;
    }
    // Marketplace proration: units from the next period, the current period's remainder as the marketplace's charge.
    const units = target - current;
    const remaining = daysBetween(day, nextStart);
    const unitPrice = round4((p.price * remaining) / p.fullDays);
    const unitCost = p.cost === null ? null : round4((p.cost * remaining) / p.fullDays);
    p.charge(
      {
        name: `${input.service.name} ${day}..${period.end} (prorated)`,
        description: `${units} × ${input.service.name}, ${remaining} of ${p.fullDays} days (${event.id})`,
        effectiveDate: day, quantity: units, unitPrice, unitCost, billingCodeId: input.usageBillingCodeId, period: `${day}..${period.end}`,
        rule: `${label}: ${target} > ${current} units → the marketplace's proration of the current billing period (${remaining}/${p.fullDays} days) as a charge`,
      },
      day,
      'proration',
    );
    if (afterContract) p.notes.push(`contract ${input.contract.id} ends on ${input.contract.endDate}: the ${target} units cannot start the next billing period on it (renew the contract)`);
    else p.adjust(nextStart, target, `${label}: ${target} > ${current} units → units from the next billing period ${nextStart} (marketplace proration charged for ${day}..${period.end})`, false);
    return;
  }
  if (target < current) {
    // Lower → the next billing period.
    if (afterContract) {
      p.notes.push(`${label}: ${target} < ${current} units takes effect from the next billing period, after contract ${input.contract.id} ends on ${input.contract.endDate}: nothing to reduce on it`);
      return;
    }
    p.adjust(nextStart, target, `${label}: ${target} < ${current} units → from the next billing period ${nextStart}`, false);
    return;
  }
  // Equal → prices and costs only, where they differ.
  const priceDiffers = state.unitPrice === null ? current > 0 : Math.abs(state.unitPrice - p.price) >= 0.00005;
  const costDiffers = p.cost !== null && (state.unitCost === null ? current > 0 : Math.abs(state.unitCost - p.cost) >= 0.00005);
  if (current > 0 && (priceDiffers || costDiffers)) p.adjust(day, target, `${label}: quantity unchanged (${current}) → prices and costs only, from ${day}`);
  if (keepNextPeriod(p, target, label, nextStart) || p.writes.length) return;
  p.notes.push(`${label}: quantity unchanged (${current} units)${current > 0 ? ' and prices and costs already match' : ''}: nothing to write`);
}

/**
 * A change an earlier task scheduled for the next period (a decrease) that the marketplace has since overtaken:
 * the next period must start with `target` units too. True when it wrote a correction.
 */
function keepNextPeriod(p: Planner, target: number, label: string, nextStart: string): boolean {
  if (nextStart > p.input.contract.endDate || p.unitsOn(nextStart) === target) return false;
  return p.adjust(nextStart, target, `${label}: the next billing period ${nextStart} was set to ${p.unitsOn(nextStart)} units by an earlier change; the marketplace now has ${target}`, false) !== null;
}

/** Billing: the period's usage as a contract charge once per subscription and period, or as the period's units. */
function planUsage(p: Planner): void {
  const { input, day } = p;
  const { event, service, settings } = input;
  const usage = event.usage;
  if (!usage || usage.quantity === 0) {
    p.notes.push(usage ? `Billing: no usage in ${event.id}: nothing to write` : `Billing: ${event.vendorType} ${event.id} carries no usage (the contract service's units carry on): nothing to write`);
    return;
  }
  const from = event.period?.from.slice(0, 10) ?? day;
  const to = event.period?.to.slice(0, 10) ?? p.period.end;
  const periodLabel = `${from}..${to}`;
  if (input.usageAsUnits) {
    if (!Number.isInteger(usage.quantity)) throw refuse(`usage ${usage.quantity} of ${event.id} is not a whole number of units: bill the product's usage as a charge (remove it from usageAsUnits)`);
    if (from < input.contract.startDate || from > input.contract.endDate) throw refuse(`the usage period ${periodLabel} starts outside contract ${input.contract.id} (${input.contract.startDate} – ${input.contract.endDate})`);
    p.newQuantity = usage.quantity;
    p.adjust(from, usage.quantity, `Billing: usage ${usage.quantity} for ${periodLabel} → the period's units from ${from}`);
    return;
  }
  const marketplace = settings.priceSource === 'marketplace';
  const unitPrice = round4(marketplace ? (usage.amount !== null ? usage.amount / usage.quantity : event.unitPrice ?? service.unitPrice) : service.unitPrice);
  const cost = marketplace ? (usage.cost !== null ? usage.cost / usage.quantity : event.unitCost ?? service.unitCost) : service.unitCost;
  p.newQuantity = input.state.units;
  p.charge(
    {
      name: `${service.name} ${periodLabel}`,
      description: `Usage ${usage.quantity} × ${service.name} for ${periodLabel} (${event.id})`,
      effectiveDate: day, quantity: usage.quantity, unitPrice, unitCost: cost === null ? null : round4(cost), billingCodeId: input.usageBillingCodeId, period: periodLabel,
      rule: `Billing: usage for ${periodLabel} as a contract charge, once per subscription and period`,
    },
    from,
    periodLabel,
    true,
  );
}

/** What each affected billing period bills for this service after the writes (best effort: the state's units stand for the period's start). */
function billedAfter(p: Planner): TaskPlan['billed'] {
  const { writes, terms, input } = p;
  if (!writes.length) return [];
  try {
    const periods = new Map<string, Period>();
    for (const w of writes) {
      const period = periodContaining(terms, w.effectiveDate);
      if (period) periods.set(period.start, period);
    }
    const sorted = [...periods.values()].sort((a, b) => a.start.localeCompare(b.start));
    const first = sorted[0].start;
    let units = p.baseUnits(first);
    const changes: UnitChange[] = [{ effectiveDate: first, unitChange: units, unitPrice: input.state.unitPrice ?? p.price, unitCost: input.state.unitCost ?? p.cost }];
    // Changes Autotask already has after that (e.g. a decrease scheduled for the next period).
    for (const r of [...(input.state.rows ?? [])].sort((a, b) => a.startDate.localeCompare(b.startDate))) {
      if (r.startDate <= first || r.units === units) continue;
      changes.push({ effectiveDate: r.startDate, unitChange: r.units - units });
      units = r.units;
    }
    for (const w of writes) if (w.kind === 'adjustment') changes.push({ effectiveDate: w.effectiveDate, unitChange: w.unitChange, unitPrice: w.unitPrice, unitCost: w.unitCost });
    const rows = serviceUnitRows(terms, changes, { unitPrice: p.price, unitCost: p.cost });
    return sorted.map((period) => {
      const billed = billedFor(terms, rows, period.start);
      const charges = writes.filter((w): w is Charge => w.kind === 'charge' && w.effectiveDate >= period.start && w.effectiveDate <= period.end);
      const chargeAmount = charges.reduce((sum, c) => sum + round2(c.quantity * c.unitPrice), 0);
      const chargeCost = charges.some((c) => c.unitCost === null) ? null : charges.reduce((sum, c) => sum + round2(c.quantity * (c.unitCost as number)), 0);
      return {
        period: `${period.start}..${period.end}`,
        amount: round2(billed.amount + chargeAmount),
        costAmount: billed.costAmount === null || chargeCost === null ? null : round2(billed.costAmount + chargeCost),
      };
    });
  } catch {
    return [];
  }
}

const money = (n: number | null) => (n === null ? '-' : n.toFixed(2));
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Lines like the seed's "Configure Contract Services" table: effective date, end date, service, current quantity, quantity change, price, cost, detail. */
function summarise(p: Planner, plan: TaskPlan): string[] {
  const { input } = p;
  const lines = [
    `Contract ${input.contract.id} "${input.contract.name}" · prices from ${input.settings.priceSource === 'autotask' ? 'Autotask' : 'the marketplace'} · ${input.settings.proration === 'autotask' ? 'Autotask' : 'marketplace'} proration · ${plan.currentQuantity} → ${plan.newQuantity} units`,
  ];
  for (const w of plan.writes) {
    if (w.kind === 'adjustment') {
      lines.push(`${w.effectiveDate} | - | ${input.service.name} | current ${w.unitsBefore} | change ${signed(w.unitChange)} | price ${money(w.unitPrice)} | cost ${money(w.unitCost)} | ${w.rule}`);
    } else {
      const end = w.period ? w.period.split('..')[1] : w.effectiveDate;
      lines.push(`${w.effectiveDate} | ${end} | ${w.name} | charge | quantity ${w.quantity} | price ${money(w.unitPrice)} | cost ${money(w.unitCost)} | ${w.rule} (total ${money(round2(w.quantity * w.unitPrice))})`);
    }
  }
  lines.push(...p.notes);
  for (const b of plan.billed) lines.push(`billed for ${b.period}: ${money(b.amount)}${b.costAmount === null ? '' : ` (cost ${money(b.costAmount)})`}`);
  return lines;
}
