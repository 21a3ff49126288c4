// The pure parts of Subscription Sync besides the planner: task ids and same-day merging, intent keys, which
// contract may take a subscription, customer suggestions, and reconciliation drifts with their causes.
import { contractProblems, cycleMonths, type SubscriptionTerms } from '../../src/subscriptions/contract-choice';
import { intentKey } from '../../src/subscriptions/intent-key';
import { groupEvents, taskIdFor } from '../../src/subscriptions/merge';
import { findDrifts, type ReconcileRow } from '../../src/subscriptions/reconcile';
import { rankCompanies } from '../../src/subscriptions/suggest';
import type { ContractFacts, TaskEvent } from '../../src/subscriptions/types';

function event(id: string, over: Partial<TaskEvent> = {}): TaskEvent {
  return {
    id, type: 'change', vendorType: 'change', customerId: 'c1', subscriptionId: 's1', productId: 'p1', planId: 'p1',
    quantityBefore: null, quantityAfter: 1, effectiveDate: '2024-03-15', period: null, billingCycle: 'monthly', currency: 'EUR',
    unitPrice: 10, unitCost: null, usage: null, cancellationFee: null, createdAt: '2024-03-15T10:00:00Z', ...over,
  };
}

describe('task ids and same-day merging', () => {
  it('makes the marketplace event id safe for a workflow id', () => {
    expect(taskIdFor({ id: 'order:123' })).toBe('order:123');
    expect(taskIdFor({ id: 'pax8:change:ab/c d:2024-03-15T10:00:00.000Z' })).toBe('pax8:change:ab_c_d:2024-03-15T10:00:00.000Z');
    expect(taskIdFor({ id: 'usage:r#1' })).toMatch(/^[A-Za-z0-9._:-]+$/);
  });

  it('merges one subscription’s orders of one day into one task: first is primary, the last quantity wins', () => {
    const groups = groupEvents([
      event('a', { quantityAfter: 5, unitPrice: 10 }),
      event('b', { subscriptionId: 's2', quantityAfter: 3 }),
      event('c', { quantityAfter: 7, unitPrice: 11 }),
      event('d', { quantityAfter: 9, effectiveDate: '2024-03-16' }),
      event('e', { quantityAfter: 2, unitPrice: null }),
    ]);
    expect(groups.map((g) => [g.primary.id, g.merged.map((m) => m.id)])).toEqual([['a', ['c', 'e']], ['b', []], ['d', []]]);
    expect(groups[0].effective).toMatchObject({ id: 'a', quantityAfter: 2, unitPrice: 11 });
    expect(groups[1].effective.quantityAfter).toBe(3);
  });

  it('never merges billing events or events without a subscription', () => {
    const usage = { type: 'billing' as const, quantityAfter: null, usage: { quantity: 3, amount: 3, cost: null } };
    const groups = groupEvents([event('u1', usage), event('u2', usage), event('x', { subscriptionId: null }), event('y', { subscriptionId: null })]);
    expect(groups.map((g) => g.primary.id)).toEqual(['u1', 'u2', 'x', 'y']);
    expect(groups.every((g) => g.merged.length === 0)).toBe(true);
  });

  it('a sale stays a sale through a same-day change; a same-day cancellation wins with its fee', () => {
    const [sale] = groupEvents([event('s', { type: 'sales', quantityAfter: 3 }), event('c', { quantityAfter: 4 })]);
    expect(sale.effective).toMatchObject({ id: 's', type: 'sales', quantityAfter: 4 });
    const fee = { amount: 20, description: null };
    const [cancel] = groupEvents([event('c1', { quantityAfter: 4 }), event('x', { type: 'cancellation', quantityAfter: 0, cancellationFee: fee })]);
    expect(cancel.effective).toMatchObject({ id: 'c1', type: 'cancellation', quantityAfter: 0, cancellationFee: fee });
  });
});

describe('intent keys', () => {
  const base = { connectorId: 'c1', integrationId: 'cb', taskId: 't1', kind: 'adjustment' as const, contractId: 5, serviceId: 7, effectiveDate: '2024-04-01' };

  it('are sub: + 32 hex, the same for the same parts and different when any part differs', () => {
    expect(intentKey(base)).toMatch(/^sub:[0-9a-f]{32}$/);
    expect(intentKey({ ...base })).toBe(intentKey(base));
    const variants = [
      { connectorId: 'c2' }, { integrationId: 'px' }, { taskId: 't2' }, { kind: 'charge' as const }, { contractId: 6 }, { serviceId: null }, { effectiveDate: '2024-04-02' }, { extra: 'fee' },
    ].map((v) => intentKey({ ...base, ...v }));
    expect(new Set([intentKey(base), ...variants]).size).toBe(variants.length + 1);
  });
});

describe('contract choice', () => {
  const contract: ContractFacts = { id: 5, name: 'Monthly', companyId: 9, startDate: '2024-01-01', endDate: '2024-12-31', periodMonths: 1, currency: 'EUR', active: true };
  const terms: SubscriptionTerms = { billingCycle: 'monthly', termMonths: 12, currency: 'EUR', effectiveDate: '2024-03-15' };

  it('accepts a compatible contract (an annual commitment billed monthly fits a monthly contract)', () => {
    expect(contractProblems(contract, terms)).toEqual([]);
    expect(contractProblems({ ...contract, currency: null }, { ...terms, currency: 'USD' })).toEqual([]);
    expect(contractProblems({ ...contract, periodMonths: 12 }, { ...terms, billingCycle: 'annual' })).toEqual([]);
  });

  it('names each problem: billing cycle, currency, inactive, date outside', () => {
    expect(contractProblems({ ...contract, periodMonths: 12 }, terms)).toEqual([expect.stringMatching(/billing cycle mismatch: the subscription is billed monthly, contract 5 yearly/)]);
    expect(contractProblems(contract, { ...terms, currency: 'usd' })).toEqual([expect.stringMatching(/currency mismatch: the subscription is in USD, contract 5 .* in EUR/)]);
    expect(contractProblems({ ...contract, active: false }, terms)).toEqual([expect.stringMatching(/not an active/)]);
    expect(contractProblems(contract, { ...terms, effectiveDate: '2025-02-01' })).toEqual([expect.stringMatching(/2025-02-01 is outside contract 5 \(2024-01-01 – 2024-12-31\)/)]);
    expect(contractProblems({ ...contract, active: false, periodMonths: 3 }, { ...terms, currency: 'GBP', effectiveDate: '2023-01-01' })).toHaveLength(4);
  });

  it('maps billing cycles to months', () => {
    expect([cycleMonths('monthly'), cycleMonths('annual'), cycleMonths('one_time'), cycleMonths('other'), cycleMonths(null)]).toEqual([1, 12, null, null, null]);
  });
});

describe('customer suggestions', () => {
  const companies = [
    { id: 1, name: 'Blue Sky Group' },
    { id: 2, name: 'Cobweb Systems' },
    { id: 3, name: 'Cobweb Solutions Limited' },
    { id: 4, name: 'Albany Apple Store', webAddress: 'https://www.albany-apple.com/shop', phone: '+1 (555) 010-2000' },
    { id: 5, name: 'A1 Facilities Management', phone: '+44 1329 123456' },
  ];

  it('ranks the same name first, ignoring case, punctuation and the legal form (Ltd = Limited)', () => {
    const [top, second] = rankCompanies({ name: 'COBWEB SOLUTIONS LTD.', email: null, phone: null, domain: null }, companies);
    expect(top).toMatchObject({ id: 3, why: 'same name' });
    expect(top.score).toBeGreaterThanOrEqual(0.9);
    expect(second.id).toBe(2);
    expect(second.score).toBeLessThan(0.9);
  });

  it('finds a company by its web domain (from the customer’s domain or e-mail) despite another name', () => {
    const byDomain = rankCompanies({ name: 'Apple Retail Albany NY', email: 'it@albany-apple.com', phone: null, domain: null }, companies);
    expect(byDomain[0]).toMatchObject({ id: 4 });
    expect(byDomain[0].why).toMatch(/same domain albany-apple.com/);
    // A shared mail provider proves nothing.
    expect(rankCompanies({ name: 'Zzz', email: 'someone@gmail.com', phone: null, domain: null }, [{ id: 9, name: 'Qqq', email: 'other@gmail.com' }])).toEqual([]);
  });

  it('finds a company by phone whatever the formatting and country prefix', () => {
    const byPhone = rankCompanies({ name: 'Facilities Mgmt Fareham', email: null, phone: '01329 123456', domain: null }, companies);
    expect(byPhone[0]).toMatchObject({ id: 5 });
    expect(byPhone[0].why).toMatch(/same phone/);
  });

  it('combines evidence, orders by score and honours the limit', () => {
    const all = rankCompanies({ name: 'Albany Apple Store Inc', email: null, phone: '555-010-2000', domain: 'albany-apple.com' }, companies, 1);
    expect(all).toHaveLength(1);
    expect(all[0].id).toBe(4);
    expect(all[0].score).toBeGreaterThan(0.99);
    expect(all[0].why).toMatch(/same name, same domain .*, same phone/);
    const ranked = rankCompanies({ name: 'Cobweb', email: null, phone: null, domain: null }, companies);
    expect(ranked.map((s) => s.score)).toEqual([...ranked.map((s) => s.score)].sort((a, b) => b - a));
  });
});

describe('reconciliation drifts', () => {
  const row = (over: Partial<ReconcileRow>): ReconcileRow => ({
    subscriptionId: 's1', customerId: 'c1', productId: 'p1', mapped: true, pendingTasks: 0,
    marketplace: { quantity: 5, price: 10, cost: 6 }, autotask: { units: 5, price: 10, cost: 6 }, ...over,
  });

  it('finds nothing where both sides agree, and no price drift when Autotask owns prices', () => {
    expect(findDrifts([row({})], 'marketplace')).toEqual([]);
    expect(findDrifts([row({ autotask: { units: 5, price: 14, cost: 6 } })], 'autotask')).toEqual([]);
  });

  it('tells a manual edit in Autotask from a missed task and from a pending one', () => {
    const [manual] = findDrifts([row({ autotask: { units: 7, price: 10, cost: 6 }, synced: { quantity: 5, price: 10, cost: 6 } })], 'autotask');
    expect(manual).toMatchObject({ field: 'quantity', marketplace: 5, autotask: 7 });
    expect(manual.cause).toMatch(/^manual edit in Autotask/);
    const [missed] = findDrifts([row({ marketplace: { quantity: 8, price: 10, cost: 6 }, synced: { quantity: 5, price: 10, cost: 6 } })], 'autotask');
    expect(missed.cause).toMatch(/^missed task/);
    const [pending] = findDrifts([row({ marketplace: { quantity: 8, price: 10, cost: 6 }, pendingTasks: 2 })], 'autotask');
    expect(pending.cause).toMatch(/2 sync tasks not synced yet/);
  });

  it('reports unmapped subscriptions, missed sales and missed cancellations', () => {
    const drifts = findDrifts([
      row({ subscriptionId: 'u', mapped: false }),
      row({ subscriptionId: 'new', autotask: null }),
      row({ subscriptionId: 'gone', marketplace: null }),
    ], 'autotask');
    expect(drifts.map((d) => [d.subscriptionId, d.field])).toEqual([['u', 'mapping'], ['new', 'quantity'], ['gone', 'quantity']]);
    expect(drifts[0].cause).toMatch(/unmapped/);
    expect(drifts[1].cause).toMatch(/missed sales task/);
    expect(drifts[2].cause).toMatch(/missed cancellation task/);
  });

  it('does not count a decrease scheduled for the next period as drift', () => {
    expect(findDrifts([row({ marketplace: { quantity: 3, price: 10, cost: 6 }, autotask: { units: 5, price: 10, cost: 6, nextUnits: 3 } })], 'autotask')).toEqual([]);
    expect(findDrifts([row({ marketplace: { quantity: 3, price: 10, cost: 6 }, autotask: { units: 5, price: 10, cost: 6, nextUnits: 5 } })], 'autotask')).toHaveLength(1);
  });

  it('reports price and cost drift where the marketplace owns prices', () => {
    const drifts = findDrifts([row({ autotask: { units: 5, price: 12, cost: 6.5 }, synced: { quantity: 5, price: 10, cost: 6 } })], 'marketplace');
    expect(drifts.map((d) => [d.field, d.marketplace, d.autotask])).toEqual([['price', 10, 12], ['cost', 6, 6.5]]);
    expect(drifts[0].cause).toMatch(/manual edit in Autotask/);
  });
});
