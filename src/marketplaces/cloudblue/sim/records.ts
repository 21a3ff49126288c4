// Simulator state → SimpleAPI 1.15 response shapes (components/schemas of the spec). List shapes are the spec's thin
// ones (`Order` has no subscription id or products, `Subscription` no products), detail shapes the full ones.
import type { SimProductDef } from './catalog';
import type { Market, SimCustomer, SimOrder, SimReport, SimSubscription } from './market';

export const RESELLER_ID = '1000000';

const money = (currency: string, amount: number, digits = 2) => ({ currency, amount: amount.toFixed(digits) });

export function customerRecord(c: SimCustomer): Record<string, unknown> {
  return {
    id: c.id,
    ...(c.externalId ? { externalId: c.externalId } : {}),
    name: c.name,
    status: c.status,
    address: c.address,
    // `login` and `password` are write-only in the spec: never returned.
    contactPersons: c.contactPersons.map(({ type, firstName, lastName, email, phoneNumber }) => ({ type, firstName, lastName, email, phoneNumber })),
    language: c.language,
    ...(c.taxRegId ? { taxRegId: c.taxRegId } : {}),
    ...(c.attributes ? { attributes: c.attributes } : {}),
    resellerId: RESELLER_ID,
  };
}

export function productRecord(p: SimProductDef): Record<string, unknown> {
  const type = p.offer.usage ? 'overuse' : 'recurring';
  const digits = p.offer.usage ? 4 : 2;
  const list = (values: SimProductDef['price']) => (['EUR', 'GBP'] as const).map((currency) => ({ ...money(currency, values[currency], digits), type, model: 'FLAT' }));
  return {
    id: p.id,
    mpn: p.mpn,
    vendor: p.offer.vendor,
    serviceName: p.offer.serviceName,
    name: p.name,
    minimumQuantity: '1',
    maximumQuantity: String(p.offer.maxQuantity ?? 10_000),
    prices: list(p.price),
    costs: list(p.cost),
    billingPeriod: p.billingPeriod,
    subscriptionPeriod: p.subscriptionPeriod,
    billingModel: p.billingModel,
  };
}

export function planRecord(market: Market, planId: number, detailed = false): Record<string, unknown> | null {
  const products = market.products.filter((p) => p.planId === planId);
  if (!products.length) return null;
  const periods = [...new Map(products.map((p) => [`${p.subscriptionPeriod.type}${p.subscriptionPeriod.duration}`, p.subscriptionPeriod])).values()];
  return {
    id: String(planId),
    name: products[0].offer.name,
    shortDescription: `${products[0].offer.vendor} ${products[0].offer.name}`,
    published: true,
    subscriptionPeriods: periods.map((sp) => ({ ...sp, trial: false, active: true })),
    billingPeriod: { type: 'month', duration: 1 },
    billingModel: products[0].billingModel,
    ...(detailed
      ? {
          planSwitches: periods.flatMap((to) => periods.filter((from) => from !== to).map((from) => ({
            planId, subscriptionPeriod: to, sourceSubscriptionPeriod: from, billingPolicy: 'prorate_starting_new_subscription_period', whenEffective: 'next_subscription_period',
          }))),
        }
      : {}),
  };
}

function subscriptionBase(market: Market, s: SimSubscription): Record<string, unknown> {
  const p = market.productsById.get(s.productId)!;
  return {
    id: s.id,
    name: p.name,
    customerId: s.customerId,
    status: s.status,
    renewalStatus: s.autoRenew,
    creationDate: s.creationDate,
    renewalDate: s.renewalDate,
    lastModifiedDate: s.lastModifiedDate,
    expirationDate: s.renewalDate,
    billingModel: p.billingModel,
    billingPeriod: p.billingPeriod,
    subscriptionPeriod: p.subscriptionPeriod,
  };
}

export function subscriptionRecord(market: Market, s: SimSubscription): Record<string, unknown> {
  return subscriptionBase(market, s);
}

export function subscriptionDetailed(market: Market, s: SimSubscription): Record<string, unknown> {
  const p = market.productsById.get(s.productId)!;
  const digits = p.offer.usage ? 4 : 2;
  const price = p.price[s.currency];
  const cost = p.cost[s.currency];
  const total = p.offer.usage ? 0 : price * s.quantity;
  return {
    ...subscriptionBase(market, s),
    totalPrice: money(s.currency, total),
    products: [{
      id: p.id, mpn: p.mpn, vendor: p.offer.vendor, name: p.name, quantity: s.quantity,
      unitPrice: money(s.currency, price, digits), unitCost: money(s.currency, cost, digits), extendedPrice: money(s.currency, total),
      vendorSubscriptionId: `vs-${s.id}`,
    }],
    planId: p.planId,
  };
}

const STATUS_CODE: Record<SimOrder['status'], string> = { submitted: 'SB', processing: 'PR', error: 'ER', completed: 'CP', cancelled: 'CL' };

/** `OrderDetail` lines: what the order charges. */
function orderDetails(market: Market, o: SimOrder): Array<Record<string, unknown>> {
  const p = market.productsById.get(o.newProductId ?? o.productId)!;
  const digits = p.offer.usage ? 4 : 2;
  const price = p.price[o.currency];
  const line = (type: string, quantity: number, unit: number, description: string) => ({
    type, mpn: p.mpn, productId: p.id, description, quantity,
    duration: { type: p.billingPeriod.type, duration: p.billingPeriod.duration },
    unitPrice: money(o.currency, unit, digits), extendedPrice: money(o.currency, unit * quantity),
  });
  switch (o.type) {
    case 'sales':
      return p.offer.usage ? [] : [line('recurring', o.chargedUnits, price, `Recurring fee for ${p.name}`)];
    case 'change':
      return o.chargedUnits > 0 ? [line('recurring', o.chargedUnits, price, `Recurring fee for ${p.name}, added units`)] : [line('downgrade', 0, price, `Units removed from ${p.name}`)];
    case 'renewal':
      return p.offer.usage ? [] : [line('renew', o.chargedUnits, price, `Renewal fee for ${p.name}`)];
    case 'migration':
      return [line('switch', o.chargedUnits, price, `Switch to ${p.name}`)];
    case 'cancellation':
      return o.cancellationFee ? [{ ...line('cancellation', 1, o.cancellationFee, 'Early termination fee'), extendedPrice: money(o.currency, o.cancellationFee) }] : [];
  }
}

export function orderRecord(market: Market, o: SimOrder): Record<string, unknown> {
  const details = orderDetails(market, o);
  const total = details.reduce((n, d) => n + Number((d.extendedPrice as { amount: string }).amount), 0);
  return {
    id: o.id,
    orderNumber: o.orderNumber,
    type: o.type,
    customerId: o.customerId,
    ...(o.poNumber ? { poNumber: o.poNumber } : {}),
    creationDate: o.creationDate,
    ...(o.provisioningDate ? { provisioningDate: o.provisioningDate } : {}),
    status: o.status,
    statusCode: STATUS_CODE[o.status],
    total: money(o.currency, total),
    details,
  };
}

export function orderDetailed(market: Market, o: SimOrder): Record<string, unknown> {
  const p = market.productsById.get(o.productId)!;
  const target = o.newProductId ? market.productsById.get(o.newProductId)! : undefined;
  const record = orderRecord(market, o);
  return {
    ...record,
    subscriptionId: o.subscriptionId,
    products: [{
      id: p.id, mpn: p.mpn, vendor: p.offer.vendor, name: p.name, quantity: o.quantity,
      billingPeriod: (target ?? p).billingPeriod, subscriptionPeriod: (target ?? p).subscriptionPeriod, subscriptionId: o.subscriptionId,
      ...(target ? { newProductId: target.id, newMPN: target.mpn, type: 'MIGRATION' } : {}),
      extendedPrice: record.total,
    }],
    ...(o.lastBillingDate ? { lastBillingDate: o.lastBillingDate } : {}),
    ...(o.nextBillingDate ? { nextBillingDate: o.nextBillingDate } : {}),
    billingModel: p.billingModel,
  };
}

export function reportRecord(r: SimReport, downloadUrl: string): Record<string, unknown> {
  const { rows: _rows, ...report } = r;
  return { ...report, downloadUrl };
}
