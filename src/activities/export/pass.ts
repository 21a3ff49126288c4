// The polling pass's activities: plan (full or incremental, from the cursors and the settings),
// one page of companies or contracts each (read, export, return the cursor), and the finish that
// saves the cursors only after the last page.
import { createHash } from 'node:crypto';
import { f, type Filter } from '../../autotask/query';
import { canonicalJson } from '../../exports/documents';
import { exportCompanies, exportContracts, exportContractsOfCompanies, addCounts } from '../../exports/pipeline';
import { syncTypeWarning } from '../../exports/settings';
import type { ExportScope } from '../../exports/store';
import type { ExportTarget } from '../../exports/target';
import type { ExportPageResult, ExportPlan } from '../../workflows/messages/export';
import { pipelineFor, type ExportActivityDeps } from './context';

const PAGE = 500;
/** Records changed this close before a cursor are read again: Autotask's clock and commit order are not ours. */
const OVERLAP_MS = 2 * 60_000;

const since = (field: string, cursor: string | null | undefined): Filter[] => {
  if (!cursor) return [];
  const t = Date.parse(cursor);
  return [f.gte(field, Number.isNaN(t) ? cursor : new Date(t - OVERLAP_MS).toISOString())];
};

/** The newest of the given change dates (null when none). */
export function newest(values: Array<string | null | undefined>, start: string | null = null): string | null {
  let best = start;
  for (const v of values) if (v && (!best || Date.parse(v) > Date.parse(best))) best = v;
  return best;
}

export function passActivities(deps: ExportActivityDeps) {
  return {
    async beginExportPass(input: ExportScope & { full?: boolean }): Promise<ExportPlan> {
      const { client: target } = await deps.clients.integration<ExportTarget>(input.connectorId, input.integrationId);
      const s = target.settings;
      const settingsHash = createHash('sha256').update(canonicalJson({ ...s, receiverUrl: undefined })).digest('base64url');
      const row = await deps.store.target(input);
      const full = !!input.full || !row?.fullPassAt || row.settingsHash !== settingsHash;
      return {
        syncCustomers: s.syncCustomers, syncContracts: s.syncContracts, full, settingsHash,
        companiesSince: full ? null : (row?.companiesSince ?? null), contractsSince: full ? null : (row?.contractsSince ?? null),
        ...(syncTypeWarning(s) ? { warning: syncTypeWarning(s) } : {}),
        ...(s.receiverUrl ? { receiverUrl: s.receiverUrl } : {}),
      };
    },

    async exportCompaniesPage(input: ExportScope & { since: string | null; afterId: number; full: boolean }): Promise<ExportPageResult> {
      const ctx = await pipelineFor(deps, input);
      const page = await ctx.autotask.companies.query([f.gt('id', input.afterId), ...since('lastTrackedModifiedDateTime', input.since)], { maxRecords: PAGE });
      const items = page.items;
      let counts = await exportCompanies(ctx, items);
      // Incremental: a rename or (de)activation changes the company's contract documents too. A full pass reads every contract anyway.
      if (!input.full && counts.changedCompanies.length) counts = { ...counts, ...addCounts(counts, { ...(await exportContractsOfCompanies(ctx, counts.changedCompanies)), read: 0 }) };
      const { changedCompanies: _, ...rest } = counts;
      return { lastId: items.reduce((m, c) => Math.max(m, c.id), input.afterId), more: items.length >= PAGE, maxSeen: newest(items.map((c) => c.lastTrackedModifiedDateTime)), counts: rest };
    },

    async exportContractsPage(input: ExportScope & { since: string | null; afterId: number }): Promise<ExportPageResult> {
      const ctx = await pipelineFor(deps, input);
      const page = await ctx.autotask.contracts.query([f.gt('id', input.afterId), ...since('lastModifiedDateTime', input.since)], { maxRecords: PAGE });
      const items = page.items;
      const counts = await exportContracts(ctx, items);
      return { lastId: items.reduce((m, c) => Math.max(m, c.id), input.afterId), more: items.length >= PAGE, maxSeen: newest(items.map((c) => c.lastModifiedDateTime)), counts };
    },

    async finishExportPass(input: ExportScope & { full: boolean; settingsHash: string; companiesSeen: string | null; contractsSeen: string | null; summary: string }): Promise<void> {
      const row = await deps.store.target(input);
      const now = new Date();
      await deps.store.updateTarget(input, {
        companiesSince: newest([input.companiesSeen], row?.companiesSince ?? null),
        contractsSince: newest([input.contractsSeen], row?.contractsSince ?? null),
        settingsHash: input.settingsHash,
        lastRunAt: now,
        lastRunSummary: input.summary,
        ...(input.full ? { fullPassAt: now } : {}),
      });
    },
  };
}
