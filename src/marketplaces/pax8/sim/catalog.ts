// The simulated Pax8 catalog: a dozen products modelled on Pax8's public catalog (Microsoft NCE
// licences with monthly and annual commitments, usage-billed Azure and backup storage, security
// and SaaS add-ons), priced in USD and CAD. Prices are illustrative, not Pax8's.
import type { BillingTerm } from '../schemas';

export type SimCurrency = 'USD' | 'CAD';
export const SIM_CURRENCIES: readonly SimCurrency[] = ['USD', 'CAD'];

export interface SimCommitment {
  id: string;
  term: 'Monthly' | 'Annual' | '3-Year';
  months: number;
  allowForQuantityIncrease: boolean;
  allowForQuantityDecrease: boolean;
  allowForEarlyCancellation: boolean;
  cancellationFeeApplied: boolean;
}

export interface SimPlan {
  billingTerm: BillingTerm;
  /** Id of one of the product's commitments (products that require one). */
  commitmentId?: string;
  type: 'Flat' | 'Volume';
  /** Per unit, first tier; Volume plans add a cheaper tier from 100 units. */
  rates: Record<SimCurrency, { buy: number; srp: number }>;
}

export interface SimProduct {
  id: string;
  name: string;
  vendorName: string;
  shortDescription: string;
  sku: string;
  vendorSku: string;
  requiresCommitment: boolean;
  /** Billed in arrears from usage (Azure, storage) rather than per seat. */
  usageBased: boolean;
  unitOfMeasurement: string;
  commitments: SimCommitment[];
  plans: SimPlan[];
}

/** Deterministic uuid: `prefix` (hex, ≤ 8 chars) names the kind of record, `n` counts. */
export function simUuid(prefix: string, n: number): string {
  const head = prefix.padEnd(8, '0').slice(0, 8);
  const tail = n.toString(16).padStart(12, '0');
  return `${head}-0000-4000-8000-${tail}`;
}

/** CAD list prices: USD × 1.36, rounded to cents (illustrative rate). */
const cad = (usd: number) => Math.round(usd * 136) / 100;
const price = (buy: number, srp: number): Record<SimCurrency, { buy: number; srp: number }> => ({ USD: { buy, srp }, CAD: { buy: cad(buy), srp: cad(srp) } });

let commitmentSeq = 0;
function commitments(kinds: Array<'Monthly' | 'Annual' | '3-Year'>): SimCommitment[] {
  return kinds.map((term) => ({
    id: simUuid('c0441', ++commitmentSeq),
    term,
    months: term === 'Monthly' ? 1 : term === 'Annual' ? 12 : 36,
    allowForQuantityIncrease: true,
    // Microsoft NCE: seats can only be reduced on monthly terms (and in the first days, ignored here).
    allowForQuantityDecrease: term === 'Monthly',
    allowForEarlyCancellation: term === 'Monthly',
    cancellationFeeApplied: term !== 'Monthly',
  }));
}

/** An NCE licence: monthly term billed monthly, annual term billed monthly or annually. */
function nce(n: number, name: string, vendorSku: string, buy: number, srp: number): SimProduct {
  const c = commitments(['Monthly', 'Annual']);
  // Annual commitments are cheaper per month (Microsoft's 20% monthly-term premium, reversed).
  const annual = (v: number) => Math.round((v / 1.2) * 100) / 100;
  return {
    id: simUuid('a0d0c7', n), name, vendorName: 'Microsoft', shortDescription: `${name} (NCE)`, sku: `MST-NCE-${100 + n}`, vendorSku,
    requiresCommitment: true, usageBased: false, unitOfMeasurement: 'User', commitments: c,
    plans: [
      { billingTerm: 'Monthly', commitmentId: c[0].id, type: 'Flat', rates: price(buy, srp) },
      { billingTerm: 'Monthly', commitmentId: c[1].id, type: 'Flat', rates: price(annual(buy), annual(srp)) },
      { billingTerm: 'Annual', commitmentId: c[1].id, type: 'Flat', rates: price(Math.round(annual(buy) * 1200) / 100, Math.round(annual(srp) * 1200) / 100) },
    ],
  };
}

function saas(n: number, vendorName: string, name: string, unit: string, terms: BillingTerm[], buy: number, srp: number, type: 'Flat' | 'Volume' = 'Flat'): SimProduct {
  return {
    id: simUuid('a0d0c7', n), name, vendorName, shortDescription: name, sku: `${vendorName.slice(0, 3).toUpperCase()}-${200 + n}`, vendorSku: `${vendorName.slice(0, 2).toUpperCase()}${1000 + n}`,
    requiresCommitment: false, usageBased: false, unitOfMeasurement: unit, commitments: [],
    plans: terms.map((billingTerm) => {
      const k = billingTerm === 'Annual' ? 12 : 1;
      return { billingTerm, type, rates: price(Math.round(buy * k * 100) / 100, Math.round(srp * k * 100) / 100) };
    }),
  };
}

function usage(n: number, vendorName: string, name: string, unit: string, buy: number, srp: number): SimProduct {
  return {
    id: simUuid('a0d0c7', n), name, vendorName, shortDescription: `${name}, billed monthly in arrears`, sku: `${vendorName.slice(0, 3).toUpperCase()}-U${n}`, vendorSku: `${vendorName.slice(0, 2).toUpperCase()}-USAGE-${n}`,
    requiresCommitment: false, usageBased: true, unitOfMeasurement: unit, commitments: [],
    plans: [{ billingTerm: 'Monthly', type: 'Flat', rates: price(buy, srp) }],
  };
}

export function buildCatalog(): SimProduct[] {
  commitmentSeq = 0;
  return [
    nce(1, 'Microsoft 365 Business Basic', 'CFQ7TTC0LH18:0001', 5.4, 6.0),
    nce(2, 'Microsoft 365 Business Standard', 'CFQ7TTC0LDPB:0001', 11.25, 12.5),
    nce(3, 'Microsoft 365 Business Premium', 'CFQ7TTC0LCHC:0002', 19.8, 22.0),
    nce(4, 'Microsoft 365 E3', 'CFQ7TTC0LFLX:0001', 32.4, 36.0),
    nce(5, 'Exchange Online (Plan 1)', 'CFQ7TTC0LH16:0001', 3.6, 4.0),
    saas(6, 'Proofpoint', 'Proofpoint Essentials - Business', 'User', ['Monthly'], 2.6, 3.5),
    saas(7, 'Dropbox', 'Dropbox Business Standard', 'User', ['Monthly', 'Annual'], 12.0, 15.0),
    saas(8, 'Keeper Security', 'Keeper Business', 'User', ['Annual'], 2.9, 3.75),
    saas(9, 'SentinelOne', 'SentinelOne Singularity Core', 'Endpoint', ['Monthly'], 4.2, 6.0, 'Volume'),
    usage(10, 'Microsoft', 'Microsoft Azure Plan', 'Usage Unit', 1.0, 1.1),
    usage(11, 'Acronis', 'Acronis Cyber Protect Cloud - Backup Storage', 'GB', 0.04, 0.06),
  ];
}
