// The documents an export target receives (seed 003) and their change hashes. Pure: built from the
// Autotask records alone, so the same record always gives the same document and hash, and an
// unchanged record is recognised without sending it.
import { createHash } from 'node:crypto';
import type { Company, Contact } from '../autotask/schemas/customers';
import type { Contract } from '../autotask/schemas/contracts';
import type { ExportSettings } from './settings';

export const DEFAULT_VENDOR = 'MSP Managed Services';

export interface CustomerAddress {
  street1: string;
  street2: string | null;
  additional: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  countryId: number | null;
}

export interface CustomerData {
  autotaskCompanyId: number;
  name: string;
  /** Null when the record has no street address. */
  address: CustomerAddress | null;
  /** The active contacts' addresses (primary contact first), then those of the configured company UDFs; no repeats. */
  emails: string[];
  phones: Array<{ type: 'main' | 'alternate' | 'fax'; number: string }>;
  websites: string[];
}

export interface ContractData {
  autotaskContractId: number;
  autotaskCompanyId: number;
  companyName: string;
  vendorName: string;
  contractName: string | null;
  overallCost: number | null;
}

export type DocumentBody =
  | { type: 'customer.upserted'; customer: CustomerData }
  | { type: 'contract.upserted'; contract: ContractData }
  | { type: 'customer.deactivated'; customer: { autotaskCompanyId: number; name: string | null; reason: string } };

/** What is sent: the body plus its identity (connector, integration, record, version) and key. */
export type ExportDocument = DocumentBody & {
  /** Same for every delivery of this version: the receiver drops repeats by it. */
  idempotencyKey: string;
  version: number;
  source: { connectorId: string; integrationId: string };
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether the company is exported as a customer: its type is the database's Customer value and it is active. */
export function isActiveCustomer(company: Pick<Company, 'companyType' | 'isActive'>, customerType: number): boolean {
  return company.companyType === customerType && company.isActive === true;
}

/** The contact fields the export reads (Contacts query `includeFields`). */
export const CONTACT_FIELDS = ['id', 'companyID', 'emailAddress', 'emailAddress2', 'emailAddress3', 'isActive', 'primaryContact', 'lastModifiedDate'] as const;
export type ExportContact = Pick<Contact, 'id'> & Partial<Pick<Contact, (typeof CONTACT_FIELDS)[number]>>;

/**
 * A customer's e-mail addresses. Autotask Companies have no e-mail field (CompanyModel in the spec);
 * a company's addresses are its contacts' (ContactModel.emailAddress, emailAddress2, emailAddress3):
 * active contacts only (isActive is 1/0), the primary contact first, then by contact id, so the same
 * contacts always give the same list (and hash). Values of the company UDFs named in
 * `companyEmailUdfs` follow (an MSP that keeps a billing address there). Repeats (any case) once.
 */
export function customerEmails(company: Pick<Company, 'userDefinedFields'>, contacts: readonly ExportContact[], emailUdfs: readonly string[] = []): string[] {
  const ordered = contacts.filter((c) => c.isActive === 1).sort((a, b) => Number(b.primaryContact === true) - Number(a.primaryContact === true) || a.id - b.id);
  const udfNames = new Set(emailUdfs.map((n) => n.toLowerCase()));
  const candidates = [
    ...ordered.flatMap((c) => [c.emailAddress, c.emailAddress2, c.emailAddress3]),
    ...(company.userDefinedFields ?? []).filter((u) => udfNames.has(u.name.toLowerCase())).map((u) => u.value),
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of candidates) {
    const e = text(v);
    if (!e || !EMAIL.test(e) || seen.has(e.toLowerCase())) continue;
    seen.add(e.toLowerCase());
    out.push(e);
  }
  return out;
}

/** The customer's document, from the company and its contacts (only `companyID` = this company's are used). */
export function customerData(company: Company, contacts: readonly ExportContact[] = [], options: { emailUdfs?: readonly string[] } = {}): CustomerData {
  const street1 = text(company.address1);
  const phones: CustomerData['phones'] = [];
  for (const [type, value] of [['main', company.phone], ['alternate', company.alternatePhone1], ['alternate', company.alternatePhone2], ['fax', company.fax]] as const) {
    const n = text(value);
    if (n) phones.push({ type, number: n });
  }
  const emails = customerEmails(company, contacts.filter((c) => c.companyID === company.id), options.emailUdfs);
  const web = text(company.webAddress);
  return {
    autotaskCompanyId: company.id,
    name: text(company.companyName) ?? `Company ${company.id}`,
    address: street1
      ? { street1, street2: text(company.address2), additional: text(company.additionalAddressInformation), city: text(company.city), state: text(company.state), postalCode: text(company.postalCode), countryId: company.countryID ?? null }
      : null,
    emails,
    phones,
    websites: web ? [web] : [],
  };
}

/**
 * The contract's document. The vendor is the contract's `contractVendorUdf` UDF: ContractModel has no
 * vendor field in the Autotask spec (checked: no vendorID; companyID and billToCompanyID are the
 * customer's side), so there is no vendor company id to look up. Absent or empty: MSP Managed Services.
 */
export function contractData(contract: Contract, companyName: string, settings: Pick<ExportSettings, 'contractVendorUdf' | 'contractCostField'>): ContractData {
  const udf = (contract.userDefinedFields ?? []).find((u) => u.name.toLowerCase() === settings.contractVendorUdf.toLowerCase());
  const cost = contract[settings.contractCostField];
  return {
    autotaskContractId: contract.id,
    autotaskCompanyId: contract.companyID ?? 0,
    companyName,
    vendorName: text(udf?.value) ?? DEFAULT_VENDOR,
    contractName: text(contract.contractName),
    overallCost: typeof cost === 'number' ? cost : null,
  };
}

/** Canonical JSON (sorted keys), so a hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The change hash of a document body. */
export function documentHash(body: DocumentBody): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

/** The idempotency key of one version of one record's document for one target. */
export function idempotencyKey(scope: { connectorId: string; integrationId: string }, kind: 'customer' | 'contract', recordId: number, version: number): string {
  return `${scope.connectorId}/${scope.integrationId}/${kind}/${recordId}/v${version}`;
}
