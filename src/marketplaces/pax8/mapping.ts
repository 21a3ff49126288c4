// Pax8 records → the normalised marketplace records, and the events derived from them. Pure.
import type { BillingCycle, MarketplaceCustomer, MarketplaceEvent, MarketplaceProduct, MarketplaceSubscription, SubscriptionStatus } from '../adapter';
import type { Pax8Company, Pax8InvoiceItem, Pax8Order, Pax8Pricing, Pax8Product, Pax8Subscription } from './schemas';

export function toCustomer(c: Pax8Company): MarketplaceCustomer {
  const a = c.address;
  return {
    id: c.id,
    name: c.name,
    externalId: c.externalId || null,
    email: null, // Pax8 keeps e-mail on contacts only
    phone: c.phone ?? null,
    domain: domainOf(c.website),
    address: a ? { line1: a.street ?? null, city: a.city ?? null, state: a.stateOrProvince ?? null, postalCode: a.postalCode ?? null, countryCode: a.country ?? null } : null,
    status: c.status ?? null,
    updatedAt: c.updatedDate ?? null,
    raw: c,
  };
}

function domainOf(website: string | null | undefined): string | null {
  if (!website) return null;
  try {
    return new URL(/^https?:\/\//i.test(website) ? website : `https://${website}`).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** Billing term → our cycle. Multi-year terms are prepaid for the whole term: `other`. */
export function billingCycleOf(term: string | null | undefined): BillingCycle {
  switch (term) {
    case 'Monthly': return 'monthly';
    case 'Annual': return 'annual';
    case 'One-Time': case 'Activation': return 'one_time';
    default: return 'other';
  }
}

/** Months of a term written as Pax8 does (`Monthly`, `Annual`, `1-Year`, `2-Year`, `3-Year`). */
export function monthsOf(term: string | null | undefined): number | null {
  if (!term) return null;
  if (/^monthly$/i.test(term)) return 1;
  if (/^annual$/i.test(term)) return 12;
  const m = /^(\d+)[- ]?year/i.exec(term);
  if (m) return Number(m[1]) * 12;
  const mm = /^(\d+)[- ]?month/i.exec(term);
  return mm ? Number(mm[1]) : null;
}

/** One plan = product × billing term × commitment; the same key from pricing and subscriptions. */
export function planId(productId: string, billingTerm: string | null | undefined, commitmentMonths: number | null): string {
  return `${productId}:${billingTerm ?? 'Unknown'}${commitmentMonths ? `:${commitmentMonths}m` : ''}`;
}

/** Each pricing option of a product is one normalised product (plan). Price/cost: the first-tier rate. */
export function toProducts(product: Pax8Product, pricing: Pax8Pricing[], currency: string): MarketplaceProduct[] {
  const base = {
    id: product.id,
    name: product.name,
    mpn: product.vendorSku ?? product.sku ?? null,
    vendor: product.vendorName ?? null,
    currency,
  };
  if (!pricing.length) {
    return [{ ...base, planId: product.id, billingCycle: 'other', termMonths: null, price: null, cost: null, raw: { product, pricing: null } }];
  }
  return pricing.map((p) => {
    const commitment = p.commitmentTermInMonths ?? monthsOf(p.commitmentTerm);
    const rate = [...(p.rates ?? [])].sort((a, b) => (a.startQuantityRange ?? 0) - (b.startQuantityRange ?? 0))[0];
    return {
      ...base,
      planId: planId(product.id, p.billingTerm, commitment),
      billingCycle: billingCycleOf(p.billingTerm),
      termMonths: commitment ?? monthsOf(p.billingTerm),
      price: rate?.suggestedRetailPrice ?? null,
      cost: rate?.partnerBuyRate ?? null,
      raw: { product, pricing: p },
    };
  });
}

const CANCELLED = new Set(['Cancelled', 'PendingCancel']);
const PENDING = new Set(['PendingManual', 'PendingAutomated', 'WaitingForDetails', 'PendingActivation']);

export function statusOf(status: string | null | undefined): SubscriptionStatus {
  if (!status) return 'pending';
  if (status === 'Cancelled') return 'cancelled';
  if (PENDING.has(status)) return 'pending';
  // PendingCancel still bills until its end date.
  return 'active';
}

export function toSubscription(s: Pax8Subscription, fallbackCurrency: string): MarketplaceSubscription {
  const commitment = monthsOf(s.commitmentTerm?.term);
  return {
    id: s.id,
    customerId: s.companyId,
    productId: s.productId,
    planId: planId(s.productId, s.billingTerm, commitment),
    quantity: s.quantity,
    billingCycle: billingCycleOf(s.billingTerm),
    termMonths: commitment ?? monthsOf(s.billingTerm),
    status: statusOf(s.status),
    startDate: isoDate(s.startDate),
    endDate: isoDate(s.endDate),
    price: s.price ?? null,
    cost: s.partnerCost ?? null,
    currency: s.currencyCode ?? fallbackCurrency,
    raw: s,
  };
}

// ---- events ---------------------------------------------------------------------------------

/** `YYYY-MM-DD` of a Pax8 date or date-time (offsets honoured), or null. */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

/** A Pax8 timestamp as a canonical ISO instant (the ordering key of events). */
export function isoInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** When a snapshot was recorded: its update time, else its creation time. */
export function recordedAt(s: Pax8Subscription): string | null {
  return isoInstant(s.updatedDate) ?? isoInstant(s.createdDate);
}

type EventBase = Omit<MarketplaceEvent, 'id' | 'type' | 'vendorType' | 'quantityBefore' | 'quantityAfter' | 'effectiveDate' | 'createdAt' | 'raw'>;

function fromSnapshot(s: Pax8Subscription): EventBase {
  const commitment = monthsOf(s.commitmentTerm?.term);
  return {
    customerId: s.companyId,
    subscriptionId: s.id,
    productId: s.productId,
    planId: planId(s.productId, s.billingTerm, commitment),
    period: null,
    billingCycle: billingCycleOf(s.billingTerm),
    currency: s.currencyCode ?? null,
    unitPrice: s.price ?? null,
    unitCost: s.partnerCost ?? null,
    usage: null,
    cancellationFee: null,
  };
}

/** The sales event of a subscription from its first snapshot (and the order line that created it). */
export function saleEvent(first: Pax8Subscription, order?: { order: Pax8Order; lineIndex: number }): MarketplaceEvent | null {
  const createdAt = isoInstant(first.createdDate);
  if (!createdAt) return null;
  const line = order?.order.lineItems?.[order.lineIndex];
  return {
    ...fromSnapshot(first),
    // Keyed by the subscription, not the order: stable even if the order is read later or never.
    id: `pax8:sale:${first.id}`,
    type: 'sales',
    vendorType: order ? 'order' : 'subscription',
    quantityBefore: 0,
    quantityAfter: line?.quantity ?? first.quantity,
    effectiveDate: isoDate(first.startDate) ?? isoDate(line?.provisionStartDate) ?? createdAt.slice(0, 10),
    createdAt,
    raw: { subscription: first, order: order?.order ?? null },
  };
}

/**
 * Events from a subscription's history (any order; sorted here): the sale, then one event per
 * snapshot that changed quantity, price, cost or billing term, and one when it entered
 * PendingCancel/Cancelled. Status-only steps (provisioning, PendingCancel → Cancelled) add nothing.
 */
export function historyEvents(history: Pax8Subscription[], order?: { order: Pax8Order; lineIndex: number }): MarketplaceEvent[] {
  const snapshots = history
    .map((s) => ({ s, at: recordedAt(s) }))
    .filter((x): x is { s: Pax8Subscription; at: string } => x.at !== null)
    // The first snapshot has no updatedDate; the rest are ordered by it.
    .sort((a, b) => (a.s.updatedDate ? 1 : 0) - (b.s.updatedDate ? 1 : 0) || a.at.localeCompare(b.at));
  const out: MarketplaceEvent[] = [];
  if (!snapshots.length) return out;
  const sale = saleEvent(snapshots[0].s, order);
  if (sale) out.push(sale);
  for (let i = 1; i < snapshots.length; i++) {
    const prev = snapshots[i - 1].s;
    const { s, at } = snapshots[i];
    if (CANCELLED.has(s.status ?? '') && !CANCELLED.has(prev.status ?? '')) {
      out.push({
        ...fromSnapshot(s),
        id: `pax8:cancel:${s.id}:${at}`,
        type: 'cancellation',
        vendorType: s.status ?? 'Cancelled',
        quantityBefore: prev.quantity,
        quantityAfter: 0,
        effectiveDate: isoDate(s.endDate) ?? at.slice(0, 10),
        createdAt: at,
        raw: { before: prev, after: s },
      });
      continue;
    }
    const changed = s.quantity !== prev.quantity || s.price !== prev.price || s.partnerCost !== prev.partnerCost || s.billingTerm !== prev.billingTerm;
    if (!changed) continue;
    out.push({
      ...fromSnapshot(s),
      id: `pax8:change:${s.id}:${at}`,
      type: 'change',
      vendorType: CANCELLED.has(prev.status ?? '') ? 'reactivation' : 'modification',
      quantityBefore: prev.quantity,
      quantityAfter: s.quantity,
      effectiveDate: at.slice(0, 10),
      createdAt: at,
      raw: { before: prev, after: s },
    });
  }
  return out;
}

/** Usage billed in arrears (invoice items with term `Arrears`) as billing events. */
export function billingEvent(item: Pax8InvoiceItem, invoice: { id: string; invoiceDate: string }): MarketplaceEvent | null {
  const createdAt = isoInstant(invoice.invoiceDate);
  if (!createdAt || !item.companyId) return null;
  const from = isoDate(item.startPeriod) ?? createdAt.slice(0, 10);
  const to = isoDate(item.endPeriod) ?? from;
  return {
    id: `pax8:bill:${item.id}`,
    type: 'billing',
    vendorType: `invoice-item:${item.type ?? 'subscription'}`,
    customerId: item.companyId,
    subscriptionId: item.subscriptionId ?? null,
    productId: item.productId ?? null,
    planId: item.productId ? planId(item.productId, 'Monthly', null) : null,
    quantityBefore: null,
    quantityAfter: null,
    effectiveDate: from,
    period: { from, to },
    billingCycle: 'monthly',
    currency: item.currencyCode ?? null,
    unitPrice: item.price ?? null,
    unitCost: item.cost ?? null,
    usage: { quantity: item.quantity ?? 0, amount: item.subTotal ?? item.total ?? null, cost: item.costTotal ?? null },
    cancellationFee: null,
    createdAt,
    raw: { invoiceId: invoice.id, item },
  };
}
