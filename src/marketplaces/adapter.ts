// The contract every cloud-marketplace adapter (CloudBlue Commerce, Pax8) meets, and the normalised
// records it returns. Subscription Sync depends on this file only; vendor shapes stay inside each
// adapter's folder and travel along as `raw`.

export type BillingCycle = 'monthly' | 'annual' | 'one_time' | 'other';

export interface MarketplaceCustomer {
  id: string;
  name: string;
  /** Our deterministic external id (e.g. `autotask-company-123`) when the customer came from an import. */
  externalId: string | null;
  email: string | null;
  phone: string | null;
  domain: string | null;
  address: { line1: string | null; city: string | null; state: string | null; postalCode: string | null; countryCode: string | null } | null;
  status: string | null;
  updatedAt: string | null;
  raw: unknown;
}

/** What `createCustomer` needs, built from an Autotask company and the operator's answers. */
export interface NewCustomer {
  externalId: string;
  name: string;
  email: string;
  phone: string;
  contact: { firstName: string; lastName: string; email: string; phone?: string };
  address: { line1: string; city: string; state?: string; postalCode: string; countryCode: string };
  /** Marketplace-specific extras (e.g. CloudBlue login/password policy), validated by the adapter. */
  extra?: Record<string, unknown>;
}

export interface MarketplaceProduct {
  id: string;
  /** Plan id where the marketplace distinguishes product and plan; else the product id. */
  planId: string;
  name: string;
  mpn: string | null;
  vendor: string | null;
  billingCycle: BillingCycle;
  /** Commitment term in months (1 = monthly, 12 = annual), when known. */
  termMonths: number | null;
  currency: string;
  price: number | null;
  cost: number | null;
  raw: unknown;
}

export type SubscriptionStatus = 'pending' | 'active' | 'suspended' | 'cancelled';

export interface MarketplaceSubscription {
  id: string;
  customerId: string;
  productId: string;
  planId: string;
  quantity: number;
  billingCycle: BillingCycle;
  termMonths: number | null;
  status: SubscriptionStatus;
  /** ISO dates. */
  startDate: string | null;
  endDate: string | null;
  price: number | null;
  cost: number | null;
  currency: string;
  raw: unknown;
}

/** sales | change | billing | cancellation; renewal and migration map onto these with `vendorType` kept. */
export type MarketplaceEventType = 'sales' | 'change' | 'billing' | 'cancellation';

export interface MarketplaceEvent {
  /** Stable id of the marketplace order/billing record: the sync task's id derives from it. */
  id: string;
  type: MarketplaceEventType;
  /** The vendor's own type (e.g. CloudBlue `renewal`, Pax8 `modification`). */
  vendorType: string;
  customerId: string;
  subscriptionId: string | null;
  productId: string | null;
  planId: string | null;
  quantityBefore: number | null;
  quantityAfter: number | null;
  /** ISO date the change takes effect. */
  effectiveDate: string;
  /** Billing period the record covers (billing events), ISO dates inclusive. */
  period: { from: string; to: string } | null;
  billingCycle: BillingCycle | null;
  currency: string | null;
  unitPrice: number | null;
  unitCost: number | null;
  /** Billing events: usage quantity and amounts for the period. */
  usage: { quantity: number; amount: number | null; cost: number | null } | null;
  cancellationFee: { amount: number; description: string | null } | null;
  /** ISO date-time the marketplace recorded it (ordering key). */
  createdAt: string;
  raw: unknown;
}

export interface EventPage {
  events: MarketplaceEvent[];
  /** Pass back to continue exactly after the last event returned; stable across runs. */
  cursor: string | null;
  /** False when the stream is exhausted for now. */
  more: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null at the end. */
  next: string | null;
  total?: number;
}

export interface MarketplaceAdapter {
  readonly kind: string;
  /** Largest page the vendor allows (CloudBlue `limit`, Pax8 `size` ≤ 200). */
  readonly maxPageSize: number;

  listCustomers(options?: { cursor?: string | null; changedSince?: string }): Promise<Page<MarketplaceCustomer>>;
  getCustomer(id: string): Promise<MarketplaceCustomer | null>;
  /** Finds by our external id first: never creates a second customer for one company. */
  findCustomerByExternalId(externalId: string): Promise<MarketplaceCustomer | null>;
  createCustomer(customer: NewCustomer): Promise<MarketplaceCustomer>;

  listProducts(options?: { cursor?: string | null }): Promise<Page<MarketplaceProduct>>;
  getProduct(id: string): Promise<MarketplaceProduct | null>;

  listSubscriptions(options?: { cursor?: string | null; customerId?: string }): Promise<Page<MarketplaceSubscription>>;
  getSubscription(id: string): Promise<MarketplaceSubscription | null>;

  /**
   * Orders and billing records after `cursor` (null: those on or after `since`), oldest first.
   * Reading the whole stream costs about ceil(n / maxPageSize) requests.
   */
  events(options: { cursor: string | null; since?: string; limit?: number }): Promise<EventPage>;
}

/**
 * Reads the event stream from `cursor` to its end: the events, the last cursor and the calls it took.
 * `maxCalls` guards against a stream that never ends (a cursor that does not move).
 */
export async function readEventStream(
  adapter: Pick<MarketplaceAdapter, 'events'>,
  cursor: string | null,
  options: { since?: string; limit?: number; maxCalls?: number } = {},
): Promise<{ events: MarketplaceEvent[]; cursor: string | null; calls: number }> {
  const { maxCalls = Infinity, ...request } = options;
  const events: MarketplaceEvent[] = [];
  let calls = 0;
  for (let more = true; more; calls++) {
    if (calls >= maxCalls) throw new Error(`the event stream did not end after ${maxCalls} calls`);
    const page = await adapter.events({ cursor, ...request });
    events.push(...page.events);
    cursor = page.cursor;
    more = page.more;
  }
  return { events, cursor, calls };
}
