// The one place an order's lifecycle workflow is started: id, task queue, input and search
// attributes are set here only. The CLI (update-with-start), the Web UI's button (signal-with-start)
// and the Submit Order / Get Order Status / from-opportunity activities (start, signal-with-start)
// all come through it.
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { ORDER_WORKFLOW_TYPE, submitSignal, type OrderLifecycleInput, type SubmitRequest } from '../workflows/messages/orders';
import { workflowIds } from '../workflows/ids';
import type { orderLifecycleWorkflow } from '../workflows/order-lifecycle';
import { BridgeConnector, BridgePoNumber, BridgeStatus, BridgeTemplate } from '../workflows/search-attributes';

function orderWorkflowOptions(taskQueue: string, input: OrderLifecycleInput, purchaseOrderNumber?: string | null) {
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: BridgeConnector, value: input.connectorId },
    { key: BridgeTemplate, value: 'order' },
    { key: BridgeStatus, value: 'awaiting_submission' },
    ...(purchaseOrderNumber ? [{ key: BridgePoNumber, value: purchaseOrderNumber }] : []),
  ];
  return { workflowId: workflowIds.order(input.connectorId, input.purchaseOrderId), taskQueue, args: [input] as [OrderLifecycleInput], typedSearchAttributes };
}

export interface StartOrderOptions {
  /** Shown in the Web UI's search attributes from the start. */
  purchaseOrderNumber?: string | null;
  /** Also ask the workflow (new or running) to submit: signal-with-start. */
  submit?: SubmitRequest;
}

/** Starts the PO's workflow, or finds it running (`running`); with `submit` the submit signal goes to either. */
export async function startOrderWorkflow(client: Client, taskQueue: string, input: OrderLifecycleInput, options: StartOrderOptions = {}): Promise<'started' | 'running'> {
  const start = orderWorkflowOptions(taskQueue, input, options.purchaseOrderNumber);
  if (options.submit) {
    await client.workflow.signalWithStart<typeof orderLifecycleWorkflow, [SubmitRequest]>(ORDER_WORKFLOW_TYPE, { ...start, signal: submitSignal, signalArgs: [options.submit] });
    return 'started';
  }
  try {
    await client.workflow.start<typeof orderLifecycleWorkflow>(ORDER_WORKFLOW_TYPE, { ...start, workflowIdConflictPolicy: 'FAIL' });
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'running';
    throw err;
  }
}

/** The start half of an update-with-start: the running workflow is used when there is one. */
export function orderStartOperation(taskQueue: string, input: OrderLifecycleInput, purchaseOrderNumber?: string | null): WithStartWorkflowOperation<typeof orderLifecycleWorkflow> {
  return new WithStartWorkflowOperation<typeof orderLifecycleWorkflow>(ORDER_WORKFLOW_TYPE, { ...orderWorkflowOptions(taskQueue, input, purchaseOrderNumber), workflowIdConflictPolicy: 'USE_EXISTING' });
}
