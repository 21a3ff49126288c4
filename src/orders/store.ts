// order_links, opportunity_orders and the action log: what the order activities read and write.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { actionLog } from '../../db/schema/action-log';
import { productLinks } from '../../db/schema/catalog';
import { opportunityOrders, orderLinks, type OrderLinkRow } from '../../db/schema/orders';
import type { LinkScope } from '../product-sync/store';
import type { ProductMapping } from './validate';

export type OrderLinkPatch = Partial<Omit<typeof orderLinks.$inferInsert, 'connectorId' | 'purchaseOrderId'>>;

export class OrderStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async link(connectorId: string, purchaseOrderId: number): Promise<OrderLinkRow | undefined> {
    const [row] = await this.db.select().from(orderLinks).where(and(eq(orderLinks.connectorId, connectorId), eq(orderLinks.purchaseOrderId, purchaseOrderId)));
    return row;
  }

  /** Creates the link or updates it (the client PO number never changes once set). */
  async upsertLink(connectorId: string, purchaseOrderId: number, values: OrderLinkPatch & { integrationId: string; clientPoNumber: string; state: string }): Promise<void> {
    const now = new Date();
    const { clientPoNumber: _po, ...rest } = values;
    await this.db
      .insert(orderLinks)
      .values({ connectorId, purchaseOrderId, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: [orderLinks.connectorId, orderLinks.purchaseOrderId], set: { ...rest, updatedAt: now } });
  }

  async updateLink(connectorId: string, purchaseOrderId: number, patch: OrderLinkPatch): Promise<void> {
    await this.db
      .update(orderLinks)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(orderLinks.connectorId, connectorId), eq(orderLinks.purchaseOrderId, purchaseOrderId)));
  }

  /** Which of these POs already have a link (any state). */
  async linkedPurchaseOrders(connectorId: string, purchaseOrderIds: number[]): Promise<Set<number>> {
    if (!purchaseOrderIds.length) return new Set();
    const rows = await this.db
      .select({ id: orderLinks.purchaseOrderId })
      .from(orderLinks)
      .where(and(eq(orderLinks.connectorId, connectorId), inArray(orderLinks.purchaseOrderId, purchaseOrderIds)));
    return new Set(rows.map((r) => r.id));
  }

  async linksInStates(scope: LinkScope, states: string[], limit: number): Promise<Array<{ purchaseOrderId: number; state: string; purchaseOrderNumber: string | null }>> {
    if (!states.length) return [];
    return this.db
      .select({ purchaseOrderId: orderLinks.purchaseOrderId, state: orderLinks.state, purchaseOrderNumber: orderLinks.purchaseOrderNumber })
      .from(orderLinks)
      .where(and(eq(orderLinks.connectorId, scope.connectorId), eq(orderLinks.integrationId, scope.integrationId), inArray(orderLinks.state, states)))
      .orderBy(orderLinks.purchaseOrderId)
      .limit(limit);
  }

  /** Product Sync's links for these Autotask products (active ones first when a product has several). */
  async productMappings(scope: LinkScope, productIds: number[]): Promise<Map<number, ProductMapping>> {
    const out = new Map<number, ProductMapping>();
    if (!productIds.length) return out;
    const rows = await this.db
      .select({ productId: productLinks.autotaskProductId, sku: productLinks.distributorSku, isActive: productLinks.isActive, endUserRequired: productLinks.endUserRequired })
      .from(productLinks)
      .where(and(eq(productLinks.connectorId, scope.connectorId), eq(productLinks.integrationId, scope.integrationId), inArray(productLinks.autotaskProductId, productIds)));
    for (const r of rows) {
      if (r.productId === null) continue;
      const seen = out.get(r.productId);
      if (!seen || (!seen.isActive && r.isActive)) out.set(r.productId, { distributorSku: r.sku, isActive: r.isActive, endUserRequired: r.endUserRequired });
    }
    return out;
  }

  async log(connectorId: string, kind: string, message: string, details: Record<string, unknown>, workflowId?: string): Promise<void> {
    await this.db.insert(actionLog).values({ connectorId, kind, message: message.slice(0, 4000), details, workflowId: workflowId ?? null });
  }

  // ---- orders from opportunities --------------------------------------------------------------

  async opportunityOrder(connectorId: string, opportunityId: number) {
    const [row] = await this.db.select().from(opportunityOrders).where(and(eq(opportunityOrders.connectorId, connectorId), eq(opportunityOrders.opportunityId, opportunityId)));
    return row;
  }

  async claimOpportunity(connectorId: string, opportunityId: number, marker: string): Promise<void> {
    await this.db.insert(opportunityOrders).values({ connectorId, opportunityId, marker }).onConflictDoNothing();
  }

  async setOpportunityPurchaseOrder(connectorId: string, opportunityId: number, purchaseOrderId: number): Promise<void> {
    await this.db
      .update(opportunityOrders)
      .set({ purchaseOrderId, updatedAt: sql`now()` })
      .where(and(eq(opportunityOrders.connectorId, connectorId), eq(opportunityOrders.opportunityId, opportunityId)));
  }
}
