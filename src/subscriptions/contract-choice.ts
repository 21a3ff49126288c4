// Which Autotask contract may take a marketplace subscription (seed 004: "Contracts with the same billing cycle
// must be selected here … The Contract currency and the currency in Reseller Marketplace must be the same"). Pure.
import type { BillingCycle } from '../marketplaces/adapter';
import type { ContractFacts } from './types';

export interface SubscriptionTerms { billingCycle: BillingCycle | null; termMonths: number | null; currency: string | null; effectiveDate: string }

const PERIOD_NAMES: Record<number, string> = { 1: 'monthly', 3: 'quarterly', 6: 'semi-annual', 12: 'yearly' };

export function periodName(months: number): string {
  return PERIOD_NAMES[months] ?? `every ${months} months`;
}

/** Why this contract cannot take the subscription (empty: it can). Same billing cycle (monthly sub → monthly
 *  contract, annual → yearly), same currency (when both known), active recurring contract, date inside the contract. */
export function contractProblems(contract: ContractFacts, terms: SubscriptionTerms): string[] {
  const problems: string[] = [];
  if (!contract.active) problems.push(`contract ${contract.id} "${contract.name}" is not an active (In Effect) recurring service contract`);
  const months = cycleMonths(terms.billingCycle);
  // The commitment term (termMonths) is not the billing cycle: an annual commitment may be billed monthly.
  if (months !== null && months !== contract.periodMonths) {
    problems.push(`billing cycle mismatch: the subscription is billed ${periodName(months)}, contract ${contract.id} ${periodName(contract.periodMonths)}`);
  }
  if (terms.currency && contract.currency && terms.currency.toUpperCase() !== contract.currency.toUpperCase()) {
    problems.push(`currency mismatch: the subscription is in ${terms.currency.toUpperCase()}, contract ${contract.id} (its company) in ${contract.currency.toUpperCase()}`);
  }
  const day = terms.effectiveDate.slice(0, 10);
  if (day < contract.startDate || day > contract.endDate) {
    problems.push(`the effective date ${day} is outside contract ${contract.id} (${contract.startDate} – ${contract.endDate})`);
  }
  return problems;
}

/** Billing cycle → months per billing period (monthly 1, annual 12, other/one_time null). */
export function cycleMonths(cycle: BillingCycle | null): number | null {
  return cycle === 'monthly' ? 1 : cycle === 'annual' ? 12 : null;
}
