// Distributor orders → where the Autotask PO stands, per line and overall. Handles split orders
// (each line lives in one distributor order), lines the distributor rejected at submission,
// partial shipments and backorders. Partial shipment and closure come from line quantities and
// shipment/invoice details, never from a header status (Ingram has no "partially shipped" or
// "invoiced" one): a PO whose live lines are all shipped and invoiced is closed. Pure.
import type { OrderLinkLine, SubmittedLineOutcome } from '../../db/schema/orders';
import type { DistributorOrder, OrderStatus } from '../distributors/adapter';
import type { OrderState } from './types';

export interface TrackingInfo {
  carrier: string | null;
  trackingNumber: string | null;
  quantity: number | null;
  shippedAt: string | null;
  deliveredAt: string | null;
}

export type LineStatus = OrderStatus | 'rejected' | 'unknown';

export interface LineProgress {
  lineNumber: string;
  purchaseOrderItemId: number;
  distributorSku: string;
  distributorOrderId: string | null;
  status: LineStatus;
  vendorStatus: string | null;
  ordered: number;
  shipped: number;
  backordered: number;
  /** Estimated arrival (YYYY-MM-DD): backorder ETA while short, else the delivery date once delivered. */
  eta: string | null;
  tracking: TrackingInfo[];
  invoiceNumbers: string[];
  /** Everything shipped on this line carries an invoice number. */
  invoiced: boolean;
  rejectReason: string | null;
}

export interface OrderProgress {
  state: OrderState;
  /** e.g. `20-0A1B3: Shipped; 20-0A1B4: Backordered` */
  vendorStatus: string;
  lines: LineProgress[];
  invoiceNumbers: string[];
  /** A distributor order reported an error status. */
  error: string | null;
}

export function orderProgress(lines: OrderLinkLine[], submitted: SubmittedLineOutcome[] | null, orders: Array<DistributorOrder | null>, ids: string[]): OrderProgress {
  const known = orders.filter((o): o is DistributorOrder => o !== null);
  const outcome = new Map((submitted ?? []).map((s) => [s.lineNumber, s]));
  const progress: LineProgress[] = lines.map((line) => {
    const rejected = outcome.get(line.lineNumber);
    const base = { lineNumber: line.lineNumber, purchaseOrderItemId: line.purchaseOrderItemId, distributorSku: line.distributorSku, ordered: line.quantity };
    if (rejected && !rejected.accepted) {
      return { ...base, distributorOrderId: null, status: 'rejected', vendorStatus: null, shipped: 0, backordered: 0, eta: null, tracking: [], invoiceNumbers: [], invoiced: false, rejectReason: rejected.reason ?? 'rejected by the distributor' };
    }
    for (const order of known) {
      const l = order.lines.find((x) => x.lineNumber === line.lineNumber) ?? (known.length === 1 ? order.lines.find((x) => x.distributorSku === line.distributorSku) : undefined);
      if (!l) continue;
      const delivered = l.shipments.map((s) => s.deliveredAt).filter((d): d is string => !!d).sort().at(-1) ?? null;
      const short = l.quantities.backordered > 0 && l.quantities.shipped < line.quantity;
      return {
        ...base,
        distributorOrderId: order.distributorOrderId,
        status: l.status,
        vendorStatus: l.vendorStatus,
        shipped: l.quantities.shipped,
        backordered: l.quantities.backordered,
        eta: short ? l.backorderEta : l.status === 'delivered' || l.status === 'invoiced' ? delivered : null,
        tracking: l.shipments.map((s) => ({ carrier: s.carrier ?? s.carrierCode, trackingNumber: s.trackingNumber, quantity: s.quantity, shippedAt: s.shippedAt, deliveredAt: s.deliveredAt })),
        invoiceNumbers: l.invoiceNumbers,
        invoiced: l.shipments.length > 0 && l.shipments.every((s) => !!s.invoiceNumber),
        rejectReason: null,
      };
    }
    return { ...base, distributorOrderId: rejected?.distributorOrderId ?? null, status: 'unknown', vendorStatus: null, shipped: 0, backordered: 0, eta: null, tracking: [], invoiceNumbers: [], invoiced: false, rejectReason: null };
  });

  const invoiceNumbers = [...new Set([...known.flatMap((o) => o.invoiceNumbers), ...progress.flatMap((l) => l.invoiceNumbers)])];
  const vendorStatus = ids.map((id) => `${id}: ${known.find((o) => o.distributorOrderId === id)?.vendorStatus ?? 'not found'}`).join('; ');
  const errored = known.filter((o) => o.status === 'error');
  const error = errored.length ? `The distributor reports an error on ${errored.map((o) => o.distributorOrderId).join(', ')} (${errored.map((o) => o.vendorStatus).join(', ')}).` : null;
  return { state: aggregateState(progress, known), vendorStatus, lines: progress, invoiceNumbers, error };
}

function aggregateState(lines: LineProgress[], orders: DistributorOrder[]): OrderState {
  const live = lines.filter((l) => l.status !== 'rejected' && l.status !== 'cancelled');
  if (!live.length) return lines.some((l) => l.status === 'cancelled') ? 'cancelled' : 'rejected';
  if (orders.length && orders.every((o) => o.status === 'cancelled')) return 'cancelled';
  const complete = live.every((l) => l.shipped >= l.ordered);
  if (complete) {
    if (live.every((l) => l.invoiced || l.status === 'invoiced')) return 'closed';
    if (live.every((l) => l.status === 'delivered' || l.status === 'invoiced')) return 'delivered';
    return 'shipped';
  }
  if (live.some((l) => l.shipped > 0)) return 'partially_shipped';
  if (live.some((l) => l.backordered > 0 || l.status === 'backordered')) return 'backordered';
  if (live.every((l) => l.status === 'unknown' || l.status === 'submitted')) return 'submitted';
  return 'processing';
}
