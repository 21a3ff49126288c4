// Fixtures for the order tests: distributor SKUs with known stock, Autotask products linked to them
// (what Product Sync would have written), purchase orders, and a connector whose order timings are fast.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { productLinks } from '../../db/schema/catalog';
import { integrations } from '../../db/schema/connectors';
import type { SimProduct } from '../../src/distributors/ingram/sim/catalog';
import type { Sandbox } from '../../src/sim';
import { sandboxInventoryLocation } from '../../src/sim/sandbox-orders';
import { saveConnectedConnector } from '../helpers/connector';
import { testKeyRing } from '../helpers/temporal';
export { eventually } from '../helpers/eventually';

/** Fast order settings: poll every 150 ms (backing off to 600 ms); PO status 1 confirmed as "ready to order" (what `createPurchaseOrder` uses). */
export const FAST_ORDERS = { pollSeconds: { initial: 0.15, max: 0.6, backoff: 2 }, trackUntil: 'closed', submitStatus: { values: [1], labels: ['New'], confirmed: true } };

export async function connectOrdersConnector(database: Database, sandbox: Sandbox, connectorId: string, orders: Record<string, unknown> = {}, distributor: Record<string, unknown> = {}): Promise<void> {
  await saveConnectedConnector(database, testKeyRing(), sandbox, connectorId, { orders: { ...FAST_ORDERS, ...orders } });
  if (Object.keys(distributor).length) {
    const id = sandbox.integrations[0];
    const [row] = await database.db.select().from(integrations).where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, id)));
    await database.db.update(integrations).set({ settings: { ...row.settings, ...distributor }, updatedAt: new Date() }).where(and(eq(integrations.connectorId, connectorId), eq(integrations.id, id)));
  }
}

function orderable(p: SimProduct): boolean {
  return !p.bad && !p.discontinued && !p.digital && p.cost > 0 && p.cost < 1_000_000 && p.warehouses.length > 0;
}

const topWarehouse = (p: SimProduct) => [...p.warehouses].sort((a, b) => b.quantity - a.quantity)[0];

/** Orderable physical SKUs, each with its best warehouse and the stock there. */
export function catalogSkus(sandbox: Sandbox, n = 400): Array<{ sku: string; warehouse: string; stock: number }> {
  const out = [];
  const catalog = sandbox.ingram.catalog;
  for (let i = 0; i < Math.min(n, catalog.settings.skus); i++) {
    const p = catalog.product(i);
    if (!catalog.isPresent(i) || !orderable(p)) continue;
    const w = topWarehouse(p);
    out.push({ sku: p.sku, warehouse: w.id, stock: w.quantity });
  }
  return out;
}

let nextProduct = 0;

/** Autotask products for these SKUs plus their product links (active unless said otherwise). */
export async function linkProducts(database: Database, sandbox: Sandbox, connectorId: string, skus: string[], active = true): Promise<number[]> {
  const ids = sandbox.autotask.seed('Products', skus.map((sku) => ({
    name: `Test product ${sku} ${++nextProduct}`, sku, isActive: true, isSerialized: false, productBillingCodeID: sandbox.billingCodeId, unitCost: 10, unitPrice: 12, billingType: 1,
  })));
  await database.db.insert(productLinks).values(skus.map((sku, i) => ({ connectorId, integrationId: sandbox.integrations[0], distributorSku: sku, autotaskProductId: ids[i], isActive: active })))
    .onConflictDoUpdate({ target: [productLinks.connectorId, productLinks.integrationId, productLinks.distributorSku], set: { isActive: active } });
  return ids;
}

export interface PoSpec {
  lines: Array<{ productId: number; quantity: number }>;
  vendorId?: number;
  status?: number;
  shipTo?: Partial<Record<'shipToName' | 'shipToAddress1' | 'shipToCity' | 'shipToState' | 'shipToPostalCode', string | null>>;
  generalMemo?: string;
}

export function createPurchaseOrder(sandbox: Sandbox, spec: PoSpec): number {
  const location = sandboxInventoryLocation(sandbox);
  const [poId] = sandbox.autotask.seed('PurchaseOrders', [{
    vendorID: spec.vendorId ?? sandbox.vendorCompanyId,
    status: spec.status ?? 1,
    purchaseForCompanyID: sandbox.customerCompanyId,
    shipToName: 'Contoso Ltd', shipToAddress1: '1 Microsoft Way', shipToCity: 'Redmond', shipToState: 'WA', shipToPostalCode: '98052',
    ...spec.shipTo,
    generalMemo: spec.generalMemo ?? null,
  }]);
  sandbox.autotask.seed('PurchaseOrderItems', spec.lines.map((l) => ({ orderID: poId, productID: l.productId, quantity: l.quantity, unitCost: 10, inventoryLocationID: location })));
  return poId;
}

export function po(sandbox: Sandbox, id: number) {
  return sandbox.autotask.records('PurchaseOrders').find((r) => r.id === id)!;
}

export function poItems(sandbox: Sandbox, id: number) {
  return sandbox.autotask.records('PurchaseOrderItems').filter((r) => r.orderID === id).sort((a, b) => a.id - b.id);
}

/** Distributor orders the simulator holds for our PO number. */
export function simOrders(sandbox: Sandbox, clientPo: string) {
  return sandbox.ingram.state.orders.byCustomerOrderNumber(clientPo);
}

