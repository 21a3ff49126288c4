// Customer Export (seed 003): active customers and their contracts out of Autotask to an export
// target. Webhooks carry company changes as they happen; this template's run is the polling fallback
// (and the full pass on first enable), and it checks the Autotask webhook each time.
import { exportWorkflowIds } from '../workflows/messages/export';
import { defineTemplate } from './template';

/** The export target's `pollMinutes` (validated by src/exports/settings.ts; pure here: workflows import templates). */
export const DEFAULT_EXPORT_POLL_MINUTES = 15;
export const MIN_EXPORT_POLL_MINUTES = 5;
export const MAX_EXPORT_POLL_MINUTES = 1440;

/** The interval of the target's settings, the default when absent or out of range. */
export function exportPollMinutes(integrationSettings: Record<string, unknown> | undefined): number {
  const n = integrationSettings?.pollMinutes;
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_EXPORT_POLL_MINUTES && n <= MAX_EXPORT_POLL_MINUTES ? n : DEFAULT_EXPORT_POLL_MINUTES;
}

export const customerExportTemplate = defineTemplate({
  name: 'customer-export',
  label: 'Customer Export',
  order: 50,
  role: 'export',
  workflowType: 'customerExportWorkflow',
  workflowId: (connectorId, integrationId) => exportWorkflowIds.pass(connectorId, integrationId),
  // The webhooks carry company changes as they happen; every `pollMinutes` (a setting of the export
  // target, default 15) the pass catches what they missed and what has no webhook (contacts, contracts).
  schedule: (_settings, integrationSettings) => ({ everyMinutes: exportPollMinutes(integrationSettings), catchupWindow: '1 hour' }),
  // Webhook creation is not listed: it is optional (polling works without it) and off by default in
  // security levels, so activation must not fail for it; the pass reports it instead.
  access: { Companies: ['query'], Contacts: ['query'], Contracts: ['query'], Resources: ['query'] },
  prerequisites: [],
});
