// Starting a sync task's workflow from another workflow (Check Changes, reconciliation). Not a
// workflow itself: kept out of index.ts so the worker does not register it.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { workflowIds } from './ids';
import { SUBSCRIPTION_TEMPLATE, type SubscriptionTaskInput } from './messages/subscriptions';
import { BridgeConnector, BridgeStatus, BridgeTemplate } from './search-attributes';
import type { subscriptionTaskWorkflow } from './subscription-task';

/** Starts a task's workflow as an abandoned child (it outlives its starter); false when it already runs. */
export async function startTask(connectorId: string, integrationId: string, task: SubscriptionTaskInput): Promise<boolean> {
  try {
    await startChild<typeof subscriptionTaskWorkflow>('subscriptionTaskWorkflow', {
      workflowId: workflowIds.subscriptionTask(connectorId, integrationId, task.taskId),
      args: [task],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: BridgeConnector, value: connectorId },
        { key: BridgeTemplate, value: SUBSCRIPTION_TEMPLATE },
        { key: BridgeStatus, value: 'pending' },
      ],
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
