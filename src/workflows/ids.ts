// Task queues and workflow ids, built only here, from business keys (never random).
export const TASK_QUEUE = 'autotask-bridge';

export const workflowIds = {
  engineCheck: (runKey: string) => `engine-check/${runKey}`,
  connector: (connectorId: string) => `connector/${connectorId}`,
  /** Template workflows' ids come from the template registry (src/templates); a manual run adds its time. */
  manualRun: (templateWorkflowId: string, at: string) => `${templateWorkflowId}/manual-${at}`,
  order: (connectorId: string, purchaseOrderId: number) => `order/${connectorId}/${purchaseOrderId}`,
  orderFromOpportunity: (connectorId: string, opportunityId: number) => `order-from-opportunity/${connectorId}/${opportunityId}`,
  purchaseOrderLookup: (connectorId: string, purchaseOrderNumber: string) => `order-lookup/${connectorId}/${purchaseOrderNumber}`,
  /** One per marketplace order (taskId from the order id, see src/subscriptions/merge.ts). */
  subscriptionTask: (connectorId: string, integrationId: string, taskId: string) => `subscription-task/${connectorId}/${integrationId}/${taskId}`,
  /** Mapping commands and task lists of one marketplace integration (long-lived, update-with-start). */
  subscriptionMapping: (connectorId: string, integrationId: string) => `subscription-mapping/${connectorId}/${integrationId}`,
  /** The Subscription Sync template's Check Changes run (a manual one adds its time via `manualRun`). */
  subscriptionCheck: (connectorId: string, integrationId: string) => `subscription-check/${connectorId}/${integrationId}`,
};

export const scheduleIds = {
  template: (connectorId: string, template: string, integrationId: string) =>
    integrationId ? `template/${connectorId}/${template}/${integrationId}` : `template/${connectorId}/${template}`,
};
