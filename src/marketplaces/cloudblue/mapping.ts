// SimpleAPI records → the normalised marketplace records of src/marketplaces/adapter.ts. Pure functions.
import type {
  BillingCycle, MarketplaceCustomer, MarketplaceEvent, MarketplaceEventType, MarketplaceProduct, MarketplaceSubscription, NewCustomer,
  SubscriptionStatus,
} from '../adapter';
import type {
  CbCustomer, CbOrder, CbOrderDetailed, CbProduct, CbSubscription, CustomerCreate, Money, Period, ProductPrice, RatedDataRow,
} from './schemas';

// ---- periods ----------------------------------------------------------------------------------

/** Months in a period, when it is whole months (`month n` → n, `year n` → 12n). */
export function periodMonths(p: Period | undefined): number | null {
  if (!p) return null;
  if (p.type === 'month') return p.duration;
  if (p.type === 'year') return p.duration * 12;
  return null;
}

/** The billing period decides the cycle: 1 month → monthly, 12 months → annual. */
export function billingCycle(p: Period | undefined): BillingCycle {
  const months = periodMonths(p);
  if (months === 1) return 'monthly';
  if (months === 12) return 'annual';
  return 'other';
}

// ---- customers --------------------------------------------------------------------------------

export function toCustomer(c: CbCustomer): MarketplaceCustomer {
  const admin = c.contactPersons?.find((p) => p.type === 'admin') ?? c.contactPersons?.[0];
  const email = admin?.email ?? null;
  return {
    id: c.id,
    name: c.name,
    externalId: c.externalId ?? null,
    email,
    phone: admin?.phoneNumber ?? null,
    domain: email && email.includes('@') ? email.split('@')[1].toLowerCase() : null,
    address: c.address
      ? { line1: c.address.streetAddress ?? null, city: c.address.city ?? null, state: c.address.state ?? null, postalCode: c.address.postalCode ?? null, countryCode: c.address.countryCode ?? null }
      : null,
    status: c.status ?? null,
    updatedAt: null, // SimpleAPI keeps no modification time on customers
    raw: c,
  };
}

/** NewCustomer → the `Customer` body of POST /customers. `extra` may carry `language`, `taxRegId`, `login`, `password`. */
export function toCustomerCreate(n: NewCustomer, defaultLanguage: string): CustomerCreate {
  const extra = n.extra ?? {};
  const str = (k: string) => (typeof extra[k] === 'string' && extra[k] ? (extra[k] as string) : undefined);
  const login = str('login');
  const password = str('password');
  return {
    externalId: n.externalId,
    name: n.name,
    language: str('language') ?? defaultLanguage,
    ...(str('taxRegId') ? { taxRegId: str('taxRegId') } : {}),
    address: {
      streetAddress: n.address.line1,
      postalCode: n.address.postalCode,
      city: n.address.city,
      ...(n.address.state ? { state: n.address.state } : {}),
      countryCode: n.address.countryCode.toUpperCase(),
    },
    contactPersons: [{
      type: 'admin',
      firstName: n.contact.firstName,
      lastName: n.contact.lastName,
      email: n.contact.email,
      phoneNumber: n.contact.phone ?? n.phone,
      ...(login ? { login } : {}),
      ...(password ? { password } : {}),
    }],
  };
}

// ---- catalog ----------------------------------------------------------------------------------

const amount = (m: { amount: string } | undefined): number | null => {
  if (!m) return null;
  const n = Number(m.amount);
  return Number.isFinite(n) ? n : null;
};

/**
 * The unit price in `currency` (or the first one): the recurring price (untyped prices count as recurring), else —
 * for usage-billed products — the overuse price per unit.
 */
export function unitPrice(prices: ProductPrice[] | undefined, currency?: string): ProductPrice | undefined {
  const pick = (type: string) => {
    const list = (prices ?? []).filter((p) => (p.type ?? 'recurring') === type);
    return currency ? list.find((p) => p.currency.toUpperCase() === currency.toUpperCase()) : list[0];
  };
  return pick('recurring') ?? pick('overuse');
}

export function toProduct(p: CbProduct, currency?: string): MarketplaceProduct {
  const price = unitPrice(p.prices, currency);
  const cost = unitPrice(p.costs, price?.currency ?? currency);
  return {
    id: p.id,
    // SimpleAPI lists one product per plan and period (the MPN carries the period); it names no plan id here.
    planId: p.id,
    name: p.name ?? p.mpn ?? p.id,
    mpn: p.mpn ?? null,
    vendor: p.vendor ?? null,
    billingCycle: billingCycle(p.billingPeriod),
    termMonths: periodMonths(p.subscriptionPeriod),
    currency: (price?.currency ?? cost?.currency ?? currency ?? '').toUpperCase(),
    price: amount(price),
    cost: amount(cost),
    raw: p,
  };
}

// ---- subscriptions ----------------------------------------------------------------------------

const STATUS: Record<string, SubscriptionStatus> = { pending: 'pending', active: 'active', hold: 'suspended', terminated: 'cancelled', removed: 'cancelled' };

export function subscriptionStatus(status: string | undefined): SubscriptionStatus {
  return STATUS[status ?? ''] ?? 'pending';
}

export function toSubscription(s: CbSubscription): MarketplaceSubscription {
  const product = s.products?.[0];
  const money: Money | undefined = product?.unitPrice ?? product?.unitCost;
  return {
    id: s.id,
    customerId: s.customerId ?? '',
    productId: product?.id ?? '',
    planId: s.planId !== undefined ? String(s.planId) : product?.id ?? '',
    quantity: product?.quantity ?? 0,
    billingCycle: billingCycle(s.billingPeriod),
    termMonths: periodMonths(s.subscriptionPeriod),
    status: subscriptionStatus(s.status),
    startDate: s.creationDate ?? null,
    endDate: s.expirationDate ?? null,
    price: amount(product?.unitPrice),
    cost: amount(product?.unitCost),
    currency: (money?.currency ?? '').toUpperCase(),
    raw: s,
  };
}

// ---- orders → events --------------------------------------------------------------------------

/**
 * Order type → event type. A renewal is a `billing` event: it starts a new term of a subscription that already
 * exists on the contract (same units), so what it changes is the period billed, not the service; a renewal that
 * changes the quantity is followed by its own change order. A migration moves a subscription onto this platform
 * (or onto another plan) and becomes a `change`.
 */
export const EVENT_TYPE: Record<string, MarketplaceEventType> = {
  sales: 'sales',
  change: 'change',
  renewal: 'billing',
  cancellation: 'cancellation',
  migration: 'change',
};

/** A completed order (its detailed form) → one event. */
export function orderEvent(o: CbOrderDetailed): MarketplaceEvent {
  const line = o.products?.[0];
  const detail = o.details?.find((d) => d.type === 'recurring' || d.type === 'renew') ?? o.details?.[0];
  const type = EVENT_TYPE[o.type] ?? 'change';
  const quantity = line?.quantity ?? detail?.quantity ?? null;
  const effectiveDate = (o.provisioningDate ?? o.creationDate).slice(0, 10);
  const fee = o.type === 'cancellation' ? o.details?.find((d) => d.type === 'cancellation' || d.type === 'billPenalty') : undefined;
  const feeAmount = amount(fee?.extendedPrice);
  return {
    id: `order:${o.id}`,
    type,
    vendorType: o.type,
    customerId: o.customerId,
    subscriptionId: o.subscriptionId ?? line?.subscriptionId ?? null,
    productId: line?.newProductId ?? line?.newId ?? line?.id ?? detail?.productId ?? null,
    planId: line?.newProductId ?? line?.newId ?? line?.id ?? detail?.productId ?? null,
    // SimpleAPI states the quantity an order leaves, not the one before it: the caller knows that from its state.
    quantityBefore: null,
    quantityAfter: type === 'cancellation' ? 0 : quantity,
    effectiveDate,
    period: o.type === 'renewal' && o.lastBillingDate && o.nextBillingDate ? { from: o.lastBillingDate, to: dayBefore(o.nextBillingDate) } : null,
    billingCycle: line?.billingPeriod ? billingCycle(line.billingPeriod) : null,
    currency: (detail?.unitPrice?.currency ?? detail?.extendedPrice?.currency ?? null)?.toUpperCase() ?? null,
    unitPrice: amount(detail?.unitPrice),
    unitCost: null, // orders show the reseller's sales price only
    usage: null,
    cancellationFee: fee && feeAmount !== null && feeAmount !== 0 ? { amount: feeAmount, description: fee.description ?? null } : null,
    createdAt: o.creationDate,
    raw: o,
  };
}

/** A rated-data row (usage for a period) → a `billing` event with usage. */
export function usageEvent(row: RatedDataRow, reportCreated: string, reportId: string): MarketplaceEvent {
  const quantity = row.quantity;
  const total = row.amount !== undefined ? Number(row.amount) : null;
  const cost = row.cost !== undefined ? Number(row.cost) : null;
  return {
    id: `usage:${reportId}:${row.id}`,
    type: 'billing',
    vendorType: 'rated_data',
    customerId: row.customerId,
    subscriptionId: row.subscriptionId,
    productId: row.productId ?? null,
    planId: row.productId ?? null,
    quantityBefore: null,
    quantityAfter: null,
    effectiveDate: row.periodStart.slice(0, 10),
    period: { from: row.periodStart.slice(0, 10), to: row.periodEnd.slice(0, 10) },
    billingCycle: null,
    currency: row.currency.toUpperCase(),
    unitPrice: total !== null && quantity ? round4(total / quantity) : null,
    unitCost: cost !== null && quantity ? round4(cost / quantity) : null,
    usage: { quantity, amount: total, cost },
    cancellationFee: null,
    createdAt: reportCreated,
    raw: row,
  };
}

/** Orders that can still change: the cursor keeps them until they settle. */
export function isSettled(o: CbOrder): boolean {
  return o.status === 'completed' || o.status === 'cancelled';
}

function dayBefore(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
