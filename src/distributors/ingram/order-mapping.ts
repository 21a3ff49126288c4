// Ingram order records ↔ normalised orders: the create-order body, its answer, and v6.1 order
// details with header and line statuses mapped to OrderStatus (the vendor's own kept beside it).
import type { Address, DistributorOrder, OrderInput, OrderLine, OrderStatus, Shipment, SubmitOrderResult, SubmittedLine } from '../adapter';
import { DistributorError, type FieldError } from '../errors';
import { blank, unique } from './catalog-mapping';
import { DISTRIBUTOR } from './errors';
import {
  INGRAM_ADDRESS_MAX, INGRAM_ADDRESS_REQUIRED, INGRAM_STATE_REQUIRED_COUNTRIES, type IngramAddress, type OrderCreateRequest, type OrderCreateResponse,
  type OrderDetail,
} from './schemas';

/** Problems with an address against the spec's lengths and the fields we require (src/orders/validate.ts says it in words first). */
export function addressProblems(address: Address, field: 'shipToInfo' | 'endUserInfo'): FieldError[] {
  const problems: FieldError[] = [];
  for (const key of INGRAM_ADDRESS_REQUIRED) if (!blank(address[key])) problems.push({ field: `${field}.${key}`, message: 'required' });
  if (INGRAM_STATE_REQUIRED_COUNTRIES.includes(address.countryCode ?? '') && !blank(address.state)) problems.push({ field: `${field}.state`, message: 'required' });
  for (const [key, max] of Object.entries(INGRAM_ADDRESS_MAX) as Array<[keyof IngramAddress, number | undefined]>) {
    const v = address[key];
    if (max !== undefined && v !== undefined && v.length > max) problems.push({ field: `${field}.${key}`, message: `at most ${max} characters`, value: v.slice(0, 80) });
  }
  return problems;
}

export function buildOrderRequest(order: OrderInput, clientPoNumber: string, acceptBackOrder: boolean): OrderCreateRequest {
  const problems: FieldError[] = [];
  if (!clientPoNumber || clientPoNumber.length > 35) problems.push({ field: 'customerOrderNumber', message: 'must be 1 to 35 characters' });
  if (!order.lines.length) problems.push({ field: 'lines', message: 'at least one line is required' });
  const seen = new Set<string>();
  const lines = order.lines.map((l, i) => {
    const customerLineNumber = l.lineNumber ?? String(i + 1);
    if (customerLineNumber.length > 3) problems.push({ field: `lines[${i}].lineNumber`, message: 'at most 3 characters', value: customerLineNumber });
    if (seen.has(customerLineNumber)) problems.push({ field: `lines[${i}].lineNumber`, message: 'duplicate line number', value: customerLineNumber });
    seen.add(customerLineNumber);
    if (!l.distributorSku || l.distributorSku.length > 18) problems.push({ field: `lines[${i}].distributorSku`, message: 'must be 1 to 18 characters' });
    if (!Number.isInteger(l.quantity) || l.quantity < 1) problems.push({ field: `lines[${i}].quantity`, message: 'must be a positive integer', value: String(l.quantity) });
    return {
      customerLineNumber,
      ingramPartNumber: l.distributorSku,
      quantity: l.quantity,
      ...(l.unitPrice !== undefined ? { unitPrice: l.unitPrice } : {}),
      ...(l.notes ? { notes: l.notes } : {}),
    };
  });
  if (order.shipTo) problems.push(...addressProblems(order.shipTo, 'shipToInfo'));
  if (order.endUser) problems.push(...addressProblems(order.endUser, 'endUserInfo'));
  if (problems.length) {
    throw new DistributorError(`Order ${clientPoNumber.slice(0, 35)} is not valid for Ingram: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, {
      kind: 'validation', distributor: DISTRIBUTOR, fieldErrors: problems, operation: 'POST /resellers/v6/orders',
    });
  }
  return {
    customerOrderNumber: clientPoNumber,
    ...(order.endCustomerOrderNumber ? { endCustomerOrderNumber: order.endCustomerOrderNumber } : {}),
    ...(order.notes ? { notes: order.notes } : {}),
    acceptBackOrder: order.acceptBackOrder ?? acceptBackOrder,
    ...(order.shipTo ? { shipToInfo: { ...order.shipTo } } : {}),
    ...(order.endUser ? { endUserInfo: { ...order.endUser } } : {}),
    lines,
    ...(order.shipComplete !== undefined ? { shipmentDetails: { shipComplete: order.shipComplete ? 'Y' : 'N' } } : {}),
  };
}

export function toOrder(d: OrderDetail, raw: unknown): DistributorOrder {
  const lines: OrderLine[] = (d.lines ?? []).map((l) => {
    const shipments: Shipment[] = [];
    let shipped = 0;
    for (const s of l.shipmentDetails ?? []) {
      shipped += s.quantity ?? 0;
      const carriers = s.carrierDetails?.length ? s.carrierDetails : [null];
      for (const c of carriers) {
        const trackings = c?.trackingDetails?.length ? c.trackingDetails : [null];
        for (const t of trackings) {
          shipments.push({
            carrier: c?.carrierName ?? null,
            carrierCode: c?.carrierCode ?? null,
            trackingNumber: t?.trackingNumber ?? null,
            trackingUrl: t?.trackingUrl ?? null,
            serials: (t?.serialNumbers ?? []).map((x) => x.serialNumber).filter((x): x is string => Boolean(x)),
            quantity: c?.quantity ?? s.quantity ?? null,
            shippedAt: c?.shippedDate ?? s.shippedDate ?? null,
            deliveredAt: c?.deliveredDate ?? null,
            warehouseId: s.shipFromWarehouseId ?? null,
            invoiceNumber: s.invoiceNumber ?? null,
            lineNumber: l.customerLineNumber ?? null,
          });
        }
      }
    }
    const quantities = {
      ordered: l.quantityOrdered ?? 0,
      confirmed: l.quantityConfirmed ?? 0,
      backordered: l.quantityBackOrdered ?? 0,
      shipped,
    };
    const invoiceNumbers = unique(shipments.map((s) => s.invoiceNumber));
    return {
      lineNumber: l.customerLineNumber ?? null,
      distributorLineNumber: l.ingramOrderLineNumber ?? null,
      distributorSku: l.ingramPartNumber ?? null,
      mpn: l.vendorPartNumber ?? null,
      description: l.partDescription ?? null,
      status: lineStatus(l.lineStatus ?? null, quantities, shipments),
      vendorStatus: l.lineStatus ?? null,
      quantities,
      unitPrice: l.unitPrice ?? null,
      backorderEta: blank(l.backOrderETADate),
      shipments,
      invoiceNumbers,
    };
  });
  const shipments = lines.flatMap((l) => l.shipments);
  return {
    distributorOrderId: d.ingramOrderNumber,
    clientPoNumber: d.customerOrderNumber ?? null,
    status: headerStatus(d.orderStatus ?? null, lines),
    vendorStatus: d.orderStatus ?? null,
    createdAt: d.ingramOrderDate ?? null,
    total: d.orderTotal ?? null,
    currency: d.currencyCode ?? null,
    lines,
    shipments,
    invoiceNumbers: unique(shipments.map((s) => s.invoiceNumber)),
    raw,
  };
}

/**
 * Ingram line status (spec: Backordered, In Progress, Shipped, Delivered, Canceled, On Hold) → ours.
 * Ingram has no "partially shipped" or "invoiced" status: both come from quantities and shipment details.
 */
export function lineStatus(vendor: string | null, q: { ordered: number; shipped: number }, shipments: Shipment[]): OrderStatus {
  const v = (vendor ?? '').toLowerCase();
  const allInvoiced = shipments.length > 0 && shipments.every((s) => s.invoiceNumber);
  if (v.includes('cancel')) return 'cancelled';
  if (v.includes('hold')) return 'on_hold';
  if (v.includes('deliver')) return allInvoiced ? 'invoiced' : 'delivered';
  if (v.includes('ship')) return q.shipped > 0 && q.shipped < q.ordered ? 'partially_shipped' : 'shipped';
  if (v.includes('backorder')) return q.shipped > 0 ? 'partially_shipped' : 'backordered';
  if (v.includes('progress') || v.includes('process') || v.includes('open')) return q.shipped > 0 ? 'partially_shipped' : 'processing';
  if (v.includes('error') || v.includes('reject')) return 'error';
  return q.shipped > 0 ? (q.shipped < q.ordered ? 'partially_shipped' : 'shipped') : 'submitted';
}

/**
 * Ingram header / sub-order status (spec: Shipped, Canceled, Backordered, Processing, On Hold, Delivered;
 * the search filter also has IN PROGRESS) → ours. Partial shipment and invoicing come from the lines.
 */
export function headerStatus(vendor: string | null, lines: OrderLine[]): OrderStatus {
  const v = (vendor ?? '').toLowerCase();
  const anyShipped = lines.some((l) => l.quantities.shipped > 0);
  const live = lines.filter((l) => l.status !== 'cancelled');
  if (v.includes('cancel')) return 'cancelled';
  if (v.includes('hold')) return 'on_hold';
  if (v.includes('deliver')) return live.length > 0 && live.every((l) => l.status === 'invoiced') ? 'invoiced' : 'delivered';
  if (v.includes('ship')) return live.some((l) => l.status === 'partially_shipped' || l.status === 'backordered' || l.status === 'processing') ? 'partially_shipped' : 'shipped';
  if (v.includes('backorder')) return anyShipped ? 'partially_shipped' : 'backordered';
  if (v.includes('process') || v.includes('progress') || v.includes('open')) return anyShipped ? 'partially_shipped' : 'processing';
  if (v.includes('error') || v.includes('reject')) return 'error';
  if (v.includes('submit') || v.includes('receiv')) return 'submitted';
  return live.length ? live[0].status : 'submitted';
}

/** Create-order answer (201, or 207 with rejected lines; possibly split) → one result per submitted line, in order. */
export function toSubmitResult(data: OrderCreateResponse, body: OrderCreateRequest, clientPoNumber: string, status: number, raw: unknown): SubmitOrderResult {
  const accepted = new Map<string, SubmittedLine>();
  const rejected = new Map<string, SubmittedLine>();
  const ids: string[] = [];
  for (const o of data.orders ?? []) {
    if (o.ingramOrderNumber && !ids.includes(o.ingramOrderNumber) && (o.lines ?? []).length > 0) ids.push(o.ingramOrderNumber);
    for (const l of o.lines ?? []) {
      const key = l.customerLineNumber ?? '';
      accepted.set(key, {
        lineNumber: key, distributorSku: l.ingramPartNumber ?? '', quantity: l.quantityOrdered ?? 0, accepted: true,
        distributorOrderId: o.ingramOrderNumber ?? null, distributorLineNumber: l.ingramLineNumber ?? null,
        confirmedQuantity: l.quantityConfirmed ?? null, backorderedQuantity: l.quantityBackOrdered ?? null,
        unitPrice: l.unitPrice ?? null, reason: null, reasonCode: null,
      });
    }
    for (const r of o.rejectedLineItems ?? []) {
      const key = r.customerLinenumber ?? '';
      rejected.set(key, {
        lineNumber: key, distributorSku: r.ingramPartNumber ?? '', quantity: r.quantityOrdered ?? 0, accepted: false,
        distributorOrderId: null, distributorLineNumber: null, confirmedQuantity: null, backorderedQuantity: null,
        unitPrice: null, reason: r.rejectReason ?? 'rejected', reasonCode: r.rejectCode ?? null,
      });
    }
  }
  const lines = body.lines.map((l): SubmittedLine => {
    const hit = accepted.get(l.customerLineNumber) ?? rejected.get(l.customerLineNumber);
    if (hit) return { ...hit, distributorSku: hit.distributorSku || l.ingramPartNumber, quantity: l.quantity };
    return {
      lineNumber: l.customerLineNumber, distributorSku: l.ingramPartNumber, quantity: l.quantity, accepted: false,
      distributorOrderId: null, distributorLineNumber: null, confirmedQuantity: null, backorderedQuantity: null,
      unitPrice: null, reason: 'The distributor did not report this line.', reasonCode: null,
    };
  });
  const someAccepted = lines.some((l) => l.accepted);
  return {
    clientPoNumber,
    distributorOrderIds: ids,
    split: data.orderSplit ?? ids.length > 1,
    partial: someAccepted && (status === 207 || data.processedPartially === true || lines.some((l) => !l.accepted)),
    lines,
    raw,
  };
}
