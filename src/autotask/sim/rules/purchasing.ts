// Purchase orders: receiving and the status changes it causes.
import { reject } from '../respond';
import type { RuleContext, SimRuleModule } from './index';
import type { SimRecord } from '../store';

export const purchasing: SimRuleModule = {
  name: 'purchasing',
  entities: ['PurchaseOrders', 'PurchaseOrderItemReceiving'],
  beforeCreate(ctx, entity, values) {
    if (entity.name !== 'PurchaseOrderItemReceiving') return;
    const item = ctx.store.get('PurchaseOrderItems', values.purchaseOrderItemID as number);
    if (!item) throw reject('Value does not reference an existing entity for purchaseOrderItemID.');
    const previous = received(ctx, item.id);
    const now = values.quantityNowReceiving as number;
    if (now <= 0 || previous + now > (item.quantity as number)) throw reject(`quantityNowReceiving must be between 1 and ${(item.quantity as number) - previous}.`);
    values.quantityPreviouslyReceived = previous;
    values.receiveDate ??= ctx.now();
  },
  afterCreate(ctx, entity, row) {
    if (entity.name !== 'PurchaseOrderItemReceiving') return;
    const item = ctx.store.get('PurchaseOrderItems', row.purchaseOrderItemID as number)!;
    updateOrderStatus(ctx, item.orderID as number);
  },
  afterUpdate(ctx, entity, row) {
    // Cancelling stamps cancelDateTime (read-only in the API) — unverified, inferred from the field.
    if (entity.name === 'PurchaseOrders' && row.status === 5 && !row.cancelDateTime) row.cancelDateTime = ctx.now();
  },
};

function received(ctx: RuleContext, itemId: number): number {
  let n = 0;
  for (const r of ctx.store.table('PurchaseOrderItemReceiving').rows.values()) if (r.purchaseOrderItemID === itemId) n += r.quantityNowReceiving as number;
  return n;
}

/** Receiving moves a PO to Received Partial (3) or Received Full (4), as Autotask does. */
function updateOrderStatus(ctx: RuleContext, orderId: number): void {
  const order = ctx.store.get('PurchaseOrders', orderId);
  if (!order) return;
  const items = ctx.store.table('PurchaseOrderItems').withValue('orderID', orderId);
  const full = items.every((i) => received(ctx, i.id) >= (i.quantity as number));
  order.status = full ? 4 : 3;
}
