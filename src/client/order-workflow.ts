// The one place an order's lifecycle workflow gets its start options: id, task queue, input and
// search attributes. The CLI (update-with-start) and the Submit Order / Get Order Status activities
// (start, signal-with-start) all use it.
import type { SearchAttributePair } from '@temporalio/common';
import { ORDER_WORKFLOW_TYPE, type OrderLifecycleInput } from '../orders/types';
import { workflowIds } from '../workflows/ids';
import { BridgeConnector, BridgePoNumber, BridgeStatus, BridgeTemplate } from '../workflows/search-attributes';

export { ORDER_WORKFLOW_TYPE };

export function orderWorkflowOptions(taskQueue: string, input: OrderLifecycleInput, purchaseOrderNumber?: string | null) {
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: BridgeConnector, value: input.connectorId },
    { key: BridgeTemplate, value: 'order' },
    { key: BridgeStatus, value: 'awaiting_submission' },
    ...(purchaseOrderNumber ? [{ key: BridgePoNumber, value: purchaseOrderNumber }] : []),
  ];
  return { workflowId: workflowIds.order(input.connectorId, input.purchaseOrderId), taskQueue, args: [input] as [OrderLifecycleInput], typedSearchAttributes };
}
