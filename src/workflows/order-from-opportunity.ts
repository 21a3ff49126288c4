// The Submit Order "custom workflow": a won opportunity's quote products become an Autotask PO for
// the distributor (created once: the opportunity → PO link is stored, and a marker on the PO finds
// it after a crash), then the PO's lifecycle workflow is started and asked to submit.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import type { OrderTiming } from '../orders/types';

export interface OrderFromOpportunityInput {
  connectorId: string;
  /** The distributor the PO is for; absent → the connector's only distributor. */
  integrationId?: string;
  opportunityId: number;
  /** Passed on to the order's lifecycle workflow (tests, benchmarks). */
  timing?: Partial<OrderTiming>;
  activityTimeoutMs?: number;
}

export interface OrderFromOpportunityResult {
  purchaseOrderId: number;
  purchaseOrderNumber: string;
  created: boolean;
  items: number;
  orderWorkflowId: string;
}

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
});

export async function orderFromOpportunityWorkflow(input: OrderFromOpportunityInput): Promise<OrderFromOpportunityResult> {
  const po = await acts.createPurchaseOrderFromOpportunity({ connectorId: input.connectorId, integrationId: input.integrationId, opportunityId: input.opportunityId, workflowId: workflowInfo().workflowId });
  const { workflowId } = await acts.startOrderSubmission({
    connectorId: input.connectorId, integrationId: input.integrationId, purchaseOrderId: po.purchaseOrderId, purchaseOrderNumber: po.purchaseOrderNumber, trigger: 'opportunity',
    opportunityId: input.opportunityId, timing: input.timing, activityTimeoutMs: input.activityTimeoutMs,
  });
  return { ...po, orderWorkflowId: workflowId };
}
