// Submit Order: Autotask purchase orders for the distributor's vendor company → distributor orders.
import { defineTemplate } from './template';

export const submitOrderTemplate = defineTemplate({
  name: 'submit-order',
  label: 'Submit Order',
  order: 20,
  role: 'distributor',
  workflowType: 'orderScanWorkflow',
  workflowId: (connectorId, integrationId) => `order-scan/${connectorId}/${integrationId}`,
  schedule: (settings) => ({ everyMinutes: settings.orders.scanIntervalMinutes, catchupWindow: '1 hour' }),
  access: {
    PurchaseOrders: ['query', 'create', 'update'],
    PurchaseOrderItems: ['query', 'create', 'update'],
    Opportunities: ['query'],
    Quotes: ['query'],
    QuoteItems: ['query'],
  },
  prerequisites: ['product-sync'],
  prerequisiteHint:
    'Submit Order needs products mapped by Product Sync: enable Product Sync and let it complete once first (recommended order: Product Sync → Submit Order → Get Order Status)',
});
