// The export pipeline, shared by the polling pass and the webhook-triggered export: Autotask
// companies and contracts in, documents out to one target, only for records whose hash changed.
// A record is written `pending` with its document before it is sent, so a crash between the two
// re-sends the same version (same idempotency key) next time: at least once, never a new version
// for the same content. A document the target refuses, or that exhausted the client's retries, goes
// to the dead-letter list; once the target looks unavailable the rest of the batch joins it unsent.
import type { AutotaskClient } from '../autotask/client';
import { f } from '../autotask/query';
import type { Company } from '../autotask/schemas/customers';
import type { Contract } from '../autotask/schemas/contracts';
import type { ExportRecordKind, ExportRecordRow } from '../../db/schema/export';
import { BridgeError } from '../failures';
import {
  CONTACT_FIELDS, contractData, customerData, documentHash, idempotencyKey, isActiveCustomer, type DocumentBody, type ExportContact, type ExportDocument,
} from './documents';
import type { ExportScope, ExportStore, NewExportRecord } from './store';
import type { ExportTarget } from './target';

export interface PipelineContext {
  scope: ExportScope;
  autotask: AutotaskClient;
  target: ExportTarget;
  store: ExportStore;
  /** The database's picklist value of companyType "Customer". */
  customerType: number;
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
}

export interface ExportCounts {
  read: number;
  delivered: number;
  unchanged: number;
  /** Records with nothing to send (not an active customer, or that sync type is off). */
  skipped: number;
  deactivated: number;
  dead: number;
}

export const noCounts = (): ExportCounts => ({ read: 0, delivered: 0, unchanged: 0, skipped: 0, deactivated: 0, dead: 0 });

export function addCounts(a: ExportCounts, b: ExportCounts): ExportCounts {
  return { read: a.read + b.read, delivered: a.delivered + b.delivered, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped, deactivated: a.deactivated + b.deactivated, dead: a.dead + b.dead };
}

/** The picklist value of companyType "Customer" (read by label: ids differ between databases). */
export async function customerTypeValue(autotask: AutotaskClient): Promise<number> {
  const value = await autotask.metadata.picklistValue('Companies', 'companyType', 'Customer');
  if (value === undefined) throw new BridgeError('settings', 'Autotask Companies.companyType has no "Customer" value: the export cannot tell customers apart', { source: 'autotask', operation: 'GET Companies/entityInformation/fields' });
  return Number(value);
}

interface Candidate {
  recordId: number;
  companyId: number;
  companyName: string | null;
  active: boolean;
  row?: ExportRecordRow;
  /** Null: nothing to send for this record now. */
  body: DocumentBody | null;
  /** What the hash covers (the body unless said otherwise). */
  basis?: unknown;
}

/** Companies per Contacts query (`companyID in […]`: Autotask takes at most 500 values). */
const IN_LIMIT = 500;

/**
 * The active contacts of these companies, by company: one Contacts query per 500 companies (more
 * pages only when those companies have more than 500 active contacts), paged by id, never per company.
 */
export async function activeContactsOf(autotask: AutotaskClient, companyIds: number[]): Promise<Map<number, ExportContact[]>> {
  const out = new Map<number, ExportContact[]>();
  const ids = [...new Set(companyIds)];
  for (let i = 0; i < ids.length; i += IN_LIMIT) {
    // isActive is an int picklist (1 = Active) on ContactModel, not a boolean.
    for await (const page of autotask.contacts.pages({ filter: [f.in('companyID', ids.slice(i, i + IN_LIMIT)), f.eq('isActive', 1)], includeFields: [...CONTACT_FIELDS] })) {
      for (const c of page.items) if (typeof c.companyID === 'number') out.set(c.companyID, [...(out.get(c.companyID) ?? []), c]);
    }
  }
  return out;
}

/**
 * Exports companies: customer documents when they are active customers (and that sync type is on),
 * `customer.deactivated` once for an exported one that no longer is. The active customers' contacts
 * (their e-mail addresses) are read here, batched. Returns the companies whose name or active state
 * changed (their contracts' documents depend on both).
 */
export async function exportCompanies(ctx: PipelineContext, companies: Company[], options: { deletedIds?: number[] } = {}): Promise<ExportCounts & { changedCompanies: number[] }> {
  const deleted = options.deletedIds ?? [];
  const rows = await ctx.store.records(ctx.scope, 'customer', [...companies.map((c) => c.id), ...deleted]);
  const changedCompanies: number[] = [];
  const candidates: Candidate[] = [];
  const sync = ctx.target.settings.syncCustomers;
  const emailUdfs = ctx.target.settings.companyEmailUdfs;
  const contacts = sync ? await activeContactsOf(ctx.autotask, companies.filter((c) => isActiveCustomer(c, ctx.customerType)).map((c) => c.id)) : new Map<number, ExportContact[]>();
  const deactivation = (id: number, name: string | null, reason: string): Pick<Candidate, 'body' | 'basis'> => ({
    body: { type: 'customer.deactivated', customer: { autotaskCompanyId: id, name, reason } },
    // The fact only: a later rename or reason does not send another deactivation.
    basis: { type: 'customer.deactivated', id },
  });
  for (const c of companies) {
    const row = rows.get(c.id);
    const active = isActiveCustomer(c, ctx.customerType);
    const data = customerData(c, contacts.get(c.id) ?? [], { emailUdfs });
    if (row ? row.active !== active || (active && row.companyName !== data.name) : active) changedCompanies.push(c.id);
    const wasExported = row?.docType === 'customer.upserted';
    const send = active && sync
      ? { body: { type: 'customer.upserted' as const, customer: data } }
      : !active && wasExported ? deactivation(c.id, data.name, c.isActive ? 'no longer a customer' : 'inactive') : { body: null };
    candidates.push({ recordId: c.id, companyId: c.id, companyName: data.name, active, row, ...send });
  }
  for (const id of deleted) {
    const row = rows.get(id);
    if (!row) continue;
    if (row.active) changedCompanies.push(id);
    candidates.push({ recordId: id, companyId: id, companyName: row.companyName, active: false, row, ...(row.docType === 'customer.upserted' ? deactivation(id, row.companyName, 'deleted') : { body: null }) });
  }
  const counts = await apply(ctx, 'customer', candidates);
  return { ...counts, read: companies.length, changedCompanies };
}

/** Exports contracts of active customers (when that sync type is on); companies not seen yet are read first. */
export async function exportContracts(ctx: PipelineContext, contracts: Contract[]): Promise<ExportCounts> {
  const extra = noCounts();
  const companyIds = [...new Set(contracts.map((k) => k.companyID).filter((id): id is number => typeof id === 'number'))];
  let companies = await ctx.store.records(ctx.scope, 'customer', companyIds);
  const unseen = companyIds.filter((id) => !companies.has(id));
  if (unseen.length) {
    // A company created or changed after the companies pass read it: read it now (and export it).
    for (let i = 0; i < unseen.length; i += 500) {
      const page = await ctx.autotask.companies.query(f.in('id', unseen.slice(i, i + 500)), { maxRecords: 500 });
      const counts = await exportCompanies(ctx, page.items);
      Object.assign(extra, addCounts(extra, { ...counts, read: 0 }));
    }
    companies = await ctx.store.records(ctx.scope, 'customer', companyIds);
  }
  const rows = await ctx.store.records(ctx.scope, 'contract', contracts.map((k) => k.id));
  const sync = ctx.target.settings.syncContracts;
  const candidates: Candidate[] = contracts.map((k) => {
    const company = typeof k.companyID === 'number' ? companies.get(k.companyID) : undefined;
    const exported = sync && !!company?.active;
    return {
      recordId: k.id,
      companyId: k.companyID ?? 0,
      companyName: company?.companyName ?? null,
      active: exported,
      row: rows.get(k.id),
      body: exported ? { type: 'contract.upserted', contract: contractData(k, company!.companyName ?? `Company ${k.companyID}`, ctx.target.settings) } : null,
    };
  });
  const counts = await apply(ctx, 'contract', candidates);
  return addCounts({ ...counts, read: contracts.length }, extra);
}

/** Re-exports the contracts of companies whose name or active state changed (one read per 500 companies). */
export async function exportContractsOfCompanies(ctx: PipelineContext, companyIds: number[]): Promise<ExportCounts> {
  let total = noCounts();
  if (!ctx.target.settings.syncContracts) return total;
  for (let i = 0; i < companyIds.length; i += 500) {
    for await (const page of ctx.autotask.contracts.pages({ filter: f.in('companyID', companyIds.slice(i, i + 500)) })) {
      total = addCounts(total, await exportContracts(ctx, page.items));
    }
  }
  return total;
}

/** Decides per record (unchanged, same version again, new version), writes the rows, then delivers. */
async function apply(ctx: PipelineContext, kind: ExportRecordKind, candidates: Candidate[]): Promise<ExportCounts> {
  const counts = noCounts();
  const now = new Date();
  const rows: NewExportRecord[] = [];
  const send: ExportDocument[] = [];
  for (const c of candidates) {
    const r = c.row;
    const kept = {
      hash: r?.hash ?? '', docType: r?.docType ?? null, version: r?.version ?? 0, deliveredVersion: r?.deliveredVersion ?? 0, state: r?.state ?? ('none' as const),
      document: r?.document ?? null, lastError: r?.lastError ?? null, attempts: r?.attempts ?? 0, deliveredAt: r?.deliveredAt ?? null,
    };
    const base = { ...ctx.scope, kind, recordId: c.recordId, companyId: c.companyId, companyName: c.companyName, active: c.active, updatedAt: now };
    if (!c.body) {
      counts.skipped++;
      if (!r || r.companyName !== c.companyName || r.active !== c.active || r.companyId !== c.companyId) rows.push({ ...base, ...kept });
      continue;
    }
    const hash = documentHash((c.basis ?? c.body) as DocumentBody);
    if (r && r.hash === hash && (r.state === 'delivered' || r.state === 'dead')) {
      // Unchanged (or waiting in the dead-letter list for `export retry`): nothing is sent.
      counts.unchanged++;
      if (r.companyName !== c.companyName || r.active !== c.active || r.companyId !== c.companyId) rows.push({ ...base, ...kept });
      continue;
    }
    // Same content still pending (a crash between write and send): the same version, the same key.
    const version = r && r.hash === hash ? r.version : (r?.version ?? 0) + 1;
    const document = { ...c.body, idempotencyKey: idempotencyKey(ctx.scope, kind, c.recordId, version), version, source: { ...ctx.scope } } as ExportDocument;
    rows.push({ ...base, ...kept, hash, docType: c.body.type, version, state: 'pending', document, lastError: null });
    send.push(document);
  }
  await ctx.store.upsert(rows);
  const result = await deliverAll(ctx, kind, send);
  counts.delivered += result.delivered.length;
  counts.dead += result.dead;
  counts.deactivated += send.filter((d) => d.type === 'customer.deactivated' && result.delivered.some((x) => x.recordId === d.customer.autotaskCompanyId && x.version === d.version)).length;
  return counts;
}

const recordIdOf = (d: ExportDocument): number => (d.type === 'contract.upserted' ? d.contract.autotaskContractId : d.customer.autotaskCompanyId);

/** Sends documents with bounded concurrency; failures go to the dead-letter list. */
export async function deliverAll(ctx: PipelineContext, kind: ExportRecordKind, documents: ExportDocument[]): Promise<{ delivered: Array<{ recordId: number; version: number }>; dead: number }> {
  const delivered: Array<{ recordId: number; version: number }> = [];
  let dead = 0;
  let unavailable: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const doc = documents[next++];
      const recordId = recordIdOf(doc);
      if (unavailable) {
        dead++;
        await ctx.store.markDead(ctx.scope, kind, recordId, doc.version, `not sent: ${unavailable}`);
        continue;
      }
      try {
        await ctx.target.deliver(doc);
        delivered.push({ recordId, version: doc.version });
      } catch (err) {
        const error = err instanceof BridgeError ? err : new BridgeError('transient', (err as Error).message, { source: ctx.scope.integrationId });
        // Retries are spent: once the target looks down, the rest of the batch is not tried one by one.
        if (['transient', 'rate_limited', 'outcome_unknown'].includes(error.kind)) unavailable ??= error.message;
        dead++;
        await ctx.store.markDead(ctx.scope, kind, recordId, doc.version, error.message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.concurrency ?? 8, documents.length) }, worker));
  await ctx.store.markDelivered(ctx.scope, kind, delivered);
  return { delivered, dead };
}

/** Sends dead letters again (same version, same key); returns how many went through and what still fails. */
export async function retryDeadLetters(ctx: PipelineContext, rows: ExportRecordRow[]): Promise<{ delivered: number; dead: number; errors: string[] }> {
  let delivered = 0;
  let dead = 0;
  for (const kind of ['customer', 'contract'] as const) {
    const docs = rows.filter((r) => r.kind === kind && r.document).map((r) => r.document as ExportDocument);
    const result = await deliverAll(ctx, kind, docs);
    delivered += result.delivered.length;
    dead += result.dead;
  }
  const still = dead ? await ctx.store.deadLetters(ctx.scope, rows.map((r) => ({ kind: r.kind, recordId: r.recordId }))) : [];
  return { delivered, dead, errors: [...new Set(still.map((r) => r.lastError ?? ''))].filter(Boolean).slice(0, 5) };
}
