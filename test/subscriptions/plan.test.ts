// The Subscription Sync planner (pure): seed 004's quantity rules, proration, price source, cancellation fees,
// usage billing, date collisions and refusals. Expected amounts are computed here from the rules, not copied.
import { BridgeError } from '../../src/failures';
import { intentKey } from '../../src/subscriptions/intent-key';
import { planTask, type PlanInput } from '../../src/subscriptions/plan';
import type { ContractFacts, PlannedWrite, ServiceFacts, ServiceState, TaskEvent } from '../../src/subscriptions/types';

const CONTRACT: ContractFacts = { id: 500, name: 'Invt (Standard) - Monthly', companyId: 9, startDate: '2024-01-01', endDate: '2024-12-31', periodMonths: 1, currency: 'EUR', active: true };
const SERVICE: ServiceFacts = { id: 70, name: 'Office 365 E3', unitPrice: 10, unitCost: 6, periodMonths: 1, active: true };
const round2 = (n: number) => Math.round(n * 100) / 100;

function event(over: Partial<TaskEvent> = {}): TaskEvent {
  return {
    id: 'order:1', type: 'change', vendorType: 'change', customerId: 'c1', subscriptionId: 's1', productId: 'p1', planId: 'p1',
    quantityBefore: null, quantityAfter: 8, effectiveDate: '2024-03-15', period: null, billingCycle: 'monthly', currency: 'EUR',
    unitPrice: 12, unitCost: 9, usage: null, cancellationFee: null, createdAt: '2024-03-15T10:00:00Z', ...over,
  };
}

function input(over: Partial<Omit<PlanInput, 'state' | 'event'>> & { state?: Partial<ServiceState>; event?: Partial<TaskEvent> } = {}): PlanInput {
  const { state, event: ev, ...rest } = over;
  const type = rest.type ?? ev?.type ?? 'change';
  return {
    taskId: 'order_1', connectorId: 'c1', integrationId: 'cb', type, contract: CONTRACT, service: SERVICE,
    settings: { priceSource: 'autotask', proration: 'autotask' }, usageAsUnits: false, fee: null, usageBillingCodeId: 29,
    ...rest,
    event: event({ type, ...ev }),
    state: { contractServiceId: 800, serviceId: 70, units: 5, unitPrice: 10, unitCost: 6, adjustmentDates: ['2024-01-01'], ...state },
  };
}

const adjustments = (writes: PlannedWrite[]) => writes.filter((w) => w.kind === 'adjustment');
const charges = (writes: PlannedWrite[]) => writes.filter((w) => w.kind === 'charge');

describe('planTask: quantity rules (seed 004)', () => {
  it('higher quantity → one adjustment in the current billing period, dated the order (Autotask prorates)', () => {
    const plan = planTask(input({ event: { quantityAfter: 8 } }));
    expect(plan).toMatchObject({ currentQuantity: 5, newQuantity: 8, contractId: 500, serviceId: 70 });
    expect(plan.writes).toEqual([expect.objectContaining({ kind: 'adjustment', effectiveDate: '2024-03-15', unitChange: 3, unitsBefore: 5, unitPrice: 10, unitCost: 6, contractServiceId: 800 })]);
    // March: 5 units for 14 of 31 days, then 8 units for 17 days.
    const march = round2(round2((5 * 10 * 14) / 31) + round2((8 * 10 * 17) / 31));
    expect(plan.billed).toEqual([{ period: '2024-03-01..2024-03-31', amount: march, costAmount: round2(round2((5 * 6 * 14) / 31) + round2((8 * 6 * 17) / 31)) }]);
    expect(plan.summary.some((l) => l.startsWith('2024-03-15 | - | Office 365 E3 | current 5 | change +3 | price 10.00 | cost 6.00 |') && /current billing period/.test(l))).toBe(true);
  });

  it('higher quantity with marketplace proration → units from the next period plus the prorated remainder as a charge', () => {
    const plan = planTask(input({ settings: { priceSource: 'autotask', proration: 'marketplace' } }));
    const [adj] = adjustments(plan.writes);
    expect(adj).toMatchObject({ effectiveDate: '2024-04-01', unitChange: 3, unitsBefore: 5 });
    const [charge] = charges(plan.writes);
    // 15 March to 31 March is 17 of March's 31 days.
    expect(charge).toMatchObject({ effectiveDate: '2024-03-15', quantity: 3, billingCodeId: 29, period: '2024-03-15..2024-03-31' });
    expect(charge.kind === 'charge' && round2(charge.quantity * charge.unitPrice)).toBe(round2((3 * 10 * 17) / 31));
    expect(charge.kind === 'charge' && charge.unitCost).toBeCloseTo((6 * 17) / 31, 3);
    // March bills the 5 old units in full plus the charge; April bills 8 units.
    expect(plan.billed).toEqual([
      { period: '2024-03-01..2024-03-31', amount: round2(50 + round2(3 * charge.unitPrice)), costAmount: expect.any(Number) },
      { period: '2024-04-01..2024-04-30', amount: 80, costAmount: 48 },
    ]);
  });

  it('marketplace proration on the first day of a period needs no charge', () => {
    const plan = planTask(input({ settings: { priceSource: 'autotask', proration: 'marketplace' }, event: { effectiveDate: '2024-03-01' } }));
    expect(charges(plan.writes)).toEqual([]);
    expect(adjustments(plan.writes)).toEqual([expect.objectContaining({ effectiveDate: '2024-03-01', unitChange: 3 })]);
  });

  it.each(['autotask', 'marketplace'] as const)('lower quantity → from the next billing period (proration %s)', (proration) => {
    const plan = planTask(input({ settings: { priceSource: 'autotask', proration }, event: { quantityAfter: 2 } }));
    expect(plan.writes).toEqual([expect.objectContaining({ kind: 'adjustment', effectiveDate: '2024-04-01', unitChange: -3, unitsBefore: 5 })]);
    expect(plan.billed.map((b) => b.period)).toEqual(['2024-04-01..2024-04-30']);
    expect(plan.billed[0].amount).toBe(20);
  });

  it('equal quantity → prices and costs only, and nothing when they already match', () => {
    const same = planTask(input({ event: { quantityAfter: 5 } }));
    expect(same.writes).toEqual([]);
    expect(same.summary.join('\n')).toMatch(/quantity unchanged \(5 units\) and prices and costs already match: nothing to write/);
    const priced = planTask(input({ event: { quantityAfter: 5 }, settings: { priceSource: 'marketplace', proration: 'autotask' } }));
    expect(priced.writes).toEqual([expect.objectContaining({ kind: 'adjustment', effectiveDate: '2024-03-15', unitChange: 0, unitPrice: 12, unitCost: 9 })]);
    expect(priced.writes[0].kind === 'adjustment' && priced.writes[0].rule).toMatch(/prices and costs only/);
  });

  it('price source: Autotask takes the service prices, the marketplace its own (falling back to the service)', () => {
    expect(planTask(input()).writes[0]).toMatchObject({ unitPrice: 10, unitCost: 6 });
    expect(planTask(input({ settings: { priceSource: 'marketplace', proration: 'autotask' } })).writes[0]).toMatchObject({ unitPrice: 12, unitCost: 9 });
    const fallback = planTask(input({ settings: { priceSource: 'marketplace', proration: 'autotask' }, event: { unitPrice: null, unitCost: null } }));
    expect(fallback.writes[0]).toMatchObject({ unitPrice: 10, unitCost: 6 });
    expect(fallback.priceSource).toBe('marketplace');
  });

  it('sales take the existing contract service into account', () => {
    const fresh = planTask(input({ type: 'sales', event: { quantityAfter: 4 }, state: { contractServiceId: null, units: 0, unitPrice: null, unitCost: null, adjustmentDates: [] } }));
    expect(fresh.writes).toEqual([expect.objectContaining({ effectiveDate: '2024-03-15', unitChange: 4, unitsBefore: 0, contractServiceId: null })]);
    const existingHigher = planTask(input({ type: 'sales', event: { quantityAfter: 4 }, state: { units: 6 } }));
    expect(existingHigher.writes).toEqual([expect.objectContaining({ effectiveDate: '2024-04-01', unitChange: -2 })]);
  });
});

describe('planTask: cancellation', () => {
  const fee = { amount: 25, description: 'Early termination' };

  it('sets the quantity to zero from the next period and charges the mapped fee on the cancellation date', () => {
    const plan = planTask(input({ type: 'cancellation', event: { quantityAfter: 0, cancellationFee: fee }, fee: { billingCodeId: 31, chargeName: 'Cancellation fee' } }));
    expect(plan.newQuantity).toBe(0);
    expect(adjustments(plan.writes)).toEqual([expect.objectContaining({ effectiveDate: '2024-04-01', unitChange: -5 })]);
    expect(charges(plan.writes)).toEqual([expect.objectContaining({ name: 'Cancellation fee', effectiveDate: '2024-03-15', quantity: 1, unitPrice: 25, billingCodeId: 31 })]);
    // March still bills the 5 units plus the fee.
    expect(plan.billed[0]).toMatchObject({ period: '2024-03-01..2024-03-31', amount: 75 });
  });

  it('refuses to plan with an unmapped fee, saying how to map it', () => {
    const run = () => planTask(input({ type: 'cancellation', event: { cancellationFee: fee } }));
    expect(run).toThrow(BridgeError);
    try {
      run();
    } catch (err) {
      expect(err).toMatchObject({ kind: 'validation', source: 'engine' });
      expect((err as Error).message).toMatch(/^fee: the cancellation fee of 25 EUR \(Early termination\).*mapping fees map/);
    }
  });

  it('without a fee writes only the reduction; a service already at zero needs nothing', () => {
    expect(planTask(input({ type: 'cancellation' })).writes).toHaveLength(1);
    const none = planTask(input({ type: 'cancellation', state: { units: 0 } }));
    expect(none.writes).toEqual([]);
  });

  it('a reduction that would start after the contract ends writes nothing on it', () => {
    const plan = planTask(input({ type: 'cancellation', contract: { ...CONTRACT, endDate: '2024-03-31' } }));
    expect(plan.writes).toEqual([]);
    expect(plan.summary.join('\n')).toMatch(/after contract 500 ends on 2024-03-31/);
  });
});

describe('planTask: billing (usage)', () => {
  const usage = { type: 'billing' as const, quantityAfter: null, effectiveDate: '2024-02-01', period: { from: '2024-02-01', to: '2024-02-29' }, usage: { quantity: 40, amount: 100, cost: 60 } };

  it('posts the period’s usage as one charge, priced by the price source', () => {
    const mp = planTask(input({ event: usage, settings: { priceSource: 'marketplace', proration: 'autotask' } }));
    expect(mp.writes).toEqual([
      expect.objectContaining({ kind: 'charge', name: 'Office 365 E3 2024-02-01..2024-02-29', quantity: 40, unitPrice: 100 / 40, unitCost: 60 / 40, period: '2024-02-01..2024-02-29', billingCodeId: 29, effectiveDate: '2024-02-01' }),
    ]);
    const at = planTask(input({ event: usage }));
    expect(at.writes[0]).toMatchObject({ unitPrice: 10, unitCost: 6 });
  });

  it('keys the charge by subscription and period: a second record of the same period plans the same key', () => {
    const a = planTask(input({ event: usage }));
    const b = planTask(input({ taskId: 'usage_other_report', event: { ...usage, id: 'usage:other' } }));
    expect(b.writes[0].key).toBe(a.writes[0].key);
    const march = planTask(input({ event: { ...usage, effectiveDate: '2024-03-01', period: { from: '2024-03-01', to: '2024-03-31' } } }));
    expect(march.writes[0].key).not.toBe(a.writes[0].key);
  });

  it('with usageAsUnits sets the period’s units on the period start instead', () => {
    const plan = planTask(input({ event: { ...usage, usage: { quantity: 7, amount: null, cost: null } }, usageAsUnits: true }));
    expect(plan.writes).toEqual([expect.objectContaining({ kind: 'adjustment', effectiveDate: '2024-02-01', unitChange: 2, unitsBefore: 5 })]);
    expect(plan.newQuantity).toBe(7);
    expect(() => planTask(input({ event: { ...usage, usage: { quantity: 7.5, amount: null, cost: null } }, usageAsUnits: true }))).toThrow(/not a whole number/);
  });

  it('a billing record without usage (a renewal) writes nothing', () => {
    const plan = planTask(input({ event: { ...usage, usage: null } }));
    expect(plan.writes).toEqual([]);
    expect(plan.summary.join('\n')).toMatch(/carries no usage/);
  });
});

describe('planTask: dates and keys', () => {
  it('moves an adjustment off a date an earlier one already took, keeping its key', () => {
    const free = planTask(input({ event: { quantityAfter: 2 } }));
    const taken = planTask(input({ event: { quantityAfter: 2 }, state: { adjustmentDates: ['2024-01-01', '2024-04-01', '2024-04-02'] } }));
    expect(taken.writes[0]).toMatchObject({ effectiveDate: '2024-04-03', unitChange: -3 });
    expect(taken.writes[0].kind === 'adjustment' && taken.writes[0].rule).toMatch(/moved from 2024-04-01 to 2024-04-03: an earlier adjustment already starts on 2024-04-01/);
    expect(taken.writes[0].key).toBe(free.writes[0].key);
  });

  it('computes a later adjustment from the units it will meet there', () => {
    // An earlier task already scheduled 5 → 3 for April; now the marketplace says 4.
    const plan = planTask(input({ event: { quantityAfter: 4 }, state: { units: 5, rows: [{ startDate: '2024-03-01', endDate: '2024-03-31', units: 5 }, { startDate: '2024-04-01', endDate: '2024-04-30', units: 3 }], adjustmentDates: ['2024-04-01'] } }));
    expect(plan.writes).toEqual([expect.objectContaining({ effectiveDate: '2024-04-02', unitChange: 1, unitsBefore: 3 })]);
  });

  it('keeps the next period at the marketplace quantity when an earlier decrease scheduled there was overtaken', () => {
    // 5 → 3 was scheduled for April; now the marketplace is back at 5 (equal) or up to 6 (higher).
    const state = { units: 5, rows: [{ startDate: '2024-03-01', endDate: '2024-03-31', units: 5 }, { startDate: '2024-04-01', endDate: '2024-04-30', units: 3 }], adjustmentDates: ['2024-01-01', '2024-04-01'] };
    const equal = planTask(input({ event: { quantityAfter: 5 }, state }));
    expect(equal.writes).toEqual([expect.objectContaining({ effectiveDate: '2024-04-02', unitChange: 2, unitsBefore: 3 })]);
    const higher = planTask(input({ event: { quantityAfter: 6 }, state }));
    expect(higher.writes).toEqual([
      expect.objectContaining({ effectiveDate: '2024-03-15', unitChange: 1, unitsBefore: 5 }),
      expect.objectContaining({ effectiveDate: '2024-04-02', unitChange: 2, unitsBefore: 4 }),
    ]);
    expect(new Set(higher.writes.map((w) => w.key)).size).toBe(2);
    // April: 4 units on the 1st (the old decrease plus today's +1), 6 from the 2nd.
    expect(higher.billed[1]).toMatchObject({ period: '2024-04-01..2024-04-30', amount: round2(round2((4 * 10 * 1) / 30) + round2((6 * 10 * 29) / 30)) });
  });

  it('refuses dates outside the contract and inactive contracts with the reason', () => {
    expect(() => planTask(input({ event: { effectiveDate: '2025-01-10' } }))).toThrow(/the effective date 2025-01-10 is outside contract 500 .*2024-01-01 – 2024-12-31/);
    expect(() => planTask(input({ contract: { ...CONTRACT, active: false } }))).toThrow(/not an active/);
    try {
      planTask(input({ event: { effectiveDate: '2023-12-31' } }));
    } catch (err) {
      expect(err).toMatchObject({ kind: 'validation', source: 'engine' });
    }
    expect.assertions(3);
  });

  it('plans the same keys for the same task and different keys for another', () => {
    const a = planTask(input({ settings: { priceSource: 'autotask', proration: 'marketplace' } }));
    const again = planTask(input({ settings: { priceSource: 'autotask', proration: 'marketplace' } }));
    expect(again.writes.map((w) => w.key)).toEqual(a.writes.map((w) => w.key));
    expect(new Set(a.writes.map((w) => w.key)).size).toBe(2);
    expect(a.writes[1].key).toBe(intentKey({ connectorId: 'c1', integrationId: 'cb', taskId: 'order_1', kind: 'adjustment', contractId: 500, serviceId: 70, effectiveDate: '2024-04-01' }));
    const other = planTask(input({ taskId: 'order_2', settings: { priceSource: 'autotask', proration: 'marketplace' } }));
    expect(other.writes.map((w) => w.key).some((k) => a.writes.some((w) => w.key === k))).toBe(false);
  });
});
