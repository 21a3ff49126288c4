// Simulator state → Pax8 response bodies (spec/pax8-partner-openapi.json component schemas).
import { current, type Market, type SimCompany, type SimInvoice, type SimOrder, type SimSnapshot, type SimSubscription } from './market';
import { simUuid, type SimCurrency, type SimProduct } from './catalog';

/** Pax8's error body (`Error`): `{type, message, instance, status, details[]}`. */
export function pax8Error(status: number, message: string, instance: string, details: string[] = []): Record<string, unknown> {
  return {
    type: STATUS_TYPES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request'),
    message,
    instance,
    status,
    ...(details.length ? { details: details.map((m) => ({ type: 'Validation', message: m, instance })) } : {}),
  };
}

const STATUS_TYPES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 409: 'Conflict',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export function companyRecord(c: SimCompany): Record<string, unknown> {
  return {
    id: c.id, name: c.name, address: c.address, phone: c.phone, website: c.website, ...(c.externalId ? { externalId: c.externalId } : {}),
    billOnBehalfOfEnabled: c.billOnBehalfOfEnabled, selfServiceAllowed: c.selfServiceAllowed, orderApprovalRequired: c.orderApprovalRequired,
    status: c.status, updatedDate: c.updatedDate,
  };
}

export function productRecord(p: SimProduct, detail = false): Record<string, unknown> {
  return {
    id: p.id, name: p.name, vendorName: p.vendorName, shortDescription: p.shortDescription, ...(detail ? { description: `${p.shortDescription}. Sold through the Pax8 marketplace.` } : {}),
    sku: p.sku, vendorSku: p.vendorSku, requiresCommitment: p.requiresCommitment,
  };
}

export function pricingRecords(p: SimProduct, currency: SimCurrency): Array<Record<string, unknown>> {
  return p.plans.map((plan) => {
    const commitment = p.commitments.find((c) => c.id === plan.commitmentId);
    const r = plan.rates[currency];
    const rates = plan.type === 'Volume'
      ? [
          { partnerBuyRate: r.buy, suggestedRetailPrice: r.srp, startQuantityRange: 1, endQuantityRange: 99, chargeType: 'Per Unit' },
          { partnerBuyRate: round2(r.buy * 0.9), suggestedRetailPrice: round2(r.srp * 0.9), startQuantityRange: 100, chargeType: 'Per Unit' },
        ]
      : [{ partnerBuyRate: r.buy, suggestedRetailPrice: r.srp, startQuantityRange: 1, chargeType: 'Per Unit' }];
    return {
      productId: p.id, productName: p.name, billingTerm: plan.billingTerm,
      ...(commitment ? { commitmentTerm: commitment.term, commitmentTermInMonths: commitment.months } : {}),
      type: plan.type, unitOfMeasurement: p.unitOfMeasurement, rates,
    };
  });
}

export function dependenciesRecord(p: SimProduct): Record<string, unknown> {
  return {
    commitmentDependencies: p.commitments.map((c) => ({
      id: c.id, term: c.term, autoRenew: true, renewalWindowDaysBeforeTermEnd: 7, renewalWindowDaysAfterTermEnd: 0,
      allowForQuantityIncrease: c.allowForQuantityIncrease, allowForQuantityDecrease: c.allowForQuantityDecrease,
      allowForEarlyCancellation: c.allowForEarlyCancellation, cancellationFeeApplied: c.cancellationFeeApplied, isTransferable: false,
    })),
    productDependencies: [],
  };
}

export function orderRecord(o: SimOrder): Record<string, unknown> {
  return {
    id: o.id, companyId: o.companyId, createdDate: o.createdDate, orderedBy: o.orderedBy, orderedByUserId: simUuid('05e7', 1), orderedByUserEmail: o.orderedByUserEmail, isScheduled: false,
    // The spec's LineItem requires companyId and lineItemNumber (its own example omits them).
    lineItems: o.lineItems.map((l, i) => ({ id: l.id, companyId: o.companyId, lineItemNumber: i + 1, productId: l.productId, ...(l.subscriptionId ? { subscriptionId: l.subscriptionId } : {}), ...(l.commitmentTermId ? { commitmentTermId: l.commitmentTermId } : {}), provisionStartDate: l.provisionStartDate, billingTerm: l.billingTerm, quantity: l.quantity })),
  };
}

export function subscriptionRecord(market: Market, s: SimSubscription, snap: SimSnapshot = current(s)): Record<string, unknown> {
  const product = market.product(s.productId)!;
  return {
    id: s.id, companyId: s.companyId, productId: s.productId, vendorSubscriptionId: s.vendorSubscriptionId, vendorSkuId: product.vendorSku,
    quantity: snap.quantity, startDate: snap.startDate, ...(snap.endDate ? { endDate: snap.endDate } : {}),
    createdDate: s.createdDate, ...(snap.updatedDate ? { updatedDate: snap.updatedDate } : {}), billingStart: s.billingStart,
    status: snap.status, price: snap.price, currencyCode: s.currencyCode, partnerCost: snap.partnerCost, productName: product.name, billingTerm: snap.billingTerm,
    ...(s.commitment ? { commitmentTerm: { id: s.commitment.id, term: s.commitment.term, endDate: s.commitment.endDate } } : {}),
  };
}

/** Pax8's history example lists the newest state first. */
export function historyRecords(market: Market, s: SimSubscription): Array<Record<string, unknown>> {
  return [...s.history].reverse().map((snap) => subscriptionRecord(market, s, snap));
}

/**
 * The current month's usage of a usage-billed subscription (the spec: "charges for the current
 * month"). One summary per subscription; the id is stable within the month. `subscriptionId` is
 * not in the schema but is in the spec's own example, so it is sent.
 */
export function usageSummaryRecord(market: Market, s: SimSubscription): Record<string, unknown> {
  const product = market.product(s.productId)!;
  const month = market.today.slice(0, 7);
  const q = market.usageInMonth(s.id, month);
  const snap = current(s);
  const [y, m] = month.split('-').map(Number);
  return {
    id: simUuid(`05a9${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}`, parseInt(s.id.slice(-12), 16)),
    companyId: s.companyId, subscriptionId: s.id, productId: s.productId, resourceGroup: market.company(s.companyId)?.name ?? 'Default',
    vendorName: product.vendorName, currentCharges: round2(q * snap.price), currencyCode: s.currencyCode, partnerTotal: round2(q * snap.partnerCost), isTrial: false,
  };
}

export function invoiceRecord(i: SimInvoice): Record<string, unknown> {
  return { id: i.id, invoiceDate: i.invoiceDate, dueDate: i.dueDate, balance: i.total, carriedBalance: 0, total: i.total, currencyCode: i.currencyCode, partnerName: i.partnerName };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
