// Customer Export (seed 003): active customers and their contracts out of Autotask to an export
// target. Webhooks carry company changes as they happen; this template's run is the polling fallback
// (and the full pass on first enable), and it checks the Autotask webhook each time.
import { exportWorkflowIds } from '../workflows/messages/export';
import { defineTemplate } from './template';

export const customerExportTemplate = defineTemplate({
  name: 'customer-export',
  label: 'Customer Export',
  order: 50,
  role: 'export',
  workflowType: 'customerExportWorkflow',
  workflowId: (connectorId, integrationId) => exportWorkflowIds.pass(connectorId, integrationId),
  // The webhooks carry changes as they happen; every 15 minutes the pass catches what they missed (reading only what changed).
  schedule: () => ({ everyMinutes: 15, catchupWindow: '1 hour' }),
  // Webhook creation is not listed: it is optional (polling works without it) and off by default in
  // security levels, so activation must not fail for it; the pass reports it instead.
  access: { Companies: ['query'], Contracts: ['query'], Resources: ['query'] },
  prerequisites: [],
});
