// The contract every distributor adapter meets, and the normalised records it returns.
// Activities depend on this file only; vendor shapes stay inside each adapter's folder and
// travel along as `raw`.

export type ProductKind = 'physical' | 'cloud';

export interface DistributorCapabilities {
  /** Most SKUs one price-and-availability call takes; `priceAndAvailability` batches to it. */
  maxPnaBatch: number;
  /** What the distributor accepts in an order's ship-to and end-user addresses (checked before anything is sent). */
  orderAddress?: { shipTo: AddressRules; endUser: AddressRules };
  /**
   * A new order may appear in `findOrderByPo` only after a while: search this many times, this far
   * apart, before concluding that nothing was placed (`findOrderByPoWithin`). Absent: the search is immediate.
   */
  orderSearch?: SearchRetry;
}

export interface AddressRules {
  /** Longest value per field. */
  maxLength: Partial<Record<keyof Address, number>>;
  /** Fields the address must have. */
  required: Array<keyof Address>;
  /** `state` is required for these country codes. */
  stateRequiredIn: string[];
}

export interface SearchRetry {
  attempts: number;
  delayMs: number;
}

// ---- catalog ---------------------------------------------------------------------------------

export interface Promo {
  /** Unit price while the promotion runs (cost minus the discount). */
  price: number | null;
  discount: number | null;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  from: string | null;
  to: string | null;
  minQuantity: number | null;
  reference: string | null;
}

export interface WarehouseStock {
  id: string;
  location: string | null;
  quantity: number;
  backorderQuantity: number;
  backorderEta: string | null;
}

export interface Availability {
  available: boolean;
  total: number;
  backorderQuantity: number;
  /** Earliest backorder ETA over all warehouses. */
  backorderEta: string | null;
  warehouses: WarehouseStock[];
}

export type ProductStatus = 'active' | 'discontinued';

export interface Product {
  distributorSku: string;
  /** Vendor (manufacturer) part number. */
  mpn: string | null;
  upc: string | null;
  vendor: string | null;
  description: string | null;
  category: string | null;
  subcategory: string | null;
  kind: ProductKind;
  /** Orders for it must carry `endUser` (e.g. licences registered to the customer); absent = no. */
  endUserRequired?: boolean;
  status: ProductStatus;
  replacementSku: string | null;
  /** Filled from price and availability (`withPriceAndAvailability`); the catalog alone has none. */
  cost?: number | null;
  msrp?: number | null;
  map?: number | null;
  currency?: string | null;
  promo?: Promo | null;
  availability?: Availability | null;
  /** Problems noticed while normalising (missing MPN, absurd price, ...): input for quarantine. */
  issues: string[];
  raw: unknown;
}

export interface ProductPage {
  items: Product[];
  /** The cursor that fetched this page (null for the first). */
  cursor: string | null;
  /** Pass to `listProducts`/`fetchProductPage` to continue after this page; null at the end. */
  nextCursor: string | null;
  /** Records the vendor reports for the whole listing, when it says. */
  totalRecords?: number;
  /** Records that could not be read at all (no SKU): quarantine them, the walk goes on. */
  invalid: Array<{ reason: string; raw: unknown }>;
}

export interface PriceAvailability {
  distributorSku: string;
  /** `not_found` when the vendor does not know the SKU. */
  status: ProductStatus | 'not_found';
  cost: number | null;
  msrp: number | null;
  map: number | null;
  currency: string | null;
  promo: Promo | null;
  availability: Availability | null;
  acceptsBackorder: boolean | null;
  /** Orders for it must carry `endUser`; null or absent when the distributor does not say. */
  endUserRequired?: boolean | null;
  vendorStatus: string | null;
  vendorMessage: string | null;
  issues: string[];
  raw: unknown;
}

// ---- orders ----------------------------------------------------------------------------------

export interface Address {
  companyName?: string;
  contact?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  countryCode?: string;
  phoneNumber?: string;
  email?: string;
}

export interface OrderLineInput {
  /** Our line reference (Ingram: at most 3 characters). Defaults to the 1-based position. */
  lineNumber?: string;
  distributorSku: string;
  quantity: number;
  /** Expected unit cost; the distributor may reprice. */
  unitPrice?: number;
  notes?: string;
}

export interface OrderInput {
  lines: OrderLineInput[];
  shipTo?: Address;
  /** The customer the goods or licences are for; required when a line's product has `endUserRequired`. */
  endUser?: Address;
  notes?: string;
  /** Accept a backorder instead of rejecting short lines (default: adapter setting). */
  acceptBackOrder?: boolean;
  /** Ship only when every line can ship. */
  shipComplete?: boolean;
  endCustomerOrderNumber?: string;
}

export interface SubmittedLine {
  lineNumber: string;
  distributorSku: string;
  quantity: number;
  accepted: boolean;
  distributorOrderId: string | null;
  distributorLineNumber: string | null;
  confirmedQuantity: number | null;
  backorderedQuantity: number | null;
  unitPrice: number | null;
  /** Why a line was rejected (vendor text), null when accepted. */
  reason: string | null;
  reasonCode: string | null;
}

export interface SubmitOrderResult {
  clientPoNumber: string;
  /** One or more: the distributor may split an order. */
  distributorOrderIds: string[];
  split: boolean;
  /** Some lines were rejected while others were accepted. */
  partial: boolean;
  lines: SubmittedLine[];
  raw: unknown;
}

export type OrderStatus =
  | 'submitted'
  | 'processing'
  | 'on_hold'
  | 'backordered'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'invoiced'
  | 'cancelled'
  | 'error';

export interface Shipment {
  carrier: string | null;
  carrierCode: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  serials: string[];
  quantity: number | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  warehouseId: string | null;
  invoiceNumber: string | null;
  /** Order line the shipment belongs to (our number when known). */
  lineNumber: string | null;
}

export interface OrderLineQuantities {
  ordered: number;
  confirmed: number;
  backordered: number;
  shipped: number;
}

export interface OrderLine {
  lineNumber: string | null;
  distributorLineNumber: string | null;
  distributorSku: string | null;
  mpn: string | null;
  description: string | null;
  status: OrderStatus;
  vendorStatus: string | null;
  quantities: OrderLineQuantities;
  unitPrice: number | null;
  backorderEta: string | null;
  shipments: Shipment[];
  invoiceNumbers: string[];
}

export interface DistributorOrder {
  distributorOrderId: string;
  clientPoNumber: string | null;
  status: OrderStatus;
  vendorStatus: string | null;
  createdAt: string | null;
  total: number | null;
  currency: string | null;
  lines: OrderLine[];
  shipments: Shipment[];
  invoiceNumbers: string[];
  raw: unknown;
}

export interface OrderSummary {
  distributorOrderId: string;
  status: OrderStatus;
  vendorStatus: string | null;
  createdAt: string | null;
  total: number | null;
}

/** What the distributor holds for one of our PO numbers (several orders after a split). */
export interface PoLookup {
  clientPoNumber: string;
  distributorOrderIds: string[];
  orders: OrderSummary[];
}

// ---- the adapter -----------------------------------------------------------------------------

export interface DistributorAdapter {
  readonly kind: string;
  readonly capabilities: DistributorCapabilities;

  /** Pages of the catalog from `cursor` (null/undefined = start); resumable from any page's `nextCursor`. */
  listProducts(cursor?: string | null): AsyncIterable<ProductPage>;
  /** One page: what an activity calls to fetch, write and return `nextCursor`. */
  fetchProductPage(cursor?: string | null): Promise<ProductPage>;
  /**
   * Page lanes (productSync.parallelPages), for adapters that can jump to any page: lane `lane`'s
   * first cursor of `lanes`, at or after the page of `from` (a cursor from `laneResume`, null = the
   * start). The lane's pages then advance by `lanes`, so the lanes together read every page once.
   * Absent: the catalog is read in one lane.
   */
  laneCursor?(lane: number, lanes: number, from?: string | null): string;
  /**
   * Where a resumed run starts, given each lane's next cursor (null: the lane ended): a cursor
   * (one page at a time) before which every page is done. Null when every lane ended.
   */
  laneResume?(cursors: ReadonlyArray<string | null>): string | null;
  /** Pricing and stock for `skus`, batched to `capabilities.maxPnaBatch`; one result per distinct SKU, in order. */
  priceAndAvailability(skus: readonly string[]): Promise<PriceAvailability[]>;

  /**
   * Places an order under our PO number. No answer throws `outcome_unknown`; an order that already
   * exists under the PO number throws `conflict`. Either way: `findOrderByPoWithin` before anything else.
   */
  submitOrder(order: OrderInput, clientPoNumber: string): Promise<SubmitOrderResult>;
  /** The distributor orders placed under `clientPoNumber` as the search shows them now, or null when there are none. */
  findOrderByPo(clientPoNumber: string): Promise<PoLookup | null>;
  /** Full status of one distributor order, or null when the distributor does not know it. */
  getOrder(distributorOrderId: string): Promise<DistributorOrder | null>;
  /** Cancels; throws `state` when the distributor no longer allows it, `not_found` for an unknown order. */
  cancelOrder(distributorOrderId: string): Promise<void>;
}

/**
 * `findOrderByPo`, repeated while it finds nothing (`capabilities.orderSearch` by default): the
 * search may not show an order placed moments ago, so a caller that may have placed one (a lost
 * answer, a crash after the POST, a `conflict`) must not conclude "nothing was placed" from one look.
 */
export async function findOrderByPoWithin(adapter: DistributorAdapter, clientPoNumber: string, retry: SearchRetry = adapter.capabilities.orderSearch ?? { attempts: 1, delayMs: 0 }): Promise<PoLookup | null> {
  for (let attempt = 1; ; attempt++) {
    const found = await adapter.findOrderByPo(clientPoNumber);
    if (found || attempt >= Math.max(1, retry.attempts)) return found;
    await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
  }
}

/** Merges price-and-availability into a catalog product (the catalog listing has no prices). */
export function withPriceAndAvailability(product: Product, pna: PriceAvailability | undefined): Product {
  if (!pna || pna.status === 'not_found') return { ...product, issues: [...product.issues, ...(pna ? ['not found in price and availability'] : [])] };
  return {
    ...product,
    status: pna.status === 'discontinued' ? 'discontinued' : product.status,
    endUserRequired: product.endUserRequired === true || pna.endUserRequired === true,
    cost: pna.cost,
    msrp: pna.msrp,
    map: pna.map,
    currency: pna.currency,
    promo: pna.promo,
    availability: pna.availability,
    issues: [...product.issues, ...pna.issues],
  };
}
