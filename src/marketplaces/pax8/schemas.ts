// zod schemas for every Pax8 Partner API shape we read or send (spec/pax8-partner-openapi.json,
// spec/pax8-authentication-openapi.json). Fields are nullish because Pax8 omits empty ones; unknown
// fields pass through into `raw`.
import { z } from 'zod';

const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();

export const BILLING_TERMS = ['Monthly', 'Annual', '2-Year', '3-Year', 'One-Time', 'Trial', 'Activation'] as const;
export type BillingTerm = (typeof BILLING_TERMS)[number];

export const SUBSCRIPTION_STATUSES = [
  'Active', 'Cancelled', 'PendingManual', 'PendingAutomated', 'PendingCancel', 'WaitingForDetails', 'Trial', 'Converted', 'PendingActivation', 'Activated',
] as const;
export type Pax8SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

// ---- auth -----------------------------------------------------------------------------------

/** `POST /token` body (TokenRequest): all four fields are required. */
export interface TokenRequest {
  client_id: string;
  client_secret: string;
  audience: 'https://api.pax8.com';
  grant_type: 'client_credentials';
}

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: num,
  token_type: str,
});

/** The token endpoint's 401 (spec example `token-error-auth-example`). */
export const tokenErrorSchema = z.looseObject({ error: str, error_description: str });

// ---- errors and paging ----------------------------------------------------------------------

export const errorSchema = z.looseObject({
  type: str,
  message: str,
  instance: str,
  status: num,
  details: z.array(z.looseObject({ type: str, message: str, instance: str, status: num })).nullish(),
});
export type Pax8Error = z.infer<typeof errorSchema>;

export const pageInfoSchema = z.looseObject({ size: num, totalElements: num, totalPages: num, number: num });

/** `{content: T[], page: {size, totalElements, totalPages, number}}`; records are parsed one by one. */
export const pagedSchema = z.looseObject({ content: z.array(z.unknown()).nullish(), page: pageInfoSchema.nullish() });

// ---- companies ------------------------------------------------------------------------------

export const addressSchema = z.looseObject({ street: str, street2: str, city: str, stateOrProvince: str, postalCode: str, country: str });

export const contactSchema = z.looseObject({
  id: str,
  firstName: str,
  lastName: str,
  email: str,
  phone: str,
  createdDate: str,
  types: z.array(z.looseObject({ type: str, primary: bool })).nullish(),
});

export const companySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  address: addressSchema.nullish(),
  phone: str,
  website: str,
  externalId: str,
  billOnBehalfOfEnabled: bool,
  selfServiceAllowed: bool,
  orderApprovalRequired: bool,
  status: str,
  updatedDate: str,
});
export type Pax8Company = z.infer<typeof companySchema>;

/** `POST /companies` body (Company without read-only fields). */
export interface CompanyCreate {
  name: string;
  address: { street: string; street2?: string; city: string; stateOrProvince?: string; postalCode: string; country: string };
  phone: string;
  website: string;
  externalId?: string;
  billOnBehalfOfEnabled: boolean;
  selfServiceAllowed: boolean;
  orderApprovalRequired: boolean;
  contacts?: Array<{ firstName: string; lastName: string; email: string; phone: string; types: Array<{ type: 'Admin' | 'Billing' | 'Technical'; primary: boolean }> }>;
}

// ---- products and pricing -------------------------------------------------------------------

export const productSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  vendorName: str,
  shortDescription: str,
  description: str,
  sku: str,
  vendorSku: str,
  requiresCommitment: bool,
});
export type Pax8Product = z.infer<typeof productSchema>;

export const rateSchema = z.looseObject({
  partnerBuyRate: num,
  suggestedRetailPrice: num,
  startQuantityRange: num,
  endQuantityRange: num,
  chargeType: str,
});

export const pricingSchema = z.looseObject({
  productId: str,
  productName: str,
  billingTerm: str,
  commitmentTerm: str,
  commitmentTermInMonths: num,
  type: str,
  unitOfMeasurement: str,
  rates: z.array(rateSchema).nullish(),
});
export type Pax8Pricing = z.infer<typeof pricingSchema>;

export const pricingListSchema = z.looseObject({ content: z.array(pricingSchema).nullish() });

export const commitmentSchema = z.looseObject({
  id: str,
  term: str,
  autoRenew: bool,
  allowForQuantityIncrease: bool,
  allowForQuantityDecrease: bool,
  allowForEarlyCancellation: bool,
  cancellationFeeApplied: bool,
});

export const dependenciesSchema = z.looseObject({
  commitmentDependencies: z.array(commitmentSchema).nullish(),
  productDependencies: z.array(z.looseObject({ name: str, products: z.array(z.unknown()).nullish() })).nullish(),
});

// ---- orders ---------------------------------------------------------------------------------

export const lineItemSchema = z.looseObject({
  id: str,
  productId: str,
  subscriptionId: str,
  commitmentTermId: str,
  provisionStartDate: str,
  billingTerm: str,
  quantity: num,
});

export const orderSchema = z.looseObject({
  id: str,
  companyId: z.string().min(1),
  createdDate: str,
  orderedBy: str,
  orderedByUserEmail: str,
  isScheduled: bool,
  lineItems: z.array(lineItemSchema).nullish(),
});
export type Pax8Order = z.infer<typeof orderSchema>;

/** `POST /orders` body (CreateOrder / CreateLineItem). */
export interface OrderCreate {
  companyId: string;
  orderedBy?: 'Pax8 Partner' | 'Customer' | 'Pax8';
  lineItems: Array<{
    /** Required on each line by the spec's CreateLineItem, besides the order's own. */
    companyId: string;
    productId: string;
    lineItemNumber: number;
    quantity: number;
    billingTerm: BillingTerm;
    commitmentTermId?: string;
    provisionStartDate?: string;
    parentSubscriptionId?: string;
    parentLineItemNumber?: number;
    provisioningDetails?: Array<{ key: string; values: string[] }>;
  }>;
}

// ---- subscriptions and usage ----------------------------------------------------------------

export const subscriptionSchema = z.looseObject({
  id: z.string().min(1),
  parentSubscriptionId: str,
  companyId: z.string().min(1),
  productId: z.string().min(1),
  vendorSubscriptionId: str,
  quantity: z.number(),
  startDate: str,
  endDate: str,
  createdDate: str,
  updatedDate: str,
  billingStart: str,
  status: str,
  price: num,
  currencyCode: str,
  partnerCost: num,
  productName: str,
  billingTerm: str,
  commitmentTerm: z.looseObject({ id: str, term: str, endDate: str }).nullish(),
});
export type Pax8Subscription = z.infer<typeof subscriptionSchema>;

export const historySchema = z.looseObject({ content: z.array(subscriptionSchema).nullish() });

export const usageSummarySchema = z.looseObject({
  id: z.string().min(1),
  companyId: str,
  productId: str,
  resourceGroup: str,
  vendorName: str,
  currentCharges: num,
  currencyCode: str,
  partnerTotal: num,
  isTrial: bool,
});
export type Pax8UsageSummary = z.infer<typeof usageSummarySchema>;

// ---- invoices -------------------------------------------------------------------------------

export const invoiceSchema = z.looseObject({
  id: z.string().min(1),
  invoiceDate: z.string(),
  dueDate: str,
  balance: num,
  total: num,
  currencyCode: str,
  partnerName: str,
  companyId: str,
});
export type Pax8Invoice = z.infer<typeof invoiceSchema>;

export const invoiceItemSchema = z.looseObject({
  id: z.string().min(1),
  type: str,
  companyId: str,
  externalId: str,
  companyName: str,
  startPeriod: str,
  endPeriod: str,
  quantity: num,
  unitOfMeasure: str,
  term: str,
  sku: str,
  description: str,
  price: num,
  subTotal: num,
  cost: num,
  costTotal: num,
  total: num,
  productId: str,
  productName: str,
  currencyCode: str,
  subscriptionId: str,
  vendorName: str,
});
export type Pax8InvoiceItem = z.infer<typeof invoiceItemSchema>;
