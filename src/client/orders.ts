// Typed, idempotent order starters for the CLI and other services. Everything goes through
// Temporal (update-with-start, signals, queries), so callers never need the engine's database.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OrderTiming, SubmitOutcome } from '../orders/types';
import { workflowIds } from '../workflows/ids';
import { orderStartOperation, startOrderWorkflow } from './order-workflow';
import { cancelOrderUpdate, distributorEventSignal, orderQuery, retryOrderUpdate, submitOrderUpdate, type OrderView } from '../workflows/messages/orders';
import type { OrderFromOpportunityResult, orderFromOpportunityWorkflow } from '../workflows/order-from-opportunity';
import type { purchaseOrderLookupWorkflow } from '../workflows/order-scan';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';

export interface OrderOptions {
  /** Overrides the connector's order settings (tests, benchmarks). */
  timing?: Partial<OrderTiming>;
  activityTimeoutMs?: number;
  by?: string;
}

/**
 * `orders submit`: validates and submits the PO whether or not its workflow exists (update-with-start);
 * returns the validation result and where the order stands. Safe to repeat.
 */
export async function submitPurchaseOrder(client: Client, taskQueue: string, connectorId: string, purchaseOrderId: number, options: OrderOptions = {}): Promise<SubmitOutcome> {
  return client.workflow.executeUpdateWithStart(submitOrderUpdate, {
    args: [{ by: options.by ?? 'cli' }],
    startWorkflowOperation: orderStartOperation(taskQueue, { connectorId, purchaseOrderId, trigger: 'manual', timing: options.timing, activityTimeoutMs: options.activityTimeoutMs }),
  });
}

/** What the Web UI's "submit" button does: a signal (fire and forget), starting the workflow if needed. */
export async function signalSubmitPurchaseOrder(client: Client, taskQueue: string, connectorId: string, purchaseOrderId: number, options: OrderOptions = {}): Promise<string> {
  const input = { connectorId, purchaseOrderId, trigger: 'manual' as const, timing: options.timing, activityTimeoutMs: options.activityTimeoutMs };
  await startOrderWorkflow(client, taskQueue, input, { submit: { by: options.by ?? 'web-ui' } });
  return workflowIds.order(connectorId, purchaseOrderId);
}

/** PO number (or id) → Autotask PO id, looked up by a short workflow (the CLI has no Autotask credentials). */
export async function findPurchaseOrderId(client: Client, taskQueue: string, connectorId: string, purchaseOrderNumber: string): Promise<number> {
  const result = await client.workflow.execute<typeof purchaseOrderLookupWorkflow>('purchaseOrderLookupWorkflow', {
    workflowId: workflowIds.purchaseOrderLookup(connectorId, purchaseOrderNumber),
    taskQueue,
    args: [{ connectorId, purchaseOrderNumber }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  if (result.purchaseOrderId === null) {
    throw new Error(result.matches > 1 ? `${result.matches} Autotask purchase orders have number ${purchaseOrderNumber}: pass the PO id with --po-id` : `No Autotask purchase order ${purchaseOrderNumber}`);
  }
  return result.purchaseOrderId;
}

export async function retryPurchaseOrder(client: Client, taskQueue: string, connectorId: string, purchaseOrderId: number, options: OrderOptions = {}): Promise<OrderView> {
  return client.workflow.executeUpdateWithStart(retryOrderUpdate, {
    args: [{ by: options.by ?? 'cli' }],
    startWorkflowOperation: orderStartOperation(taskQueue, { connectorId, purchaseOrderId, trigger: 'sweep', timing: options.timing, activityTimeoutMs: options.activityTimeoutMs }),
  });
}

export async function cancelPurchaseOrder(client: Client, connectorId: string, purchaseOrderId: number, reason?: string, by = 'cli'): Promise<OrderView> {
  return client.workflow.getHandle(workflowIds.order(connectorId, purchaseOrderId)).executeUpdate(cancelOrderUpdate, { args: [{ reason, by }] });
}

/** Where the order stands (undefined when it never had a workflow). */
export async function orderStatus(client: Client, connectorId: string, purchaseOrderId: number): Promise<OrderView | undefined> {
  try {
    return await client.workflow.getHandle(workflowIds.order(connectorId, purchaseOrderId)).query(orderQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** A distributor webhook arrived: the order's workflow polls at once. */
export async function notifyDistributorEvent(client: Client, connectorId: string, purchaseOrderId: number, event: { distributorOrderId?: string; status?: string } = {}): Promise<void> {
  await client.workflow.getHandle(workflowIds.order(connectorId, purchaseOrderId)).signal(distributorEventSignal, { ...event, at: new Date().toISOString() });
}

/** `orders from-opportunity`: once per opportunity (a repeat finds the PO it created). */
export async function orderFromOpportunity(client: Client, taskQueue: string, connectorId: string, opportunityId: number, options: OrderOptions = {}): Promise<OrderFromOpportunityResult> {
  return client.workflow.execute<typeof orderFromOpportunityWorkflow>('orderFromOpportunityWorkflow', {
    workflowId: workflowIds.orderFromOpportunity(connectorId, opportunityId),
    taskQueue,
    args: [{ connectorId, opportunityId, timing: options.timing, activityTimeoutMs: options.activityTimeoutMs }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: BridgeConnector, value: connectorId },
      { key: BridgeTemplate, value: 'submit-order' },
    ],
  });
}
