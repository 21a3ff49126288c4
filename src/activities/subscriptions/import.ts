// Customer import (seed 004 "Importing Customers", issue 14): Autotask customers → marketplace customers,
// one at a time with the operator's answers or in bulk (complete profiles only), mapped as they go.
// Never a second marketplace customer for a company: our external id (`autotask-company-<id>`) is looked
// up before any create, so a retry — or a create whose answer was lost — finds the customer instead.
// The operator's password travels only in the (encrypted) activity input: never logged or returned.
import { z } from 'zod';
import type { CustomerMappingRow } from '../../../db/schema/subscriptions';
import { beat } from '../heartbeat';
import { EntityResource, f, type AutotaskClient, type Company, type Contact } from '../../autotask';
import { BridgeError, isBridgeError, NON_RETRYABLE_FAILURES } from '../../failures';
import type { MarketplaceAdapter, MarketplaceCustomer } from '../../marketplaces/adapter';
import { adminContact, buildNewCustomer, importExternalId, profileProblems, type ImportProfile } from '../../subscriptions/import';
import type { IntegrationScope } from '../../subscriptions/store';
import type { SubscriptionActivityDeps } from './index';

export interface ImportScope {
  connectorId: string;
  /** Default: the connector's only marketplace. */
  integrationId?: string;
}

export interface ImportCustomerInput extends ImportScope {
  companyId: number;
  profile?: ImportProfile;
  by: string;
}

/**
 * created: a new marketplace customer; existing: ours already (found by the external id) — mapped now if it
 * was not; incomplete: nothing created, `missing` says what to give; mapped_elsewhere: the company is mapped
 * to another marketplace customer (importing would make a second one).
 */
export type ImportStatus = 'created' | 'existing' | 'incomplete' | 'mapped_elsewhere';

export interface ImportOutcome {
  integrationId: string;
  companyId: number;
  name: string;
  status: ImportStatus;
  marketplaceCustomerId: string | null;
  missing: string[];
  note?: string;
}

export interface SkippedCompany {
  companyId: number;
  name: string;
  missing: string[];
  /** Why, when it is not a missing field (mapped to another customer, refused by the marketplace). */
  reason?: string;
}

export interface BulkImportResult {
  integrationId: string;
  imported: ImportOutcome[];
  skipped: SkippedCompany[];
}

export interface ImportCandidate {
  companyId: number;
  name: string;
  /** The marketplace customer it is mapped to, if any. */
  marketplaceCustomerId: string | null;
  /** What an import would still need (empty: Import All takes it). */
  missing: string[];
}

/** The wizard lists the first 10 customers; search narrows them. */
const DEFAULT_CANDIDATES = 10;
/** Autotask `in` lists and pages stop at 500. */
const CHUNK = 500;
/** Bounds reading the marketplace's customers (pages of up to 1000/200). */
const MAX_CUSTOMER_PAGES = 500;

const COMPANY_FIELDS = ['id', 'companyName', 'companyType', 'isActive', 'phone', 'address1', 'address2', 'city', 'state', 'postalCode', 'countryID', 'webAddress'];
const CONTACT_FIELDS = ['id', 'companyID', 'firstName', 'lastName', 'emailAddress', 'phone', 'mobilePhone', 'isActive', 'primaryContact'];

/** CountryModel (spec/autotask-openapi.json): the client has no Countries resource, so one is made here. */
const countrySchema = z.looseObject({ id: z.number().int(), countryCode: z.string().nullish(), name: z.string().nullish() });

const chunks = <T>(items: T[], size = CHUNK): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const nameOf = (c: Pick<Company, 'id' | 'companyName'>) => c.companyName?.trim() || `Company ${c.id}`;
const permanent = (err: unknown) => isBridgeError(err) && NON_RETRYABLE_FAILURES.includes(err.kind);

/** What the import needs to know about a set of companies: each one's admin contact and ISO country. */
interface ProfileFacts {
  contactOf(companyId: number): Contact | null;
  countryOf(company: Company): string | null;
}

async function profileFacts(autotask: AutotaskClient, companies: Company[]): Promise<ProfileFacts> {
  const contacts = new Map<number, Contact[]>();
  for (const ids of chunks(companies.map((c) => c.id))) {
    for await (const c of autotask.contacts.all({ filter: f.in('companyID', ids), includeFields: CONTACT_FIELDS })) {
      if (c.companyID == null) continue;
      const list = contacts.get(c.companyID) ?? [];
      list.push(c);
      contacts.set(c.companyID, list);
    }
  }
  const countryIds = [...new Set(companies.map((c) => c.countryID).filter((id): id is number => typeof id === 'number'))];
  const codes = new Map<number, string>();
  if (countryIds.length) {
    const countries = new EntityResource({ transport: autotask.transport, metadata: autotask.metadata, checkWrites: true }, 'Countries', countrySchema);
    for (const ids of chunks(countryIds)) {
      const page = await countries.query(f.in('id', ids), { maxRecords: CHUNK });
      for (const c of page.items) if (c.countryCode) codes.set(c.id, c.countryCode.toUpperCase());
    }
  }
  return {
    contactOf: (id) => adminContact(contacts.get(id) ?? []),
    countryOf: (c) => (c.countryID == null ? null : codes.get(c.countryID) ?? null),
  };
}

/** The Customer value of Companies.companyType, read from the database's picklist (ids vary). */
async function customerTypeId(autotask: AutotaskClient): Promise<number> {
  const value = await autotask.metadata.picklistValue('Companies', 'companyType', 'Customer');
  if (value === undefined) throw new BridgeError('settings', 'Autotask Companies.companyType has no "Customer" picklist value: customer import cannot tell customers apart', { source: 'autotask', operation: 'Companies/entityInformation/fields' });
  return Number(value);
}

export function importActivities({ clients, subscriptions }: SubscriptionActivityDeps) {
  const market = (i: ImportScope) => clients.marketplace(i.connectorId, i.integrationId);

  /** Saves the import's mapping unless the customer is already mapped to a company (an operator's choice stays). */
  async function ensureMapping(scope: IntegrationScope, customer: MarketplaceCustomer, company: Company, by: string): Promise<string | undefined> {
    const current = await subscriptions.customerMapping(scope, customer.id);
    if (current && current.companyId !== company.id) {
      return `marketplace customer ${customer.id} is mapped to Autotask company ${current.companyName} (${current.companyId}), left as it is`;
    }
    if (current && !current.flaggedReason) return undefined;
    await subscriptions.saveCustomerMapping({ ...scope, marketplaceCustomerId: customer.id, marketplaceName: customer.name, companyId: company.id, companyName: nameOf(company), mappedBy: 'import' });
    await subscriptions.log(scope.connectorId, 'subscription.mapping.customer', `Customer ${customer.name} (${customer.id}) mapped to Autotask company ${nameOf(company)} (${company.id}) by import (${by})`, { integrationId: scope.integrationId, marketplaceCustomerId: customer.id, companyId: company.id, by, mappedBy: 'import' });
    return undefined;
  }

  /** Creates the customer (the adapter looks our external id up again, so a lost answer is found, not repeated) and maps it. */
  async function create(scope: IntegrationScope, marketplace: MarketplaceAdapter, kind: string, company: Company, facts: ProfileFacts, profile: ImportProfile | undefined, by: string): Promise<ImportOutcome> {
    const customer = await marketplace.createCustomer(buildNewCustomer(company, facts.contactOf(company.id), { kind, countryCode: facts.countryOf(company), profile }));
    const note = await ensureMapping(scope, customer, company, by);
    await subscriptions.log(scope.connectorId, 'subscription.customer.import', `Autotask company ${nameOf(company)} (${company.id}) imported into ${scope.integrationId} as customer ${customer.id} by ${by}`, { integrationId: scope.integrationId, companyId: company.id, marketplaceCustomerId: customer.id, externalId: importExternalId(company.id), by });
    return { integrationId: scope.integrationId, companyId: company.id, name: nameOf(company), status: 'created', marketplaceCustomerId: customer.id, missing: [], ...(note ? { note } : {}) };
  }

  /** A usable mapping of the company to a marketplace customer that is not ours (checked after the external id lookup). */
  const mappedElsewhere = (mappings: CustomerMappingRow[], companyId: number) => mappings.find((m) => m.companyId === companyId && !m.flaggedReason);

  return {
    /** `customers candidates`: the wizard's list — active Autotask customers, the first `limit` (10) or those matching `search`. */
    async importCandidates(i: ImportScope & { search?: string; limit?: number }): Promise<{ integrationId: string; candidates: ImportCandidate[] }> {
      const { autotask, integration } = await market(i);
      const scope = { connectorId: i.connectorId, integrationId: integration.id };
      const typeId = await customerTypeId(autotask);
      const search = i.search?.trim();
      const filter = [f.eq('isActive', true), f.eq('companyType', typeId), ...(search ? [f.contains('companyName', search)] : [])];
      const limit = Math.min(Math.max(1, i.limit ?? DEFAULT_CANDIDATES), CHUNK);
      const companies = (await autotask.companies.query(filter, { includeFields: COMPANY_FIELDS, maxRecords: limit })).items;
      const [facts, mappings] = await Promise.all([profileFacts(autotask, companies), subscriptions.customerMappings(scope)]);
      const byCompany = new Map(mappings.filter((m) => !m.flaggedReason).map((m) => [m.companyId, m.marketplaceCustomerId]));
      return {
        integrationId: integration.id,
        candidates: companies.map((c) => ({
          companyId: c.id, name: nameOf(c), marketplaceCustomerId: byCompany.get(c.id) ?? null,
          missing: profileProblems(c, facts.contactOf(c.id), { kind: integration.kind, countryCode: facts.countryOf(c), customerTypeId: typeId }),
        })),
      };
    },

    /** `customers import <company id>`: one company, with the operator's answers. Safe to repeat. */
    async importCustomer(i: ImportCustomerInput): Promise<ImportOutcome> {
      const { autotask, integration, marketplace } = await market(i);
      const scope = { connectorId: i.connectorId, integrationId: integration.id };
      const company = await autotask.companies.get(i.companyId);
      if (!company) throw new BridgeError('validation', `Autotask company ${i.companyId} does not exist`, { source: 'autotask', operation: 'GET Companies/{id}' });
      const base = { integrationId: integration.id, companyId: company.id, name: nameOf(company) };

      // Ours already (an earlier import, or a create whose answer was lost): found by the external id, never created twice.
      const existing = await marketplace.findCustomerByExternalId(importExternalId(company.id));
      if (existing) {
        const note = await ensureMapping(scope, existing, company, i.by);
        return { ...base, status: 'existing', marketplaceCustomerId: existing.id, missing: [], ...(note ? { note } : {}) };
      }
      const other = mappedElsewhere(await subscriptions.customerMappings(scope), company.id);
      if (other) {
        return { ...base, status: 'mapped_elsewhere', marketplaceCustomerId: other.marketplaceCustomerId, missing: [], note: `already mapped to ${integration.id} customer ${other.marketplaceName} (${other.marketplaceCustomerId}): unmap it first to import a new customer` };
      }
      const [facts, typeId] = await Promise.all([profileFacts(autotask, [company]), customerTypeId(autotask)]);
      const missing = profileProblems(company, facts.contactOf(company.id), { kind: integration.kind, countryCode: facts.countryOf(company), customerTypeId: typeId, profile: i.profile });
      if (missing.length) return { ...base, status: 'incomplete', marketplaceCustomerId: null, missing };
      return create(scope, marketplace, integration.kind, company, facts, i.profile, i.by);
    },

    /**
     * `customers import --all` (the wizard's Import All): every active Autotask customer whose profile is complete
     * in Autotask; the others are listed with what is missing. Safe to repeat: imported ones are found by external id.
     */
    async importCustomers(i: ImportScope & { all: true; by?: string }): Promise<BulkImportResult> {
      const { autotask, integration, marketplace } = await market(i);
      const scope = { connectorId: i.connectorId, integrationId: integration.id };
      const by = i.by || 'import-all';
      const typeId = await customerTypeId(autotask);
      const companies: Company[] = [];
      for await (const c of autotask.companies.all({ filter: [f.eq('isActive', true), f.eq('companyType', typeId)], includeFields: COMPANY_FIELDS })) companies.push(c);

      // Our customers already in the marketplace, by external id: one read of the list, not one lookup per company.
      const ours = new Map<string, MarketplaceCustomer>();
      let cursor: string | null = null;
      for (let page = 0; page < MAX_CUSTOMER_PAGES; page++) {
        const p = await marketplace.listCustomers({ cursor });
        for (const c of p.items) if (c.externalId) ours.set(c.externalId, c);
        cursor = p.next;
        if (!cursor) break;
      }
      if (cursor) throw new BridgeError('state', `${integration.id} listed more than ${MAX_CUSTOMER_PAGES} pages of customers; import them one at a time`, { source: integration.id, operation: 'listCustomers' });
      const [facts, mappings] = await Promise.all([profileFacts(autotask, companies), subscriptions.customerMappings(scope)]);

      const result: BulkImportResult = { integrationId: integration.id, imported: [], skipped: [] };
      for (const [n, company] of companies.entries()) {
        beat({ company: company.id, done: n, of: companies.length });
        const name = nameOf(company);
        const existing = ours.get(importExternalId(company.id));
        if (existing) {
          const note = await ensureMapping(scope, existing, company, by);
          result.imported.push({ integrationId: integration.id, companyId: company.id, name, status: 'existing', marketplaceCustomerId: existing.id, missing: [], ...(note ? { note } : {}) });
          continue;
        }
        const other = mappedElsewhere(mappings, company.id);
        if (other) {
          result.skipped.push({ companyId: company.id, name, missing: [], reason: `mapped to ${integration.id} customer ${other.marketplaceName} (${other.marketplaceCustomerId})` });
          continue;
        }
        const missing = profileProblems(company, facts.contactOf(company.id), { kind: integration.kind, countryCode: facts.countryOf(company), customerTypeId: typeId });
        if (missing.length) {
          result.skipped.push({ companyId: company.id, name, missing });
          continue;
        }
        try {
          result.imported.push(await create(scope, marketplace, integration.kind, company, facts, undefined, by));
        } catch (err) {
          // The marketplace refused this one (its data): the others still go. Anything transient is retried by Temporal.
          if (!permanent(err)) throw err;
          result.skipped.push({ companyId: company.id, name, missing: [], reason: `${integration.id} refused it: ${(err as Error).message}` });
        }
      }
      await subscriptions.log(i.connectorId, 'subscription.customer.import', `Import All into ${integration.id}: ${result.imported.filter((x) => x.status === 'created').length} created, ${result.imported.filter((x) => x.status === 'existing').length} already there, ${result.skipped.length} skipped`, { integrationId: integration.id, by, skipped: result.skipped.map((s) => s.companyId) });
      return result;
    },
  };
}
