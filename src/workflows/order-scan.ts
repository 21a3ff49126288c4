// The Submit Order template's tick: Autotask POs for the distributor's vendor company in a submit
// status and not yet linked get their lifecycle workflow (deterministic ids: a second scan starts
// nothing new). Also the PO-number lookup behind `autotask-bridge orders submit <PO number>`.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StartCounts } from '../activities/orders';
import { nonRetryableErrorTypes } from '../failures';
import type { TemplateRunInput } from '../templates/template';
import { integrationOfRun, reportTemplateRun } from './template-run';

export type OrderScanInput = TemplateRunInput;

export type OrderScanResult = StartCounts;

const scan = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
const short = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumAttempts: 5 } });

export async function orderScanWorkflow(input: OrderScanInput): Promise<OrderScanResult> {
  const integrationId = await integrationOfRun(input, 'distributor');
  try {
    const counts = await scan.scanPurchaseOrders({ connectorId: input.connectorId, integrationId });
    await reportTemplateRun(input.connectorId, { template: 'submit-order', integrationId, status: 'completed', at: new Date().toISOString(), summary: `${counts.found} PO(s) found, ${counts.started} started, ${counts.alreadyRunning} already running, ${counts.linked} already linked` });
    return counts;
  } catch (err) {
    const message = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
    await reportTemplateRun(input.connectorId, { template: 'submit-order', integrationId, status: 'failed', at: new Date().toISOString(), summary: message });
    throw ApplicationFailure.nonRetryable(`Submit Order scan failed: ${message}`, 'order-scan-failed');
  }
}

export interface PurchaseOrderLookupInput {
  connectorId: string;
  purchaseOrderNumber: string;
}

/** PO number (or id) → Autotask PO id; the CLI has no Autotask credentials of its own. */
export async function purchaseOrderLookupWorkflow(input: PurchaseOrderLookupInput): Promise<{ purchaseOrderId: number | null; purchaseOrderNumber: string | null; matches: number }> {
  return short.findPurchaseOrder(input);
}
