// Get Order Status: every open linked order keeps its lifecycle workflow polling the distributor.
import { defineTemplate } from './template';

export const getOrderStatusTemplate = defineTemplate({
  name: 'get-order-status',
  label: 'Get Order Status',
  order: 30,
  role: 'distributor',
  workflowType: 'orderStatusSweepWorkflow',
  workflowId: (connectorId, integrationId) => `order-status/${connectorId}/${integrationId}`,
  schedule: (settings) => ({ everyMinutes: settings.orders.scanIntervalMinutes, catchupWindow: '1 hour' }),
  access: {
    PurchaseOrders: ['query', 'update'],
    PurchaseOrderItems: ['query', 'update'],
    PurchaseOrderItemReceiving: ['create'],
  },
  prerequisites: [],
});
