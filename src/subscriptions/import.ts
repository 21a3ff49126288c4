// Customer import (seed 004 "Importing Customers"): what a marketplace needs from an Autotask company
// to create its customer, and the customer built from it. Pure: the activity reads the company, its
// contact and country, and the operator's answers; this says what is missing or builds the NewCustomer.
//
// Both marketplaces need a street address, city, postal code, ISO country, phone and an administrative
// contact with first and last name, e-mail and phone (CloudBlue `Address.required` and
// `ContactPerson`, spec/cloudblue-commerce-simpleapi-1.15-openapi.yaml; Pax8 `POST /companies`,
// spec/pax8-partner-openapi.json). CloudBlue alone takes the seed's "Customer Access Details": an
// optional admin login and its password; Pax8 has none.
import type { NewCustomer } from '../marketplaces/adapter';

/** The operator's answers in the import wizard; each overrides what Autotask has. */
export interface ImportProfile {
  adminFirstName?: string;
  adminLastName?: string;
  adminEmail?: string;
  adminPhone?: string;
  /** Where the marketplace sends the customer's notifications (default: the admin's e-mail). */
  notificationEmail?: string;
  /** ISO 3166-1 alpha-2, when the Autotask company has no country. */
  countryCode?: string;
  /** CloudBlue access details: the admin's login and its password (never logged). */
  login?: string;
  password?: string;
}

/** The Autotask company fields the import reads. */
export interface ImportCompany {
  id: number;
  companyName?: string | null;
  companyType?: number | null;
  isActive?: boolean | null;
  phone?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  webAddress?: string | null;
}

/** The company's administrative contact as Autotask has it (null: none). */
export interface ImportContact {
  firstName?: string | null;
  lastName?: string | null;
  emailAddress?: string | null;
  phone?: string | null;
  mobilePhone?: string | null;
}

export interface ImportExtras {
  /** The marketplace kind (`cloudblue`, `pax8`): which access details apply. */
  kind: string;
  /** The company's country as ISO alpha-2 (from Autotask Countries), null when unknown. */
  countryCode: string | null;
  /** The Customer value of Companies.companyType (read from the picklist); null skips the check. */
  customerTypeId?: number | null;
  profile?: ImportProfile;
}

/** Where the operator gives each field a problem names (`customers import` options). */
export const PROFILE_OPTIONS: Record<string, string> = {
  'administrative contact first name': '--admin-first',
  'administrative contact last name': '--admin-last',
  'administrative contact e-mail': '--admin-email',
  'administrative contact phone': '--admin-phone',
  'country': '--country',
  'notification e-mail': '--notification-email',
  'access login': '--login',
  'access password': 'the password (stdin/env/prompt)',
};

/** Our deterministic external id: one marketplace customer per Autotask company, found again by it. */
export function importExternalId(companyId: number): string {
  return `autotask-company-${companyId}`;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** CloudBlue `ContactPerson.login`: "not less than 5 characters", `^[A-Za-z0-9][A-Za-z0-9_.@-]{0,255}$`. */
const CLOUDBLUE_LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{4,255}$/;

const clean = (v: string | null | undefined): string => (typeof v === 'string' ? v.trim() : '');
const first = (...values: Array<string | null | undefined>): string => values.map(clean).find((v) => v !== '') ?? '';

/** CloudBlue `ContactPerson.password`: "at least 7 characters, upper and lower case letters, digits and special characters". */
export function passwordProblem(password: string): string | null {
  const lacks = [
    password.length < 7 ? 'at least 7 characters' : null,
    /[a-z]/.test(password) ? null : 'a lower-case letter',
    /[A-Z]/.test(password) ? null : 'an upper-case letter',
    /\d/.test(password) ? null : 'a digit',
    /[^A-Za-z0-9]/.test(password) ? null : 'a special character',
  ].filter((x) => x !== null);
  return lacks.length ? `access password needs ${lacks.join(', ')}` : null;
}

interface Merged {
  name: string; line1: string; city: string; state: string; postalCode: string; country: string; phone: string;
  firstName: string; lastName: string; email: string; contactPhone: string; notificationEmail: string; login: string; password: string;
}

function merge(company: ImportCompany, contact: ImportContact | null, extras: ImportExtras): Merged {
  const p = extras.profile ?? {};
  const email = first(p.adminEmail, contact?.emailAddress);
  return {
    name: clean(company.companyName),
    line1: [clean(company.address1), clean(company.address2)].filter(Boolean).join(', '),
    city: clean(company.city),
    state: clean(company.state),
    postalCode: clean(company.postalCode),
    country: first(p.countryCode, extras.countryCode).toUpperCase(),
    phone: first(company.phone, p.adminPhone, contact?.phone),
    firstName: first(p.adminFirstName, contact?.firstName),
    lastName: first(p.adminLastName, contact?.lastName),
    email,
    contactPhone: first(p.adminPhone, contact?.phone, contact?.mobilePhone, company.phone),
    notificationEmail: first(p.notificationEmail, email),
    login: clean(p.login),
    password: p.password ?? '',
  };
}

/**
 * What is missing or wrong before `kind` can create a customer from this company (empty: complete).
 * Each entry names the field as the wizard does; PROFILE_OPTIONS maps the operator's answers to flags.
 */
export function profileProblems(company: ImportCompany, contact: ImportContact | null, extras: ImportExtras): string[] {
  const m = merge(company, contact, extras);
  const problems: string[] = [];
  if (company.isActive === false) problems.push('the company is inactive in Autotask');
  if (extras.customerTypeId != null && company.companyType != null && company.companyType !== extras.customerTypeId) problems.push('the company is not of type Customer in Autotask');
  const need = (value: string, what: string) => value === '' && problems.push(what);
  need(m.name, 'company name');
  need(m.line1, 'street address');
  need(m.city, 'city');
  need(m.postalCode, 'postal code');
  if (m.country === '') problems.push('country');
  else if (!/^[A-Z]{2}$/.test(m.country)) problems.push(`country (${m.country} is not an ISO 3166-1 alpha-2 code)`);
  need(m.phone, 'phone');
  need(m.firstName, 'administrative contact first name');
  need(m.lastName, 'administrative contact last name');
  if (m.email === '') problems.push('administrative contact e-mail');
  else if (!EMAIL.test(m.email)) problems.push(`administrative contact e-mail (${m.email} is not an e-mail address)`);
  need(m.contactPhone, 'administrative contact phone');
  // Defaults to the admin's e-mail (checked above): only an answer of its own can be wrong here.
  if (clean(extras.profile?.notificationEmail) !== '' && !EMAIL.test(m.notificationEmail)) problems.push(`notification e-mail (${m.notificationEmail} is not an e-mail address)`);
  if (extras.kind === 'cloudblue') {
    if (m.login !== '' && !CLOUDBLUE_LOGIN.test(m.login)) problems.push('access login (5 or more letters, digits, or _ . @ -, starting with a letter or digit)');
    if (m.login !== '' && m.password === '') problems.push('access password');
    if (m.password !== '' && m.login === '') problems.push('access login');
    if (m.password !== '') {
      const weak = passwordProblem(m.password);
      if (weak) problems.push(weak);
    }
  } else if (m.login !== '' || m.password !== '') {
    problems.push(`access details: ${extras.kind} takes no customer login or password (leave them out)`);
  }
  return problems;
}

/** The marketplace customer for a complete profile (check profileProblems first: this assumes it is empty). */
export function buildNewCustomer(company: ImportCompany, contact: ImportContact | null, extras: ImportExtras): NewCustomer {
  const m = merge(company, contact, extras);
  const extra: Record<string, unknown> = { notificationEmail: m.notificationEmail };
  if (extras.kind === 'cloudblue' && m.login) Object.assign(extra, { login: m.login, password: m.password });
  const web = clean(company.webAddress);
  if (web) extra.website = /^https?:\/\//i.test(web) ? web : `https://${web}`;
  return {
    externalId: importExternalId(company.id),
    name: m.name,
    email: m.notificationEmail,
    phone: m.phone,
    contact: { firstName: m.firstName, lastName: m.lastName, email: m.email, phone: m.contactPhone },
    address: { line1: m.line1, city: m.city, ...(m.state ? { state: m.state } : {}), postalCode: m.postalCode, countryCode: m.country },
    extra,
  };
}

/** The contact that speaks for a company: its active primary contact, else the first active one with an e-mail, else the first active. */
export function adminContact<C extends ImportContact & { id: number; isActive?: number | null; primaryContact?: boolean | null }>(contacts: C[]): C | null {
  const active = contacts.filter((c) => c.isActive !== 0).sort((a, b) => a.id - b.id);
  return active.find((c) => c.primaryContact) ?? active.find((c) => clean(c.emailAddress) !== '') ?? active[0] ?? null;
}
