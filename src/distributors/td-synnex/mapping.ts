// EC Express records ↔ normalised ones: P&A items, the PO document and its answer, order status lines
// (with packages and invoices) → orders. Order and line codes are TD SYNNEX's words, matched loosely:
// only "accepted" is observed in a sample answer; the rest of the vocabulary is [unverified].
import type {
  Address, DistributorOrder, OrderInput, OrderLine, OrderStatus, OrderSummary, PriceAvailability, Shipment, SubmitOrderResult, SubmittedLine,
} from '../adapter';
import { BridgeError, type FieldError } from '../../failures';
import { blank, countedWarehouses } from './price-file';
import type { InvoiceRecord, OrderLineRecord, OrderRequestBody, OrderResponseRecord, PnaItem, XmlAddress } from './schemas';
import { defaultShipMethod, type TdSynnexSettings } from './settings';

/** Our PO number and TD SYNNEX's sales order number in one id: status is asked by PO, answered per order. */
export const ID_SEPARATOR = '#';

export function orderId(po: string, orderNumber: string | null | undefined): string {
  return orderNumber ? `${po}${ID_SEPARATOR}${orderNumber}` : po;
}

export function parseOrderId(id: string): { po: string; orderNumber: string | null } {
  const i = id.lastIndexOf(ID_SEPARATOR);
  return i > 0 ? { po: id.slice(0, i), orderNumber: id.slice(i + 1) || null } : { po: id, orderNumber: null };
}

// ---- price and availability -------------------------------------------------------------------

/** `counted`: the warehouses whose stock counts as availability (none: all; see `countedWarehouses`). */
export function pnaFromXml(item: PnaItem, sku: string, currency: string, counted: readonly string[] = []): PriceAvailability {
  const vendorStatus = blank(item.status) ?? blank(item.globalproductstatuscode);
  const s = (vendorStatus ?? '').toLowerCase().replace(/\s+/g, '');
  if (s === 'notfound' || (!item.price && !item.totalquantity && s !== 'active')) {
    return { ...notFound(sku), vendorStatus, vendorMessage: blank(item.description) };
  }
  const issues: string[] = [];
  const cost = number(item.price);
  if (cost === null) issues.push('no cost');
  else if (cost <= 0) issues.push(`non-positive cost ${cost}`);
  else if (cost >= 1_000_000) issues.push(`implausible cost ${cost}`);
  if (s === 'notauthorized') issues.push('not authorised to purchase this SKU');
  const all = (item.availabilitybywarehouse ?? []).map((w) => ({
    id: blank(w.warehouseinfo?.number) ?? '',
    location: blank(w.warehouseinfo?.city),
    quantity: Math.max(0, Math.trunc(number(w.qty) ?? 0)),
    backorderQuantity: 0,
    backorderEta: null,
  }));
  const warehouses = countedWarehouses(all, counted);
  const summed = warehouses.reduce((n, w) => n + w.quantity, 0);
  const total = counted.length ? summed : number(item.totalquantity) ?? summed;
  return {
    distributorSku: blank(item.synnexsku) ?? sku,
    status: /discontinu/.test(s) ? 'discontinued' : 'active',
    cost,
    msrp: number(item.msrp),
    map: null,
    currency,
    promo: null,
    availability: { available: total > 0, total, backorderQuantity: 0, backorderEta: null, warehouses },
    acceptsBackorder: null,
    endUserRequired: null,
    vendorStatus,
    vendorMessage: null,
    issues,
    raw: item,
  };
}

export function notFound(sku: string): PriceAvailability {
  return {
    distributorSku: sku, status: 'not_found', cost: null, msrp: null, map: null, currency: null, promo: null,
    availability: null, acceptsBackorder: null, endUserRequired: null, vendorStatus: null, vendorMessage: null, issues: [], raw: null,
  };
}

// ---- submitting -------------------------------------------------------------------------------

/** Optional TD SYNNEX extras on an order (special pricing). */
export interface TdSynnexOrderExtras {
  specialPriceType?: string;
  specialPriceReference?: string;
}

const LINE = 35;

export function buildOrderRequest(order: OrderInput & TdSynnexOrderExtras, po: string, settings: TdSynnexSettings, source: string): OrderRequestBody {
  const problems: FieldError[] = [];
  if (!po || po.length > 35) problems.push({ field: 'PONumber', message: 'must be 1 to 35 characters' });
  if (!order.lines.length) problems.push({ field: 'lines', message: 'at least one line is required' });
  if (!order.shipTo) problems.push({ field: 'shipTo', message: 'TD SYNNEX needs a ship-to address' });
  const seen = new Set<string>();
  const items = order.lines.map((l, i) => {
    const lineNumber = l.lineNumber ?? String(i + 1);
    if (seen.has(lineNumber)) problems.push({ field: `lines[${i}].lineNumber`, message: 'duplicate line number', value: lineNumber });
    seen.add(lineNumber);
    if (!/^\d+$/.test(l.distributorSku ?? '')) problems.push({ field: `lines[${i}].distributorSku`, message: 'a TD SYNNEX SKU is a number', value: l.distributorSku });
    if (!Number.isInteger(l.quantity) || l.quantity < 1) problems.push({ field: `lines[${i}].quantity`, message: 'must be a positive whole number', value: String(l.quantity) });
    if (l.unitPrice !== undefined && !(l.unitPrice >= 0)) problems.push({ field: `lines[${i}].unitPrice`, message: 'must not be negative', value: String(l.unitPrice) });
    return { '@_lineNumber': lineNumber, SKU: l.distributorSku, UnitPrice: l.unitPrice === undefined ? undefined : l.unitPrice.toFixed(2), OrderQuantity: l.quantity, Comment: l.notes };
  });
  const shipTo = order.shipTo ? xmlAddress(order.shipTo, settings, problems) : {};
  if (problems.length) {
    throw new BridgeError('validation', `Order ${po.slice(0, 35)} is not valid for TD SYNNEX: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, {
      source, operation: 'POST /SynnexXML/PO (OrderRequest)', fieldErrors: problems,
    });
  }
  return {
    CustomerNumber: settings.customerNumber,
    PONumber: po,
    // Drop ship: the goods go to the ship-to (an end customer), not to the reseller's own address on file.
    DropShipFlag: 'Y',
    Shipment: {
      ShipFromWarehouse: settings.shipFromWarehouse,
      ShipTo: shipTo,
      ShipToContact: order.shipTo && (order.shipTo.contact || order.shipTo.phoneNumber || order.shipTo.email)
        ? { ContactName: order.shipTo.contact, PhoneNumber: order.shipTo.phoneNumber, EmailAddress: order.shipTo.email }
        : undefined,
      ShipMethod: { Code: defaultShipMethod(settings) },
    },
    Payment: { BillTo: { '@_code': settings.customerNumber } },
    EndUserPONumber: order.endCustomerOrderNumber,
    Comment: order.notes,
    BackOrderFlag: (order.acceptBackOrder ?? settings.acceptBackOrder) ? 'Y' : 'N',
    SpecialPriceType: order.specialPriceType,
    SpecialPriceReferenceNumber: order.specialPriceType ? order.specialPriceReference : undefined,
    Items: { Item: items },
  };
}

function xmlAddress(a: Address, settings: TdSynnexSettings, problems: FieldError[]): XmlAddress {
  const name1 = a.companyName ?? a.contact;
  const out: XmlAddress = {
    AddressName1: name1,
    AddressName2: a.companyName && a.contact ? a.contact : undefined,
    AddressLine1: a.addressLine1,
    // TD SYNNEX has two address lines: a third one joins the second.
    AddressLine2: [a.addressLine2, a.addressLine3].filter((v) => v?.trim()).join(', ') || undefined,
    City: a.city,
    State: a.state,
    ZipCode: a.postalCode,
    Country: (a.countryCode ?? settings.region).toUpperCase(),
  };
  for (const [field, value] of Object.entries({ AddressName1: name1, AddressLine1: a.addressLine1, City: a.city, State: a.state, ZipCode: a.postalCode })) {
    if (!value?.trim()) problems.push({ field: `shipTo.${field}`, message: 'required' });
  }
  // Label lines hold 35 characters [unverified; peers wrap at 35]: refuse rather than cut an address.
  for (const field of ['AddressName1', 'AddressName2', 'AddressLine1', 'AddressLine2'] as const) {
    const v = out[field];
    if (v && v.length > LINE) problems.push({ field: `shipTo.${field}`, message: `at most ${LINE} characters`, value: v.slice(0, 40) });
  }
  if (out.Country !== 'US' && out.Country !== 'CA') problems.push({ field: 'shipTo.countryCode', message: 'TD SYNNEX US/CA ships to US or CA', value: out.Country });
  return out;
}

export function toSubmitResult(data: OrderResponseRecord, body: OrderRequestBody, po: string, raw: unknown, source: string): SubmitOrderResult {
  const byLine = new Map((data.items?.item ?? []).map((i) => [i['@_linenumber'] ?? '', i]));
  const lines = body.Items.Item.map((sent): SubmittedLine => {
    const got = byLine.get(sent['@_lineNumber']);
    const accepted = Boolean(got) && !/reject|error|fail/i.test(got?.code ?? '') && /accept|success|process/i.test(got?.code || data.code || '');
    const base = { lineNumber: sent['@_lineNumber'], distributorSku: sent.SKU, quantity: sent.OrderQuantity, distributorLineNumber: null, backorderedQuantity: null };
    if (!accepted) {
      return { ...base, accepted: false, distributorOrderId: null, confirmedQuantity: null, unitPrice: null, reason: blank(got?.reason) ?? blank(data.reason) ?? (got ? `line ${got.code ?? 'not accepted'}` : 'The distributor did not report this line.'), reasonCode: blank(got?.code) };
    }
    return { ...base, accepted: true, distributorOrderId: orderId(po, blank(got!.ordernumber)), confirmedQuantity: number(got!.orderquantity) ?? sent.OrderQuantity, unitPrice: number(got!.unitprice), reason: null, reasonCode: null };
  });
  const accepted = lines.filter((l) => l.accepted);
  if (!accepted.length) {
    const reason = blank(data.reason) ?? lines.map((l) => l.reason).find(Boolean) ?? 'rejected';
    const duplicate = /duplicate|already (exists|used|submitted)/i.test(reason);
    throw new BridgeError(duplicate ? 'conflict' : 'validation', `TD SYNNEX rejected PO ${po}: ${reason}`, {
      source, operation: 'POST /SynnexXML/PO (OrderRequest)', vendorCode: blank(data.code) ?? undefined,
      fieldErrors: lines.map((l) => ({ field: `lines[${l.lineNumber}]`, message: l.reason ?? 'rejected', value: l.distributorSku })),
    });
  }
  const ids = [...new Set(accepted.map((l) => l.distributorOrderId!))];
  return { clientPoNumber: po, distributorOrderIds: ids, split: ids.length > 1, partial: accepted.length < lines.length, lines, raw };
}

// ---- status -----------------------------------------------------------------------------------

export function lineStatus(code: string | null, q: { ordered: number; shipped: number }, invoiced: boolean): OrderStatus {
  const c = (code ?? '').toLowerCase();
  const part = q.shipped > 0 && q.shipped < q.ordered;
  if (/cancel|delet|void/.test(c)) return 'cancelled';
  if (/reject|error|fail/.test(c)) return 'error';
  if (/hold/.test(c)) return 'on_hold';
  if (/invoic/.test(c) || (invoiced && q.shipped >= q.ordered && q.ordered > 0)) return 'invoiced';
  if (/deliver/.test(c)) return 'delivered';
  if (/ship/.test(c)) return part ? 'partially_shipped' : 'shipped';
  if (/back ?order/.test(c)) return q.shipped > 0 ? 'partially_shipped' : 'backordered';
  if (/process|releas|pick|open|progress/.test(c)) return q.shipped > 0 ? 'partially_shipped' : 'processing';
  if (/accept/.test(c)) return 'submitted';
  return q.shipped > 0 ? (part ? 'partially_shipped' : 'shipped') : 'submitted';
}

/** An order's status from its lines: the least advanced live line decides, a shipment makes it partial. */
export function headerStatus(lines: OrderLine[]): OrderStatus {
  const live = lines.filter((l) => l.status !== 'cancelled' && l.status !== 'error');
  if (!lines.length) return 'submitted';
  if (!live.length) return lines.every((l) => l.status === 'cancelled') ? 'cancelled' : 'error';
  const all = (s: OrderStatus[]) => live.every((l) => s.includes(l.status));
  if (all(['invoiced'])) return 'invoiced';
  if (all(['delivered', 'invoiced'])) return 'delivered';
  if (all(['shipped', 'delivered', 'invoiced'])) return 'shipped';
  if (live.some((l) => l.quantities.shipped > 0)) return 'partially_shipped';
  if (live.some((l) => l.status === 'on_hold')) return 'on_hold';
  if (live.some((l) => l.status === 'backordered')) return 'backordered';
  if (live.some((l) => l.status === 'processing')) return 'processing';
  return 'submitted';
}

export function toOrderLine(l: OrderLineRecord, invoices: InvoiceRecord[]): OrderLine {
  const ordered = number(l.orderquantity) ?? 0;
  const shipped = number(l.shipquantity) ?? 0;
  const lineNumber = blank(l['@_linenumber']);
  const invoiceNumbers = [...new Set(invoices
    .filter((inv) => (!inv.ordernumber || inv.ordernumber === l.ordernumber) && (inv.items?.item ?? []).some((i) => !i['@_linenumber'] || i['@_linenumber'] === lineNumber))
    .map((inv) => blank(inv.invoicenumber))
    .filter((n): n is string => Boolean(n)))];
  const shipments: Shipment[] = (l.packages?.package ?? []).map((p) => ({
    carrier: blank(l.shipmethoddescription) ?? blank(p.carrier) ?? blank(l.shipmethod),
    carrierCode: blank(l.shipmethod),
    trackingNumber: blank(p.trackingnumber),
    trackingUrl: null,
    serials: (p.serialno ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean),
    quantity: number(p.shipitemquantity),
    shippedAt: blank(l.shipdatetime),
    deliveredAt: null,
    warehouseId: blank(l.shipfromwarehouse),
    invoiceNumber: invoiceNumbers[0] ?? null,
    lineNumber,
  }));
  const code = blank(l.code);
  const status = lineStatus(code, { ordered, shipped }, invoiceNumbers.length > 0);
  const cancelled = status === 'cancelled' || status === 'error';
  const backordered = cancelled ? 0 : status === 'backordered' || status === 'partially_shipped' ? Math.max(0, ordered - shipped) : 0;
  return {
    lineNumber,
    distributorLineNumber: null,
    distributorSku: blank(l.sku),
    mpn: blank(l.mfgpn),
    description: blank(l.productname),
    status,
    vendorStatus: code,
    quantities: { ordered, confirmed: cancelled ? 0 : ordered, backordered, shipped },
    unitPrice: number(l.unitprice),
    backorderEta: backordered > 0 ? isoDay(l.etadate) : null,
    shipments,
    invoiceNumbers,
  };
}

export function toOrder(po: string, orderNumber: string | null, items: OrderLineRecord[], invoices: InvoiceRecord[], created: string | null, raw: unknown): DistributorOrder {
  const lines = items.map((l) => toOrderLine(l, invoices));
  const shipments = lines.flatMap((l) => l.shipments);
  const totals = lines.filter((l) => l.unitPrice !== null && l.status !== 'cancelled' && l.status !== 'error');
  return {
    distributorOrderId: orderId(po, orderNumber),
    clientPoNumber: po,
    status: headerStatus(lines),
    vendorStatus: items.map((i) => blank(i.code)).find(Boolean) ?? null,
    createdAt: created,
    total: totals.length ? round2(totals.reduce((n, l) => n + (l.unitPrice ?? 0) * l.quantities.ordered, 0)) : null,
    currency: null,
    lines,
    shipments,
    invoiceNumbers: [...new Set(lines.flatMap((l) => l.invoiceNumbers))],
    raw,
  };
}

export function summary(order: DistributorOrder): OrderSummary {
  return { distributorOrderId: order.distributorOrderId, status: order.status, vendorStatus: order.vendorStatus, createdAt: order.createdAt, total: order.total };
}

export function number(v: string | undefined | null): number | null {
  if (v === undefined || v === null || v.trim() === '') return null;
  const n = Number(v.replace(/[$,]/g, ''));
  return Number.isFinite(n) ? n : null;
}

function isoDay(v: string | undefined): string | null {
  const t = blank(v);
  if (!t) return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(t) ?? null;
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(t);
  return us ? `${us[3]}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}` : null;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
