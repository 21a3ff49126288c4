// Builds Ingram v6 order response bodies (create, search, v6.1 details) from simulated orders.
// The v6.1 details schema forbids unknown properties, so only the spec's fields are written.
import { lineStatus, orderStatus, type RejectedLine, type SimOrder } from './orders';

const ADDRESS_FIELDS = ['contact', 'companyName', 'addressLine1', 'addressLine2', 'addressLine3', 'city', 'state', 'postalCode', 'countryCode', 'phoneNumber', 'email'];

function address(a: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!a) return undefined;
  const out: Record<string, string> = {};
  for (const k of ADDRESS_FIELDS) if (typeof a[k] === 'string') out[k] = a[k];
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const orderTotal = (o: SimOrder) => round2(o.lines.reduce((n, l) => n + l.unitPrice * l.quantity, 0));
const defined = <T extends Record<string, unknown>>(r: T): T => {
  for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
  return r;
};

export function createResponse(customerOrderNumber: string, orders: SimOrder[], rejected: RejectedLine[]): Record<string, unknown> {
  return {
    customerOrderNumber,
    orderSplit: orders.length > 1,
    processedPartially: rejected.length > 0,
    purchaseOrderTotal: round2(orders.reduce((n, o) => n + orderTotal(o), 0)),
    orders: orders.map((o, i) => ({
      numberOfLinesWithSuccess: o.lines.length,
      numberOfLinesWithError: i === 0 ? rejected.length : 0,
      numberOfLinesWithWarning: o.lines.filter((l) => l.backordered > 0).length,
      ingramOrderNumber: o.ingramOrderNumber,
      ingramOrderDate: o.createdAt.slice(0, 10),
      orderType: 'S',
      orderTotal: orderTotal(o),
      freightCharges: 0,
      totalTax: 0,
      currencyCode: o.currency,
      lines: o.lines.map((l) => defined({
        subOrderNumber: `${o.ingramOrderNumber}-11`,
        ingramLineNumber: l.ingramLineNumber,
        customerLineNumber: l.customerLineNumber,
        lineStatus: l.backordered > 0 ? 'Backordered' : 'In Progress',
        ingramPartNumber: l.sku,
        vendorPartNumber: l.mpn,
        unitPrice: l.unitPrice,
        extendedUnitPrice: round2(l.unitPrice * l.quantity),
        quantityOrdered: l.quantity,
        quantityConfirmed: l.confirmed,
        quantityBackOrdered: l.backordered,
        shipmentDetails: [{ shipFromWarehouseId: l.warehouseId }],
      })),
      rejectedLineItems: (i === 0 ? rejected : []).map((r) => ({
        customerLinenumber: r.customerLineNumber,
        ingramPartNumber: r.sku,
        quantityOrdered: r.quantity,
        rejectCode: r.code,
        rejectReason: r.reason,
      })),
      links: [{ topic: 'orders', href: `/resellers/v6.1/orders/${o.ingramOrderNumber}`, type: 'GET' }],
    })),
  };
}

export function searchResponse(orders: SimOrder[], pageNumber: number, pageSize: number): Record<string, unknown> {
  const page = orders.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    recordsFound: orders.length,
    pageSize,
    pageNumber,
    orders: page.map((o) => defined({
      ingramOrderNumber: o.ingramOrderNumber,
      ingramOrderDate: o.createdAt.slice(0, 10),
      customerOrderNumber: o.customerOrderNumber,
      endUserCompanyName: o.endUserInfo?.companyName,
      orderTotal: orderTotal(o),
      orderStatus: orderStatus(o),
      subOrders: [{ subOrderNumber: `${o.ingramOrderNumber}-11`, subOrderTotal: orderTotal(o), subOrderStatus: orderStatus(o), links: [] }],
      links: { topic: 'orders', href: `/resellers/v6.1/orders/${o.ingramOrderNumber}`, type: 'GET' },
    })),
    ...(pageNumber * pageSize < orders.length ? { nextPage: `/resellers/v6/orders/search?pageNumber=${pageNumber + 1}&pageSize=${pageSize}` } : {}),
  };
}

export function detailResponse(o: SimOrder): Record<string, unknown> {
  const total = orderTotal(o);
  return defined({
    ingramOrderNumber: o.ingramOrderNumber,
    ingramOrderDate: o.createdAt.slice(0, 10),
    orderType: 'S',
    customerOrderNumber: o.customerOrderNumber,
    endCustomerOrderNumber: o.endCustomerOrderNumber,
    orderStatus: orderStatus(o),
    orderTotal: total,
    orderSubTotal: total,
    freightCharges: 0,
    currencyCode: o.currency,
    totalTax: 0,
    totalFees: 0,
    paymentTerms: 'Net 30 days',
    notes: o.notes,
    shipToInfo: address(o.shipToInfo),
    endUserInfo: address(o.endUserInfo),
    lines: o.lines.map((l) => defined({
      subOrderNumber: `${o.ingramOrderNumber}-11`,
      ingramOrderLineNumber: l.ingramLineNumber,
      customerLineNumber: l.customerLineNumber,
      lineStatus: lineStatus(o, l),
      ingramPartNumber: l.sku,
      vendorPartNumber: l.mpn,
      vendorName: l.vendorName,
      partDescription: l.description,
      unitPrice: l.unitPrice,
      upcCode: l.upc,
      extendedPrice: round2(l.unitPrice * l.quantity),
      taxAmount: 0,
      currencyCode: o.currency,
      quantityOrdered: l.quantity,
      quantityConfirmed: l.confirmed,
      quantityBackOrdered: l.backordered,
      backOrderETADate: l.backorderEta,
      shipmentDetails: l.shipments.map((s) => defined({
        quantity: s.quantity,
        deliveryNumber: s.deliveryNumber,
        shippedDate: s.shippedDate,
        shipFromWarehouseId: s.warehouseId,
        shipFromLocation: s.location,
        invoiceNumber: s.invoiceNumber,
        invoiceDate: s.invoiceDate,
        carrierDetails: [defined({
          carrierCode: s.carrierCode,
          carrierName: s.carrierName,
          quantity: s.quantity,
          shippedDate: s.shippedDate,
          deliveredDate: s.deliveredDate,
          trackingDetails: [{
            trackingNumber: s.trackingNumber,
            trackingUrl: s.trackingUrl,
            quantityInBox: String(s.quantity),
            serialNumbers: s.serials.map((serialNumber) => ({ serialNumber })),
          }],
        })],
      })),
      additionalAttributes: [],
      links: [],
    })),
    miscellaneousCharges: [],
    additionalAttributes: [],
  });
}

