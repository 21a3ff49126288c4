// Every CloudBlue Commerce SimpleAPI 1.15 shape we read or send (spec/cloudblue-commerce-simpleapi-1.15-openapi.yaml),
// in one place. Reads are lenient (`looseObject`: unknown fields pass, optional fields may be missing) because the
// spec marks almost nothing required; what we cannot work without is required here.
import { z } from 'zod';

// ---- common -----------------------------------------------------------------------------------

/** `Pagination` (all three required by the spec). */
export const paginationSchema = z.looseObject({ offset: z.number(), limit: z.number(), total: z.number() });

/** `Period`: `{type: day|month|year|statement_day|unknown, duration}`. */
export const periodSchema = z.looseObject({ type: z.string(), duration: z.number() });
export type Period = z.output<typeof periodSchema>;

/** `Price`-like money: amounts are decimal strings in the spec. */
export const moneySchema = z.looseObject({ currency: z.string(), amount: z.string() });
export type Money = z.output<typeof moneySchema>;

const resultList = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item).default([]), pagination: paginationSchema.optional() });

// ---- auth ---------------------------------------------------------------------------------------

/** `TokenRequest` (POST /token body). */
export interface TokenRequest {
  marketplace?: string;
}

/** `TokenInfo`. */
export const tokenInfoSchema = z.looseObject({ token: z.string().min(1), expiresInSeconds: z.number().int().positive() });

// ---- customers --------------------------------------------------------------------------------

export const addressSchema = z.looseObject({
  streetAddress: z.string().optional(),
  addressExtension: z.string().optional(),
  postalCode: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  countryCode: z.string().optional(),
});

export const contactPersonSchema = z.looseObject({
  type: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
});

export const customerSchema = z.looseObject({
  id: z.string(),
  externalId: z.string().optional(),
  name: z.string(),
  status: z.string().optional(),
  address: addressSchema.optional(),
  contactPersons: z.array(contactPersonSchema).optional(),
  language: z.string().optional(),
  taxRegId: z.string().optional(),
  resellerId: z.string().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});
export type CbCustomer = z.output<typeof customerSchema>;
export const customerListSchema = resultList(customerSchema);

/** `Customer` as sent on POST /customers (Account: address, contactPersons, language, name required). */
export interface CustomerCreate {
  externalId: string;
  name: string;
  language: string;
  taxRegId?: string;
  address: { streetAddress: string; addressExtension?: string; postalCode: string; city: string; state?: string; countryCode: string };
  contactPersons: Array<{
    type: 'admin' | 'billing' | 'technical';
    firstName: string;
    lastName: string;
    email: string;
    phoneNumber: string;
    login?: string;
    password?: string;
  }>;
  attributes?: Record<string, string>;
}

// ---- catalog ----------------------------------------------------------------------------------

/** `ProductPrice`: Price + type (recurring|setup|overuse) + model + lowerLimit. */
export const productPriceSchema = z.looseObject({
  currency: z.string(),
  amount: z.string(),
  type: z.string().optional(),
  model: z.string().optional(),
  lowerLimit: z.number().optional(),
});
export type ProductPrice = z.output<typeof productPriceSchema>;

export const productSchema = z.looseObject({
  id: z.string(),
  mpn: z.string().optional(),
  vendor: z.string().optional(),
  serviceName: z.string().optional(),
  name: z.string().optional(),
  minimumQuantity: z.string().optional(),
  maximumQuantity: z.string().optional(),
  prices: z.array(productPriceSchema).optional(),
  costs: z.array(productPriceSchema).optional(),
  billingPeriod: periodSchema.optional(),
  subscriptionPeriod: periodSchema.optional(),
  billingModel: z.string().optional(),
});
export type CbProduct = z.output<typeof productSchema>;
export const productListSchema = resultList(productSchema);

export const servicePlanSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  published: z.boolean().optional(),
  subscriptionPeriods: z.array(z.looseObject({ type: z.string().optional(), duration: z.number().optional(), trial: z.boolean().optional() })).optional(),
  billingPeriod: z.looseObject({ type: z.string().optional(), duration: z.number().optional() }).optional(),
  billingModel: z.string().optional(),
});
export type CbServicePlan = z.output<typeof servicePlanSchema>;
export const servicePlanListSchema = resultList(servicePlanSchema);

// ---- subscriptions ----------------------------------------------------------------------------

const subscriptionBase = {
  id: z.string(),
  name: z.string().optional(),
  customerId: z.string().optional(),
  status: z.string().optional(),
  renewalStatus: z.boolean().optional(),
  creationDate: z.string().optional(),
  renewalDate: z.string().optional(),
  lastModifiedDate: z.string().optional(),
  expirationDate: z.string().optional(),
  billingModel: z.string().optional(),
  billingPeriod: periodSchema.optional(),
  subscriptionPeriod: periodSchema.optional(),
};

/** `Subscription` (list item: no products, no quantity). */
export const subscriptionSchema = z.looseObject(subscriptionBase);
export const subscriptionListSchema = resultList(subscriptionSchema);

export const subscriptionProductSchema = z.looseObject({
  id: z.string().optional(),
  mpn: z.string().optional(),
  vendor: z.string().optional(),
  name: z.string().optional(),
  quantity: z.number().optional(),
  unitPrice: moneySchema.optional(),
  unitCost: moneySchema.optional(),
  extendedPrice: moneySchema.optional(),
  vendorSubscriptionId: z.string().optional(),
});

/** `SubscriptionDetailed` (GET /subscriptions/{id}). */
export const subscriptionDetailedSchema = z.looseObject({
  ...subscriptionBase,
  products: z.array(subscriptionProductSchema).optional(),
  totalPrice: moneySchema.optional(),
  planId: z.number().optional(),
});
export type CbSubscription = z.output<typeof subscriptionDetailedSchema>;

// ---- orders -----------------------------------------------------------------------------------

export const ORDER_TYPES = ['sales', 'change', 'renewal', 'cancellation', 'migration', 'unknown'] as const;
export const ORDER_STATUSES = ['submitted', 'processing', 'error', 'completed', 'cancelled'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** `OrderDetail` (a price line of an order). */
export const orderDetailSchema = z.looseObject({
  type: z.string().optional(),
  mpn: z.string().optional(),
  productId: z.string().optional(),
  description: z.string().optional(),
  quantity: z.number().optional(),
  duration: z.looseObject({ type: z.string(), duration: z.number() }).optional(),
  unitPrice: moneySchema.optional(),
  extendedPrice: moneySchema.optional(),
});
export type CbOrderDetail = z.output<typeof orderDetailSchema>;

const orderBase = {
  id: z.string(),
  orderNumber: z.string().optional(),
  type: z.string(),
  customerId: z.string(),
  poNumber: z.string().optional(),
  creationDate: z.string(),
  provisioningDate: z.string().optional(),
  status: z.string().optional(),
  statusCode: z.string().optional(),
  total: z.looseObject({}).optional(),
  details: z.array(orderDetailSchema).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
};

/** `Order` (GET /orders item). The spec's list shape carries no subscription id and no products. */
export const orderSchema = z.looseObject(orderBase);
export type CbOrder = z.output<typeof orderSchema>;
export const orderListSchema = resultList(orderSchema);

/** `OrderLineProduct`. */
export const orderLineProductSchema = z.looseObject({
  id: z.string().optional(),
  mpn: z.string().optional(),
  vendor: z.string().optional(),
  name: z.string().optional(),
  quantity: z.number().optional(),
  billingPeriod: periodSchema.optional(),
  subscriptionPeriod: periodSchema.optional(),
  subscriptionId: z.string().optional(),
  newId: z.string().optional(),
  newMPN: z.string().optional(),
  newProductId: z.string().optional(),
  type: z.string().optional(),
  extendedPrice: moneySchema.optional(),
});
export type CbOrderLineProduct = z.output<typeof orderLineProductSchema>;

/** `OrderDetailed` (GET /orders/{id}). */
export const orderDetailedSchema = z.looseObject({
  ...orderBase,
  subscriptionId: z.string().optional(),
  targetSubscriptionId: z.string().optional(),
  products: z.array(orderLineProductSchema).optional(),
  lastBillingDate: z.string().optional(),
  nextBillingDate: z.string().optional(),
  billingModel: z.string().optional(),
});
export type CbOrderDetailed = z.output<typeof orderDetailedSchema>;

// ---- rated data reports -----------------------------------------------------------------------

export const reportSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  status: z.string().optional(),
  type: z.string().optional(),
  format: z.string().optional(),
  creationDate: z.string(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  downloadUrl: z.string().optional(),
});
export type CbReport = z.output<typeof reportSchema>;
export const reportListSchema = resultList(reportSchema);

/**
 * One row of a rated-data report file (format `json`). The file's layout is not in the spec [unverified]: these
 * are the columns CloudBlue's rated-data export documents in prose (subscription, resource MPN, period, usage
 * quantity, amounts), under our own names; the simulator writes the same.
 */
export const ratedDataRowSchema = z.looseObject({
  id: z.string(),
  customerId: z.string(),
  subscriptionId: z.string(),
  productId: z.string().optional(),
  mpn: z.string().optional(),
  periodStart: z.string(),
  periodEnd: z.string(),
  quantity: z.number(),
  unitOfMeasure: z.string().optional(),
  currency: z.string(),
  amount: z.string().optional(),
  cost: z.string().optional(),
});
export type RatedDataRow = z.output<typeof ratedDataRowSchema>;
export const ratedDataFileSchema = z.looseObject({ reportId: z.string().optional(), rows: z.array(ratedDataRowSchema) });

// ---- errors -----------------------------------------------------------------------------------

/**
 * Error bodies. The spec declares none (every response is `default` = success). Two shapes are known or assumed:
 * Azure API Management's gateway body `{statusCode, message}` (subscription key, rate limit, quota; documented by
 * Microsoft) and SimpleAPI's own `{code, message, details?}` [unverified]. Read leniently.
 */
export const errorBodySchema = z.looseObject({
  statusCode: z.number().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  error: z.unknown().optional(),
  message: z.string().optional(),
  details: z.unknown().optional(),
});
