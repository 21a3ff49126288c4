// zod schemas for the Ingram Micro Reseller v6 records we read, and types for the bodies we send.
// Shapes follow spec/ingram-reseller-v6-openapi.json; every field is optional/nullable as the
// vendor sends partial records, and unknown fields pass through into `raw`.
import { z } from 'zod';

const str = z.string().nullish();
const num = z.number().nullish();
const int = z.number().int().nullish();
const bool = z.boolean().nullish();
const arr = <T extends z.ZodType>(item: T) => z.array(item).nullish();

export const accessTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: str,
  // The spec types it as a string ("86399"); accept a number too.
  expires_in: z.union([z.string(), z.number()]).nullish(),
});
export type AccessTokenResponse = z.infer<typeof accessTokenSchema>;

export const errorResponseSchema = z.looseObject({
  errors: arr(
    z.looseObject({
      id: str,
      type: str,
      message: str,
      fields: arr(z.looseObject({ field: str, value: z.unknown().optional(), message: str })),
    }),
  ),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** Apigee gateway errors (401 on bad/expired bearer, token endpoint failures). */
export const gatewayFaultSchema = z.looseObject({
  fault: z.looseObject({ faultstring: str, detail: z.looseObject({ errorcode: str }).nullish() }).nullish(),
  ErrorCode: str,
  Error: str,
  message: str,
});

// ---- catalog --------------------------------------------------------------------------------

export const catalogRecordSchema = z.looseObject({
  ingramPartNumber: z.string().min(1),
  /** The product's description; `extraDescription` is the extended one (spec: ProductSearch_Response). */
  description: str,
  vendorPartNumber: str,
  upcCode: str,
  vendorName: str,
  category: str,
  subCategory: str,
  productType: str,
  type: str,
  /** "Indicates whether the contact information for the end user/customer is required" ("True"/"False"). */
  endUserRequired: str,
  discontinued: str,
  replacementSku: str,
  extraDescription: str,
  newProduct: str,
  authorizedToPurchase: str,
});
export type CatalogRecord = z.infer<typeof catalogRecordSchema>;

export const catalogSearchSchema = z.looseObject({
  recordsFound: int,
  pageSize: int,
  pageNumber: int,
  // Records are checked one by one (a broken one is reported, not fatal to the page).
  catalog: arr(z.unknown()),
  nextPage: str,
  previousPage: str,
});

const warehouseSchema = z.looseObject({
  location: str,
  warehouseId: str,
  quantityAvailable: int,
  quantityBackordered: int,
  quantityBackorderedEta: str,
  quantityOnOrder: int,
});

export const pnaRecordSchema = z.looseObject({
  index: num,
  productStatusCode: str,
  productStatusMessage: str,
  ingramPartNumber: str,
  vendorPartNumber: str,
  upc: str,
  vendorName: str,
  productStatus: str,
  acceptBackOrder: bool,
  /** "Boolean that indicates if end user information is required." */
  endUserInfoRequired: bool,
  availability: z
    .looseObject({ available: bool, totalAvailability: int, availabilityByWarehouse: arr(warehouseSchema) })
    .nullish(),
  pricing: z
    .looseObject({ currencyCode: str, retailPrice: num, mapPrice: num, customerPrice: num })
    .nullish(),
  discounts: arr(
    z.looseObject({
      specialPricing: arr(
        z.looseObject({
          discountType: str,
          specialBidNumer: str,
          specialPricingDiscount: num,
          specialPricingEffectiveDate: str,
          specialPricingExpirationDate: str,
          specialPricingMinQuantity: int,
        }),
      ),
    }),
  ),
});
export type PnaRecord = z.infer<typeof pnaRecordSchema>;
export const pnaResponseSchema = z.array(pnaRecordSchema);

// ---- orders ---------------------------------------------------------------------------------

export const orderCreateResponseSchema = z.looseObject({
  customerOrderNumber: str,
  orderSplit: bool,
  processedPartially: bool,
  purchaseOrderTotal: num,
  orders: arr(
    z.looseObject({
      ingramOrderNumber: str,
      ingramOrderDate: str,
      orderTotal: num,
      currencyCode: str,
      lines: arr(
        z.looseObject({
          subOrderNumber: str,
          ingramLineNumber: str,
          customerLineNumber: str,
          lineStatus: str,
          ingramPartNumber: str,
          unitPrice: num,
          quantityOrdered: int,
          quantityConfirmed: int,
          quantityBackOrdered: int,
        }),
      ),
      rejectedLineItems: arr(
        z.looseObject({
          customerLinenumber: str,
          ingramPartNumber: str,
          quantityOrdered: int,
          rejectCode: str,
          rejectReason: str,
        }),
      ),
    }),
  ),
});
export type OrderCreateResponse = z.infer<typeof orderCreateResponseSchema>;

export const orderSearchSchema = z.looseObject({
  recordsFound: int,
  pageSize: int,
  pageNumber: int,
  orders: arr(
    z.looseObject({
      ingramOrderNumber: z.string(),
      ingramOrderDate: str,
      customerOrderNumber: str,
      orderTotal: num,
      orderStatus: str,
      subOrders: arr(z.looseObject({ subOrderNumber: str, subOrderStatus: str })),
    }),
  ),
  nextPage: str,
});

const trackingSchema = z.looseObject({
  trackingNumber: str,
  trackingUrl: str,
  serialNumbers: arr(z.looseObject({ serialNumber: str })),
});

const carrierSchema = z.looseObject({
  carrierCode: str,
  carrierName: str,
  quantity: int,
  shippedDate: str,
  deliveredDate: str,
  trackingDetails: arr(trackingSchema),
});

const shipmentSchema = z.looseObject({
  quantity: int,
  deliveryNumber: str,
  shippedDate: str,
  shipFromWarehouseId: str,
  invoiceNumber: str,
  invoiceDate: str,
  carrierDetails: arr(carrierSchema),
});

export const orderDetailSchema = z.looseObject({
  ingramOrderNumber: z.string(),
  ingramOrderDate: str,
  customerOrderNumber: str,
  orderStatus: str,
  orderTotal: num,
  currencyCode: str,
  lines: arr(
    z.looseObject({
      subOrderNumber: str,
      ingramOrderLineNumber: str,
      customerLineNumber: str,
      lineStatus: str,
      ingramPartNumber: str,
      vendorPartNumber: str,
      partDescription: str,
      unitPrice: num,
      quantityOrdered: int,
      quantityConfirmed: int,
      quantityBackOrdered: int,
      backOrderETADate: str,
      shipmentDetails: arr(shipmentSchema),
    }),
  ),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;

// ---- request bodies (spec: OrderCreateRequest, PriceAndAvailabilityRequest) ------------------

export interface IngramAddress {
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

/**
 * Longest values Ingram takes in `shipToInfo` and `endUserInfo` (spec: OrderCreateRequest, the
 * same `maxLength` in both). `countryCode` allows 10 but is described as the two-character ISO code.
 */
export const INGRAM_ADDRESS_MAX: Readonly<Record<keyof IngramAddress, number | undefined>> = {
  contact: 70, companyName: 40, addressLine1: 70, addressLine2: 70, addressLine3: 70, city: 25, state: 3, postalCode: 10, countryCode: 2,
  phoneNumber: undefined, email: undefined,
};

/**
 * Fields an address must have when we send it. The spec marks none as required in `shipToInfo`; for
 * `endUserInfo` it says companyName, addressLine1, city, state and postalCode are "Required for
 * Impulse countries". We require the same for both (unverified beyond those descriptions): an order
 * must never reach Ingram with an address it cannot ship or license to.
 */
export const INGRAM_ADDRESS_REQUIRED: ReadonlyArray<keyof IngramAddress> = ['companyName', 'addressLine1', 'city', 'postalCode', 'countryCode'];
/** `state` is required where it is part of the postal address (the spec: "optional for EMEA countries"). */
export const INGRAM_STATE_REQUIRED_COUNTRIES: readonly string[] = ['US', 'CA'];

export interface OrderCreateRequest {
  customerOrderNumber: string;
  endCustomerOrderNumber?: string;
  notes?: string;
  acceptBackOrder?: boolean;
  shipToInfo?: IngramAddress;
  endUserInfo?: IngramAddress;
  lines: Array<{ customerLineNumber: string; ingramPartNumber: string; quantity: number; unitPrice?: number; notes?: string }>;
  shipmentDetails?: { shipComplete?: string };
}

export interface PnaRequest {
  showAvailableDiscounts?: boolean;
  products: Array<{ ingramPartNumber: string }>;
}
