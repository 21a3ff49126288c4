// Validation before anything is sent, and the Autotask PO → distributor OrderInput mapping.
// Pure: the activity reads the PO, its items and the product links and hands them in.
import type { OrderLinkLine } from '../../db/schema/orders';
import type { Address, AddressRules, OrderInput } from '../distributors/adapter';
import { addressProblems, normaliseCountry, normaliseState } from './address';

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
  /** The distributor needs the end user for it (e.g. a licence; Ingram: catalog `endUserRequired`). */
  endUserRequired?: boolean;
}

export interface ValidationContext {
  vendorCompanyId: number | undefined;
  vendorName: string;
  /** Country of every ship-to (Autotask's PO has none): an ISO code or a country name. */
  shipToCountryCode: string;
  acceptBackOrder: boolean;
  /** What the distributor accepts in addresses (`adapter.capabilities.orderAddress`); without it only presence is checked. */
  addressRules?: { shipTo: AddressRules; endUser: AddressRules };
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

  const country = normaliseCountry(ctx.shipToCountryCode);
  if (!country) problems.push(`The ship-to country "${ctx.shipToCountryCode}" (setting orders.shipToCountryCode) is not a country name or ISO 3166 code.`);
  const countryCode = country ?? ctx.shipToCountryCode.trim();
  const shipTo: Address = {
    companyName: clean(po.shipToName),
    addressLine1: clean(po.shipToAddress1),
    ...(blank(po.shipToAddress2) ? {} : { addressLine2: clean(po.shipToAddress2) }),
    city: clean(po.shipToCity),
    state: normaliseState(clean(po.shipToState), countryCode),
    postalCode: clean(po.shipToPostalCode),
    countryCode,
    ...(blank(po.phone) ? {} : { phoneNumber: clean(po.phone) }),
  };
  // Presence of the ship-to fields is checked above in the PO's own words; here, what the distributor takes.
  if (ctx.addressRules && !missing.length && country) problems.push(...addressProblems(shipTo, ctx.addressRules.shipTo, 'The ship-to address', ctx.vendorName));

  // Licences and other products registered to a customer: the end user is the PO's ship-to company.
  const needEndUser = [...new Set(sorted.map((i) => (i.productID ? products.get(i.productID) : undefined)).filter((m) => m?.endUserRequired).map((m) => m!.distributorSku))];
  let endUser: Address | undefined;
  if (needEndUser.length && country) {
    endUser = { ...shipTo };
    const rules = ctx.addressRules?.endUser ?? { maxLength: {}, required: ['companyName'], stateRequiredIn: [] };
    const endUserProblems = addressProblems(endUser, rules, 'The end user (the ship-to company)', ctx.vendorName);
    if (endUserProblems.length) {
      problems.push(`${ctx.vendorName} needs the end user for ${needEndUser.join(', ')}, taken from the PO's ship-to, which it would refuse: ${endUserProblems.join(' ')}`);
    }
  }

  if (problems.length) return { problems, order: null, lines };
  const order: OrderInput = {
    lines: lines.map((l) => ({ lineNumber: l.lineNumber, distributorSku: l.distributorSku, quantity: l.quantity })),
    shipTo,
    ...(endUser ? { endUser } : {}),
    acceptBackOrder: ctx.acceptBackOrder,
    notes: `Autotask PO ${po.purchaseOrderNumber || po.id}`.slice(0, 100),
  };
  return { problems, order, lines };
}

const clean = (v: string | null | undefined): string => String(v ?? '').trim();
