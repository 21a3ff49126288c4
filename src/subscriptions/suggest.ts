// Autotask companies that may be a marketplace customer, best first: the operator confirms (issue 13), and a
// task maps on its own only when one suggestion is near-certain. Pure.
import type { MarketplaceCustomer } from '../marketplaces/adapter';

export interface CompanyCandidate { id: number; name: string; phone?: string | null; webAddress?: string | null; email?: string | null }
export interface Suggestion { id: number; name: string; score: number; why: string }

/** Legal forms that say nothing about who a company is ("Cobweb Solutions Ltd" = "Cobweb Solutions Limited"). */
const LEGAL_FORMS = new Set([
  'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'plc', 'gmbh', 'mbh', 'ag', 'kg', 'ug',
  'se', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'ab', 'as', 'oy', 'aps', 'pty', 'pte', 'pvt', 'kft', 'sro', 'sp', 'zoo', 'the',
]);

/** Mail providers shared by unrelated customers: a match on them proves nothing. */
const SHARED_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'icloud.com', 'me.com', 'aol.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com']);

/** Name words without case, accents, punctuation or legal form. */
export function nameWords(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/([a-z])\.(?=[a-z]\b)/g, '$1') // "s.a." / "b.v." → "sa" / "bv"
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const meaningful = words.filter((w) => !LEGAL_FORMS.has(w));
  return meaningful.length ? meaningful : words;
}

/** `https://www.Example.com/x` or `a@example.com` → `example.com`; null when there is none. */
export function domainOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const host = (value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value)
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#:].*$/, '')
    .replace(/^www\./, '');
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(host) ? host : null;
}

/** The subscriber number: digits only, the last 9 (country and trunk prefixes vary between systems). */
function phoneKey(value: string | null | undefined): string | null {
  const digits = (value ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits.slice(-9) : null;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** Dice coefficient of character bigrams (0..1). */
function dice(a: string, b: string): number {
  if (a === b) return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.length || !y.length) return 0;
  const counts = new Map<string, number>();
  for (const g of x) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of y) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      common++;
      counts.set(g, n - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

/** Dice coefficient of distinct words (0..1). */
function wordDice(a: string[], b: string[]): number {
  const x = new Set(a);
  const y = new Set(b);
  const common = [...x].filter((w) => y.has(w)).length;
  return x.size + y.size ? (2 * common) / (x.size + y.size) : 0;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Weights: what each kind of evidence alone is worth; several combine as independent evidence. */
const EXACT_NAME = 0.95;
const SIMILAR_NAME = 0.85;
const SAME_DOMAIN = 0.85;
const SAME_PHONE = 0.7;
/** Below this a candidate is noise. */
const MIN_SCORE = 0.3;

/** Ranked by name (normalised: case, punctuation, Ltd/LLC/Inc/GmbH…), domain and phone similarity; score 0..1. */
export function rankCompanies(customer: Pick<MarketplaceCustomer, 'name' | 'email' | 'phone' | 'domain'>, companies: CompanyCandidate[], limit = 5): Suggestion[] {
  const name = nameWords(customer.name).join(' ');
  const domains = new Set([domainOf(customer.domain), domainOf(customer.email)].filter((d): d is string => d !== null && !SHARED_DOMAINS.has(d)));
  const phone = phoneKey(customer.phone);
  const out: Suggestion[] = [];
  for (const company of companies) {
    const evidence: Array<{ weight: number; why: string }> = [];
    const other = nameWords(company.name).join(' ');
    if (name && name === other) evidence.push({ weight: EXACT_NAME, why: 'same name' });
    else if (name && other) {
      // Letters catch spelling variants ("Mgmt"), words catch a shared distinctive word ("Cobweb Systems").
      const similarity = Math.max(dice(name.replace(/ /g, ''), other.replace(/ /g, '')), wordDice(name.split(' '), other.split(' ')));
      if (similarity >= 0.5) evidence.push({ weight: SIMILAR_NAME * similarity, why: `similar name (${Math.round(similarity * 100)}%)` });
    }
    const domain = [domainOf(company.webAddress), domainOf(company.email)].find((d) => d !== null && domains.has(d));
    if (domain) evidence.push({ weight: SAME_DOMAIN, why: `same domain ${domain}` });
    if (phone && phoneKey(company.phone) === phone) evidence.push({ weight: SAME_PHONE, why: 'same phone' });
    const score = round3(1 - evidence.reduce((miss, e) => miss * (1 - e.weight), 1));
    if (score >= MIN_SCORE) out.push({ id: company.id, name: company.name, score, why: evidence.map((e) => e.why).join(', ') });
  }
  return out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name) || a.id - b.id).slice(0, limit);
}
