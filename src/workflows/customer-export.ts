// The customer export's polling pass (template `customer-export`): the fallback behind the Autotask
// webhooks, and the full pass on first enable. Checks the Autotask webhook, then pages through the
// companies changed since the cursor (all on a full pass; each page with its companies' contacts),
// on an incremental pass the contacts changed since that cursor (their companies again), and the
// contracts likewise; each page is read, exported and answered with a cursor by one activity. The
// cursors are saved only after the last page, so a failed pass is repeated, never skipped (hashes
// keep repeats from being re-sent).
import { ActivityFailure, ApplicationFailure, continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ExportCounts } from '../exports/pipeline';
import { nonRetryableErrorTypes } from '../failures';
import { EXPORT_TEMPLATE, type CustomerExportInput, type CustomerExportResult, type ExportPassProgress } from './messages/export';
import { integrationOfRun, reportTemplateRun } from './template-run';

// Export activities heartbeat every 5 s (keptAlive): a worker lost mid-page is noticed in 15 s.
const pages = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
const short = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes } });

const zero = (): ExportCounts => ({ read: 0, delivered: 0, unchanged: 0, skipped: 0, deactivated: 0, dead: 0 });
const add = (a: ExportCounts, b: ExportCounts): ExportCounts => ({
  read: a.read + b.read, delivered: a.delivered + b.delivered, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped, deactivated: a.deactivated + b.deactivated, dead: a.dead + b.dead,
});
const later = (a: string | null, b: string | null): string | null => (!a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a);

function describeCounts(what: string, c: ExportCounts): string {
  return `${what}: ${c.read} read, ${c.delivered} delivered, ${c.unchanged} unchanged${c.deactivated ? `, ${c.deactivated} deactivated` : ''}${c.dead ? `, ${c.dead} dead-lettered` : ''}`;
}

export async function customerExportWorkflow(input: CustomerExportInput): Promise<CustomerExportResult> {
  const { connectorId } = input;
  const integrationId = input.carry?.integrationId ?? (await integrationOfRun(input, 'export'));
  const scope = { connectorId, integrationId };
  try {
    const plan = input.carry?.plan ?? (await short.beginExportPass({ ...scope, full: input.full }));
    const webhook = input.carry ? input.carry.webhook : plan.receiverUrl ? await short.ensureExportWebhook({ ...scope, receiverUrl: plan.receiverUrl }) : undefined;
    const p: ExportPassProgress = input.carry?.progress ?? { phase: 'companies', afterId: -1, companiesSeen: null, contractsSeen: null, customers: zero(), contracts: zero() };
    while (p.phase !== 'done') {
      if (p.phase === 'companies') {
        const page = await pages.exportCompaniesPage({ ...scope, since: plan.companiesSince, afterId: p.afterId, full: plan.full });
        p.customers = add(p.customers, page.counts);
        p.companiesSeen = later(p.companiesSeen, page.maxSeen);
        p.afterId = page.lastId;
        // A full pass read every company's contacts with its page; an incremental one reads the contacts that changed.
        const contacts = plan.syncCustomers && !plan.full && !!plan.companiesSince && patched('export-contact-changes');
        if (!page.more) Object.assign(p, { phase: contacts ? 'contacts' : plan.syncContracts ? 'contracts' : 'done', afterId: -1 });
      } else if (p.phase === 'contacts') {
        const page = await pages.exportContactChangesPage({ ...scope, since: plan.companiesSince!, afterId: p.afterId });
        p.customers = add(p.customers, page.counts);
        p.companiesSeen = later(p.companiesSeen, page.maxSeen);
        p.afterId = page.lastId;
        if (!page.more) Object.assign(p, { phase: plan.syncContracts ? 'contracts' : 'done', afterId: -1 });
      } else {
        const page = await pages.exportContractsPage({ ...scope, since: plan.contractsSince, afterId: p.afterId });
        p.contracts = add(p.contracts, page.counts);
        p.contractsSeen = later(p.contractsSeen, page.maxSeen);
        p.afterId = page.lastId;
        if (!page.more) p.phase = 'done';
      }
      if (p.phase !== 'done' && workflowInfo().continueAsNewSuggested) {
        return continueAsNew<typeof customerExportWorkflow>({ ...input, integrationId, carry: { integrationId, plan, webhook, progress: p } });
      }
    }
    const parts = [`${plan.full ? 'full' : 'incremental'} pass`, describeCounts('customers', p.customers), ...(plan.syncContracts ? [describeCounts('contracts', p.contracts)] : [])];
    if (plan.warning) parts.push(`warning: ${plan.warning}`);
    if (webhook) parts.push(webhook);
    const summary = parts.join('; ');
    await short.finishExportPass({ ...scope, full: plan.full, settingsHash: plan.settingsHash, companiesSeen: p.companiesSeen, contractsSeen: p.contractsSeen, summary, ...(plan.startedAt ? { startedAt: plan.startedAt } : {}) });
    await reportTemplateRun(connectorId, { template: EXPORT_TEMPLATE, integrationId, status: 'completed', at: new Date().toISOString(), summary });
    return { integrationId, full: plan.full, customers: p.customers, contracts: p.contracts, summary, ...(webhook ? { webhook } : {}), ...(plan.warning ? { warning: plan.warning } : {}) };
  } catch (err) {
    const message = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
    await reportTemplateRun(connectorId, { template: EXPORT_TEMPLATE, integrationId, status: 'failed', at: new Date().toISOString(), summary: message });
    throw ApplicationFailure.nonRetryable(`Customer export failed: ${message}`, 'customer-export-failed');
  }
}
