// The Get Order Status template's tick: every open linked order has its lifecycle workflow
// running (idempotent), so status tracking survives a terminated workflow, a lost history or a
// restored database. The polling itself happens in each order's workflow.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StartCounts } from '../activities/orders';
import { nonRetryableErrorTypes } from '../failures';
import type { TemplateRunInput } from '../templates/template';
import { integrationOfRun, reportTemplateRun } from './template-run';

export type OrderStatusSweepInput = TemplateRunInput;

const sweep = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});

export async function orderStatusSweepWorkflow(input: OrderStatusSweepInput): Promise<StartCounts> {
  const integrationId = await integrationOfRun(input, 'distributor');
  try {
    const counts = await sweep.ensureOrderWorkflows({ connectorId: input.connectorId, integrationId });
    await reportTemplateRun(input.connectorId, { template: 'get-order-status', integrationId, status: 'completed', at: new Date().toISOString(), summary: `${counts.found} open order(s), ${counts.started} restarted, ${counts.alreadyRunning} tracking` });
    return counts;
  } catch (err) {
    const message = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
    await reportTemplateRun(input.connectorId, { template: 'get-order-status', integrationId, status: 'failed', at: new Date().toISOString(), summary: message });
    throw ApplicationFailure.nonRetryable(`Get Order Status sweep failed: ${message}`, 'order-status-failed');
  }
}
