// Marketplace customers ↔ Autotask companies: finding the companies that may be a customer (a few
// Autotask queries by name words, phone and web address), ranking them (pure, ./suggest), deciding
// whether a suggestion is clear enough to map without an operator, and checking that a mapped
// company still exists and is active (a deleted or inactive company is flagged, never reused).
import { f, type AutotaskClient } from '../autotask';
import type { MarketplaceCustomer } from '../marketplaces/adapter';
import { rankCompanies, type CompanyCandidate, type Suggestion } from './suggest';

/** Auto-mapping needs a top score this high… */
export const AUTO_MAP_SCORE = 0.9;
/** …and this far ahead of the next company (two look-alikes are the operator's call). */
export const AUTO_MAP_LEAD = 0.15;

const LEGAL = new Set(['ltd', 'limited', 'llc', 'inc', 'incorporated', 'gmbh', 'ag', 'plc', 'corp', 'corporation', 'co', 'company', 'sa', 'sarl', 'bv', 'nv', 'srl', 'spa', 'kg', 'oy', 'ab', 'as', 'the', 'and', 'und']);
/** Autotask allows 500 OR conditions; a few words are plenty and keep the query cheap. */
const MAX_WORDS = 3;
const MAX_CANDIDATES = 200;

/** The distinctive words of a company name (no legal forms, numbers or short words), longest first. */
export function nameWords(name: string): string[] {
  const words = name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !LEGAL.has(w) && !/^\d+$/.test(w));
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
}

/** The customer's web domain: its own, else its e-mail's (free-mail domains say nothing about a company). */
export function customerDomain(customer: Pick<MarketplaceCustomer, 'email' | 'domain'>): string | null {
  const raw = customer.domain ?? customer.email?.split('@')[1] ?? null;
  if (!raw) return null;
  const domain = raw.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').split('/')[0];
  return /^(gmail|googlemail|outlook|hotmail|live|yahoo|icloud|gmx|web|aol|proton|protonmail)\./.test(domain) ? null : domain || null;
}

/** Active Autotask companies sharing a name word or the web domain with the customer, or the last digits of its phone. */
export async function candidateCompanies(autotask: AutotaskClient, customer: Pick<MarketplaceCustomer, 'name' | 'email' | 'phone' | 'domain'>): Promise<CompanyCandidate[]> {
  const any = nameWords(customer.name).map((w) => f.contains('companyName', w));
  const domain = customerDomain(customer);
  if (domain) any.push(f.contains('webAddress', domain));
  // Phones are stored formatted in many ways: the last four digits find them, the ranking compares the number.
  const digits = (customer.phone ?? '').replace(/\D/g, '');
  const queries = [
    any.length ? f.or(...any) : null,
    digits.length >= 7 ? f.contains('phone', digits.slice(-4)) : null,
  ].filter((q) => q !== null);
  const pages = await Promise.all(queries.map((q) => autotask.companies.query(f.and(f.eq('isActive', true), q), {
    includeFields: ['id', 'companyName', 'phone', 'webAddress', 'isActive'], maxRecords: MAX_CANDIDATES,
  })));
  const found = new Map(pages.flatMap((p) => p.items).filter((c) => c.isActive !== false).map((c) => [c.id, c]));
  return [...found.values()].map((c) => ({ id: c.id, name: c.companyName ?? `Company ${c.id}`, phone: c.phone ?? null, webAddress: c.webAddress ?? null }));
}

export async function suggestCompanies(autotask: AutotaskClient, customer: Pick<MarketplaceCustomer, 'name' | 'email' | 'phone' | 'domain'>, limit = 5): Promise<Suggestion[]> {
  return rankCompanies(customer, await candidateCompanies(autotask, customer), limit);
}

/** The suggestion an automatic task may map to without asking: a high score, clearly ahead of the next. */
export function clearWinner(suggestions: Suggestion[]): Suggestion | null {
  const [top, next] = suggestions;
  if (!top || top.score < AUTO_MAP_SCORE) return null;
  return !next || top.score - next.score >= AUTO_MAP_LEAD ? top : null;
}

/** Why a mapped company cannot be used (null: it can), and its current name. */
export async function companyProblem(autotask: AutotaskClient, companyId: number): Promise<{ problem: string | null; name: string | null }> {
  const company = await autotask.companies.get(companyId);
  return recordProblem('company', companyId, company && { name: company.companyName, isActive: company.isActive });
}

/** Why a mapped Autotask record cannot be used: deleted, or inactive (null: it can). */
export function recordProblem(what: string, id: number, record: { name?: string | null; isActive?: boolean | null } | null | undefined): { problem: string | null; name: string | null } {
  if (!record) return { problem: `Autotask ${what} ${id} no longer exists (deleted)`, name: null };
  const name = record.name ?? null;
  if (record.isActive === false) return { problem: `Autotask ${what} ${id} (${name ?? 'no name'}) is inactive`, name };
  return { problem: null, name };
}

/** Our deterministic external id of a marketplace customer created from (imported from) an Autotask company. */
export function importedCompanyId(customer: Pick<MarketplaceCustomer, 'externalId'>): number | null {
  const m = /^autotask-company-(\d+)$/.exec(customer.externalId ?? '');
  return m ? Number(m[1]) : null;
}

export function describeSuggestions(suggestions: Suggestion[]): string {
  return suggestions.length ? suggestions.slice(0, 3).map((s) => `${s.name} (${s.id}, ${Math.round(s.score * 100)}%)`).join(', ') : 'none found';
}
