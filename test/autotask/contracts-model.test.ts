// The pure recurring-service billing model the simulator uses for ContractServiceUnits.
import { addChange, billedFor, billingPeriods, dayOf, DUPLICATE_PERIOD, serviceUnitRows, type ContractTerms } from '../../src/autotask/sim/contract-model';

const YEAR: ContractTerms = { startDate: '2024-01-01', endDate: '2024-12-31', periodMonths: 1 };

describe('billing periods', () => {
  it('cuts monthly, quarterly and anchored periods, the last at the end date', () => {
    expect(billingPeriods(YEAR)).toHaveLength(12);
    expect(billingPeriods(YEAR)[1]).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(billingPeriods({ ...YEAR, periodMonths: 3 }).map((p) => p.start)).toEqual(['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01']);
    const anchored = billingPeriods({ startDate: '2024-01-31', endDate: '2024-04-15', periodMonths: 1 });
    expect(anchored).toEqual([
      { start: '2024-01-31', end: '2024-02-28' },
      { start: '2024-02-29', end: '2024-03-30' },
      { start: '2024-03-31', end: '2024-04-15' },
    ]);
  });

  it('reads Autotask date-times as UTC days', () => {
    expect(dayOf('2024-03-01T00:00:00')).toBe('2024-03-01');
    expect(dayOf('2024-03-01T23:30:00-02:00')).toBe('2024-03-02');
    expect(() => dayOf('March')).toThrow(/not a valid date/);
  });
});

describe('adjustments', () => {
  it('rejects a second adjustment on the same day with Autotask’s text, and dates outside the contract', () => {
    const one = addChange(YEAR, [], { effectiveDate: '2024-03-01', unitChange: 5 });
    expect(() => addChange(YEAR, one, { effectiveDate: '2024-03-01', unitChange: 1 })).toThrow(DUPLICATE_PERIOD);
    expect(() => addChange(YEAR, one, { effectiveDate: '2025-01-01', unitChange: 1 })).toThrow(/between the contract's start date/);
    expect(() => addChange(YEAR, one, { effectiveDate: '2023-12-31', unitChange: 1 })).toThrow(/between/);
  });

  it('refuses to take units below zero, including through an earlier-dated change', () => {
    const list = addChange(YEAR, addChange(YEAR, [], { effectiveDate: '2024-03-01', unitChange: 5 }), { effectiveDate: '2024-05-01', unitChange: -5 });
    expect(() => addChange(YEAR, list, { effectiveDate: '2024-04-01', unitChange: 2 })).not.toThrow();
    expect(() => addChange(YEAR, list, { effectiveDate: '2024-04-01', unitChange: -1 })).toThrow(/-1 units of the service on 2024-05-01/);
    expect(() => addChange(YEAR, list, { effectiveDate: '2024-02-01', unitChange: -1 })).toThrow(/cannot be negative/);
  });
});

describe('units and billing', () => {
  const changes = [
    { effectiveDate: '2024-03-01', unitChange: 10, unitPrice: 12 },
    { effectiveDate: '2024-03-16', unitChange: 5 },
    { effectiveDate: '2024-04-11', unitChange: -3, unitPrice: 11 },
  ];
  const rows = serviceUnitRows(YEAR, changes, { unitPrice: 20, unitCost: 8 });

  it('writes one row per period from the first adjustment, split at each effective date', () => {
    expect(rows[0]).toMatchObject({ startDate: '2024-03-01', endDate: '2024-03-16', units: 10, price: 12, days: 15 });
    expect(rows[1]).toMatchObject({ startDate: '2024-03-16', endDate: '2024-03-31', units: 15, price: 12, days: 16 });
    expect(rows[2]).toMatchObject({ startDate: '2024-04-01', endDate: '2024-04-11', units: 15, days: 10 });
    expect(rows[3]).toMatchObject({ startDate: '2024-04-11', endDate: '2024-04-30', units: 12, price: 11, days: 20 });
    expect(rows.slice(4).map((r) => r.startDate)).toEqual(['2024-05-01', '2024-06-01', '2024-07-01', '2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01']);
    expect(rows.slice(4).every((r) => r.units === 12)).toBe(true);
  });

  it('prorates each row by its days of the period', () => {
    const march = billedFor(YEAR, rows, '2024-03-20');
    // 10 × 12 × 15/31 + 15 × 12 × 16/31 = 58.06 + 92.90
    expect(march.lines.map((l) => l.amount)).toEqual([58.06, 92.9]);
    expect(march.amount).toBe(150.96);
    expect(march.costAmount).toBe(100.65);
    expect(march.endUnits).toBe(15);
    expect(billedFor(YEAR, rows, '2024-06-01')).toMatchObject({ amount: 132, period: { start: '2024-06-01', end: '2024-06-30' }, endUnits: 12 });
    expect(billedFor(YEAR, rows, '2024-02-10')).toMatchObject({ amount: 0, lines: [] });
  });
});
