// The polling pass's activities: plan (full or incremental, from the cursors and the settings),
// one page of companies, changed contacts or contracts each (read, export, return the cursor), and
// the finish that saves the cursors only after the last page.
//
// Cursors: the newest change date seen, but never later than the pass's start. Pages walk by id, so
// a record changed during a long pass after its page was read would otherwise fall behind a cursor
// set from records read later; capped at the start, it is read again next time (unchanged records
// are not re-sent). Contacts share the companies cursor: their changes are customer changes, read
// with the same Autotask clock (ContactModel.lastModifiedDate).
import { createHash } from 'node:crypto';
import { fromAutotaskDateTime } from '../../autotask/dates';
import { f, type Filter } from '../../autotask/query';
import { canonicalJson } from '../../exports/documents';
import { exportCompanies, exportContracts, exportContractsOfCompanies, addCounts, type ExportCounts } from '../../exports/pipeline';
import { syncTypeWarning } from '../../exports/settings';
import type { ExportScope } from '../../exports/store';
import type { ExportTarget } from '../../exports/target';
import type { ExportPageResult, ExportPlan } from '../../workflows/messages/export';
import { pipelineFor, type ExportActivityDeps } from './context';

/** Records per page. A page is the last one when it is short or Autotask gives no nextPageUrl (no empty read after a full last page). */
const PAGE = 500;
/** Records changed this close before a cursor are read again: Autotask's clock and commit order are not ours. */
const OVERLAP_MS = 2 * 60_000;

/** Milliseconds of an Autotask date-time (no offset = UTC) or an ISO value; NaN when none. */
const ms = (value: string | null | undefined): number => fromAutotaskDateTime(value)?.getTime() ?? Number.NaN;

const since = (field: string, cursor: string | null | undefined): Filter[] => {
  if (!cursor) return [];
  const t = ms(cursor);
  return [f.gte(field, Number.isNaN(t) ? cursor : new Date(t - OVERLAP_MS).toISOString())];
};

/** Whether a change date is at or after the cursor (with the overlap): such a company was read by this pass's companies phase. */
const changedSince = (value: string | null | undefined, cursor: string | null): boolean => ms(value) >= ms(cursor) - OVERLAP_MS;

/** The newest of the given change dates (null when none). */
export function newest(values: Array<string | null | undefined>, start: string | null = null): string | null {
  let best = start;
  for (const v of values) if (v && (!best || ms(v) > ms(best))) best = v;
  return best;
}

/** The next cursor: the newest change seen (or the old cursor), but not after the pass started. */
export function nextCursor(seen: string | null, previous: string | null, startedAt: string | null | undefined): string | null {
  const best = newest([seen], previous);
  if (!best || !startedAt || ms(best) <= ms(startedAt)) return best;
  return newest([startedAt], previous);
}

const withoutCompanies = ({ changedCompanies: _, ...rest }: ExportCounts & { changedCompanies: number[] }): ExportCounts => rest;

export function passActivities(deps: ExportActivityDeps) {
  return {
    async beginExportPass(input: ExportScope & { full?: boolean }): Promise<ExportPlan> {
      const { client: target } = await deps.clients.integration<ExportTarget>(input.connectorId, input.integrationId);
      const s = target.settings;
      // Where webhooks call and how often the pass runs change no document: not part of the hash.
      const settingsHash = createHash('sha256').update(canonicalJson({ ...s, receiverUrl: undefined, pollMinutes: undefined })).digest('base64url');
      const row = await deps.store.target(input);
      const full = !!input.full || !row?.fullPassAt || row.settingsHash !== settingsHash;
      return {
        syncCustomers: s.syncCustomers, syncContracts: s.syncContracts, full, settingsHash, startedAt: new Date().toISOString(),
        companiesSince: full ? null : (row?.companiesSince ?? null), contractsSince: full ? null : (row?.contractsSince ?? null),
        ...(syncTypeWarning(s) ? { warning: syncTypeWarning(s) } : {}),
        ...(s.receiverUrl ? { receiverUrl: s.receiverUrl } : {}),
      };
    },

    async exportCompaniesPage(input: ExportScope & { since: string | null; afterId: number; full: boolean }): Promise<ExportPageResult> {
      const ctx = await pipelineFor(deps, input);
      const page = await ctx.autotask.companies.query([f.gt('id', input.afterId), ...since('lastTrackedModifiedDateTime', input.since)], { maxRecords: PAGE });
      const items = page.items;
      const result = await exportCompanies(ctx, items);
      let counts = withoutCompanies(result);
      // Incremental: a rename or (de)activation changes the company's contract documents too. A full pass reads every contract anyway.
      if (!input.full && result.changedCompanies.length) counts = addCounts(counts, { ...(await exportContractsOfCompanies(ctx, result.changedCompanies)), read: 0 });
      return { lastId: items.reduce((m, c) => Math.max(m, c.id), input.afterId), more: items.length >= PAGE && !!page.pageDetails.nextPageUrl, maxSeen: newest(items.map((c) => c.lastTrackedModifiedDateTime)), counts };
    },

    /**
     * Incremental passes: one page of Contacts changed since the companies cursor (any state, so a
     * contact made inactive counts), then their companies (one read) and those companies' active
     * contacts (batched) exported again. Companies the companies phase already read (changed since
     * the cursor) are left out. The hash decides whether anything is sent.
     */
    async exportContactChangesPage(input: ExportScope & { since: string; afterId: number }): Promise<ExportPageResult> {
      const ctx = await pipelineFor(deps, input);
      const page = await ctx.autotask.contacts.query([f.gt('id', input.afterId), ...since('lastModifiedDate', input.since)], { maxRecords: PAGE, includeFields: ['id', 'companyID', 'lastModifiedDate'] });
      const items = page.items;
      const companyIds = [...new Set(items.map((c) => c.companyID).filter((id): id is number => typeof id === 'number'))];
      let counts: ExportCounts = { read: 0, delivered: 0, unchanged: 0, skipped: 0, deactivated: 0, dead: 0 };
      if (companyIds.length) {
        // At most 500 contacts → at most 500 companies: one read.
        const companies = (await ctx.autotask.companies.query(f.in('id', companyIds), { maxRecords: PAGE })).items.filter((c) => !changedSince(c.lastTrackedModifiedDateTime, input.since));
        const result = await exportCompanies(ctx, companies);
        counts = withoutCompanies(result);
        if (result.changedCompanies.length) counts = addCounts(counts, { ...(await exportContractsOfCompanies(ctx, result.changedCompanies)), read: 0 });
      }
      return { lastId: items.reduce((m, c) => Math.max(m, c.id), input.afterId), more: items.length >= PAGE && !!page.pageDetails.nextPageUrl, maxSeen: newest(items.map((c) => c.lastModifiedDate)), counts };
    },

    async exportContractsPage(input: ExportScope & { since: string | null; afterId: number }): Promise<ExportPageResult> {
      const ctx = await pipelineFor(deps, input);
      const page = await ctx.autotask.contracts.query([f.gt('id', input.afterId), ...since('lastModifiedDateTime', input.since)], { maxRecords: PAGE });
      const items = page.items;
      const counts = await exportContracts(ctx, items);
      return { lastId: items.reduce((m, c) => Math.max(m, c.id), input.afterId), more: items.length >= PAGE && !!page.pageDetails.nextPageUrl, maxSeen: newest(items.map((c) => c.lastModifiedDateTime)), counts };
    },

    async finishExportPass(input: ExportScope & { full: boolean; settingsHash: string; companiesSeen: string | null; contractsSeen: string | null; summary: string; startedAt?: string }): Promise<void> {
      const row = await deps.store.target(input);
      const now = new Date();
      await deps.store.updateTarget(input, {
        companiesSince: nextCursor(input.companiesSeen, row?.companiesSince ?? null, input.startedAt),
        contractsSince: nextCursor(input.contractsSeen, row?.contractsSince ?? null, input.startedAt),
        settingsHash: input.settingsHash,
        lastRunAt: now,
        lastRunSummary: input.summary,
        ...(input.full ? { fullPassAt: now } : {}),
      });
    },
  };
}
