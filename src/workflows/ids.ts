// Task queues and workflow ids, built only here, from business keys (never random).
export const TASK_QUEUE = 'autotask-bridge';

export const workflowIds = {
  engineCheck: (runKey: string) => `engine-check/${runKey}`,
  connector: (connectorId: string) => `connector/${connectorId}`,
  /** Schedule-started runs get the schedule time appended by Temporal. */
  productSync: (connectorId: string) => `product-sync/${connectorId}`,
  manualProductSync: (connectorId: string, at: string) => `product-sync/${connectorId}/manual-${at}`,
  orderScan: (connectorId: string) => `order-scan/${connectorId}`,
  orderStatusSweep: (connectorId: string) => `order-status/${connectorId}`,
  order: (connectorId: string, purchaseOrderId: number) => `order/${connectorId}/${purchaseOrderId}`,
  orderFromOpportunity: (connectorId: string, opportunityId: number) => `order-from-opportunity/${connectorId}/${opportunityId}`,
  purchaseOrderLookup: (connectorId: string, purchaseOrderNumber: string) => `order-lookup/${connectorId}/${purchaseOrderNumber}`,
};

export const scheduleIds = {
  template: (connectorId: string, template: string) => `template/${connectorId}/${template}`,
};
