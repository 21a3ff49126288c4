// Operator-facing export activities: the target's status and dead-letter list, `export retry`, the
// Autotask webhook check, and what the webhook receiver records (a deactivation).
import { ensureCompanyWebhook } from '../../exports/autotask-webhook';
import { retryDeadLetters } from '../../exports/pipeline';
import { syncTypeWarning } from '../../exports/settings';
import type { ExportScope } from '../../exports/store';
import type { ExportTarget } from '../../exports/target';
import { BridgeError } from '../../failures';
import type { ExportRetryResult, ExportStatus } from '../../workflows/messages/export';
import { pipelineFor, type ExportActivityDeps } from './context';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function adminActivities(deps: ExportActivityDeps) {
  return {
    async exportStatus(input: ExportScope): Promise<ExportStatus> {
      const { client: target } = await deps.clients.integration<ExportTarget>(input.connectorId, input.integrationId);
      const [row, counts, dead] = await Promise.all([deps.store.target(input), deps.store.counts(input), deps.store.deadLetters(input, undefined, 50)]);
      return {
        integrationId: input.integrationId,
        syncCustomers: target.settings.syncCustomers,
        syncContracts: target.settings.syncContracts,
        pollMinutes: target.settings.pollMinutes,
        ...(syncTypeWarning(target.settings) ? { warning: syncTypeWarning(target.settings) } : {}),
        counts,
        deadLetters: dead.map((r) => ({ kind: r.kind, recordId: r.recordId, version: r.version, error: r.lastError ?? '', at: r.updatedAt.toISOString() })),
        companiesSince: row?.companiesSince ?? null,
        contractsSince: row?.contractsSince ?? null,
        fullPassAt: iso(row?.fullPassAt),
        lastRunAt: iso(row?.lastRunAt),
        lastRunSummary: row?.lastRunSummary ?? null,
        webhook: { id: row?.webhookId ?? null, url: row?.webhookUrl ?? null, status: row?.webhookStatus ?? null, checkedAt: iso(row?.webhookCheckedAt), deactivatedAt: iso(row?.webhookDeactivatedAt) },
      };
    },

    async retryExportDeadLetters(input: ExportScope & { all?: boolean; records?: Array<{ kind: 'customer' | 'contract'; recordId: number }> }): Promise<ExportRetryResult> {
      if (!input.all && !input.records?.length) throw new BridgeError('validation', 'Say which dead letters to send again (customer:<id>, contract:<id>) or --all', { source: 'engine' });
      const ctx = await pipelineFor(deps, input);
      const rows = await deps.store.deadLetters(input, input.all ? undefined : input.records, input.all ? 100_000 : 500);
      const result = await retryDeadLetters(ctx, rows);
      return { integrationId: input.integrationId, tried: rows.length, ...result };
    },

    /** Creates, repairs or re-enables the Autotask webhook; a problem is reported, not thrown (polling goes on). */
    async ensureExportWebhook(input: ExportScope & { receiverUrl: string }): Promise<string> {
      try {
        const [{ autotask, connector }, credentials] = await Promise.all([deps.clients.get(input.connectorId), deps.connectors.autotaskCredentials(input.connectorId)]);
        return await ensureCompanyWebhook({ autotask, store: deps.store, ring: deps.ring, apiUsername: credentials.username, email: connector.email }, input, input.receiverUrl);
      } catch (err) {
        const message = (err as Error).message;
        await deps.store.updateTarget(input, { webhookStatus: `error: ${message}`, webhookCheckedAt: new Date() });
        return `Autotask webhook not set up (polling only): ${message}`;
      }
    },
  };
}
