// A few purchase orders for the sandbox's Autotask: vendor = the distributor's company, status New,
// shipping to the sandbox customer, one to three items of products Product Sync linked. The
// Submit Order scan picks them up and runs them through the lifecycle.
import type { Sandbox } from './index';

export interface SandboxPurchaseOrderOptions {
  count: number;
  /** Autotask product ids linked to distributor SKUs (Product Sync's product_links). */
  productIds: number[];
  /** Items per PO (default 1..3, cycling). */
  itemsPerOrder?: number;
  /** PO status picklist value (default 1, New). */
  status?: number;
}

/** Finds or creates the sandbox's inventory location (PO items require one). */
export function sandboxInventoryLocation(sandbox: Sandbox): number {
  const existing = sandbox.autotask.records('InventoryLocations').find((l) => l.isActive);
  if (existing) return existing.id;
  const [id] = sandbox.autotask.seed('InventoryLocations', [{ locationName: 'Main Warehouse', isActive: true, isDefault: true }]);
  return id;
}

export function seedSandboxPurchaseOrders(sandbox: Sandbox, options: SandboxPurchaseOrderOptions): number[] {
  if (!options.productIds.length) throw new Error('seedSandboxPurchaseOrders needs linked product ids');
  const location = sandboxInventoryLocation(sandbox);
  const customer = sandbox.autotask.records('Companies').find((c) => c.id === sandbox.customerCompanyId);
  const products = new Map(sandbox.autotask.records('Products').map((p) => [p.id, p]));
  const ids: number[] = [];
  let next = 0;
  for (let n = 0; n < options.count; n++) {
    const [poId] = sandbox.autotask.seed('PurchaseOrders', [{
      vendorID: sandbox.vendorCompanyId,
      status: options.status ?? 1,
      purchaseForCompanyID: sandbox.customerCompanyId,
      shipToName: String(customer?.companyName ?? 'Contoso Ltd'),
      shipToAddress1: String(customer?.address1 ?? '1 Microsoft Way'),
      shipToCity: String(customer?.city ?? 'Redmond'),
      shipToState: String(customer?.state ?? 'WA'),
      shipToPostalCode: String(customer?.postalCode ?? '98052'),
      phone: '+1 425 555 0100',
      createDateTime: new Date().toISOString(),
    }]);
    const items = options.itemsPerOrder ?? 1 + (n % 3);
    sandbox.autotask.seed('PurchaseOrderItems', Array.from({ length: items }, (_, i) => {
      const productID = options.productIds[next++ % options.productIds.length];
      return { orderID: poId, productID, quantity: 1 + ((n + i) % 3), unitCost: Number(products.get(productID)?.unitCost ?? 10), inventoryLocationID: location };
    }));
    ids.push(poId);
  }
  return ids;
}
