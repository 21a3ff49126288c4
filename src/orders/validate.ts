// Validation before anything is sent, and the Autotask PO → distributor OrderInput mapping.
// Pure: the activity reads the PO, its items and the product links and hands them in.
import type { OrderLinkLine } from '../../db/schema/orders';
import type { Address, OrderInput } from '../distributors/adapter';

export interface PoForValidation {
  id: number;
  vendorID?: number | null;
  purchaseOrderNumber?: string | null;
  shipToName?: string | null;
  shipToAddress1?: string | null;
  shipToAddress2?: string | null;
  shipToCity?: string | null;
  shipToState?: string | null;
  shipToPostalCode?: string | null;
  phone?: string | null;
}

export interface PoItemForValidation {
  id: number;
  productID?: number | null;
  quantity?: number | null;
  unitCost?: number | null;
}

/** Product Sync's link for an Autotask product: the distributor SKU and whether it is active. */
export interface ProductMapping {
  distributorSku: string;
  isActive: boolean;
}

export interface ValidationContext {
  vendorCompanyId: number | undefined;
  vendorName: string;
  shipToCountryCode: string;
  acceptBackOrder: boolean;
}

export interface ValidationResult {
  problems: string[];
  order: OrderInput | null;
  lines: OrderLinkLine[];
}

const MAX_LINES = 999; // line numbers are at most 3 characters
const SHIP_TO_FIELDS: Array<[keyof PoForValidation, string]> = [
  ['shipToName', 'name'], ['shipToAddress1', 'address'], ['shipToCity', 'city'], ['shipToState', 'state'], ['shipToPostalCode', 'postal code'],
];

const blank = (v: unknown) => v === null || v === undefined || String(v).trim() === '';

export function validatePurchaseOrder(
  po: PoForValidation,
  items: PoItemForValidation[],
  products: ReadonlyMap<number, ProductMapping>,
  ctx: ValidationContext,
): ValidationResult {
  const problems: string[] = [];
  if (ctx.vendorCompanyId === undefined) problems.push('The connector has no distributor vendor company (run `autotask-bridge reconnect`).');
  else if (po.vendorID !== ctx.vendorCompanyId) problems.push(`The PO's vendor (company ${po.vendorID ?? 'none'}) is not ${ctx.vendorName} (company ${ctx.vendorCompanyId}).`);

  const missing = SHIP_TO_FIELDS.filter(([field]) => blank(po[field])).map(([, label]) => label);
  if (missing.length) problems.push(`The ship-to address is incomplete: no ${missing.join(', ')}.`);

  const sorted = [...items].sort((a, b) => a.id - b.id);
  if (!sorted.length) problems.push('The PO has no items.');
  if (sorted.length > MAX_LINES) problems.push(`The PO has ${sorted.length} items; at most ${MAX_LINES} can be ordered at once.`);

  const lines: OrderLinkLine[] = [];
  sorted.forEach((item, i) => {
    const where = `Item ${i + 1} (id ${item.id})`;
    const qty = item.quantity;
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1) problems.push(`${where}: quantity ${qty ?? 'none'} is not a positive whole number.`);
    if (!item.productID) {
      problems.push(`${where}: has no product.`);
      return;
    }
    const mapping = products.get(item.productID);
    if (!mapping) {
      problems.push(`${where}: product ${item.productID} is not a ${ctx.vendorName} product (not mapped by Product Sync).`);
      return;
    }
    if (!mapping.isActive) {
      problems.push(`${where}: product ${item.productID} maps to ${ctx.vendorName} SKU ${mapping.distributorSku}, which is no longer active.`);
      return;
    }
    lines.push({ lineNumber: String(i + 1), purchaseOrderItemId: item.id, productId: item.productID, distributorSku: mapping.distributorSku, quantity: qty ?? 0 });
  });

  if (problems.length) return { problems, order: null, lines };
  const shipTo: Address = {
    companyName: clean(po.shipToName),
    addressLine1: clean(po.shipToAddress1),
    ...(blank(po.shipToAddress2) ? {} : { addressLine2: clean(po.shipToAddress2) }),
    city: clean(po.shipToCity),
    state: clean(po.shipToState),
    postalCode: clean(po.shipToPostalCode),
    countryCode: ctx.shipToCountryCode,
    ...(blank(po.phone) ? {} : { phoneNumber: clean(po.phone) }),
  };
  const order: OrderInput = {
    lines: lines.map((l) => ({ lineNumber: l.lineNumber, distributorSku: l.distributorSku, quantity: l.quantity })),
    shipTo,
    acceptBackOrder: ctx.acceptBackOrder,
    notes: `Autotask PO ${po.purchaseOrderNumber || po.id}`.slice(0, 100),
  };
  return { problems, order, lines };
}

const clean = (v: string | null | undefined): string => String(v ?? '').trim();
