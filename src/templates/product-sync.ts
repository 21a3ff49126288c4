// Product Sync: the distributor catalog into Autotask products, daily.
import { defineTemplate, type AutotaskAccess } from './template';

export const productSyncTemplate = defineTemplate({
  name: 'product-sync',
  label: 'Product Sync',
  order: 10,
  role: 'distributor',
  workflowType: 'productSyncWorkflow',
  workflowId: (connectorId, integrationId) => `product-sync/${connectorId}/${integrationId}`,
  schedule: (settings) => {
    const s = settings.productSync.schedule;
    return { calendars: [{ hour: s.hour, minute: s.minute }], timezone: s.timezone, catchupWindow: `${s.catchupWindowHours} hours` };
  },
  access: {
    Products: ['query', 'create', 'update'],
    ProductVendors: ['query', 'create', 'update'],
    Companies: ['query'],
    Resources: ['query'],
    BillingCodes: ['query'],
    UserDefinedFieldDefinitions: ['query'],
  },
  // Distributor stock in Autotask Inventory (src/product-sync/inventory.ts): the location, one item per
  // product, and stock changes as StockedItemsAdd/Remove creates (the stocked items read for a removal).
  settingsAccess: (settings): Record<string, AutotaskAccess[]> =>
    settings.productSync.inventory.enabled
      ? { InventoryLocations: ['query', 'create'], InventoryItems: ['query', 'create'], InventoryStockedItems: ['query'], InventoryStockedItemsAdd: ['create'], InventoryStockedItemsRemove: ['create'] }
      : {},
  prerequisites: [],
});
