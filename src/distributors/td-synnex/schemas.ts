// TD SYNNEX EC Express XML, one place: the documents we send (wire casing, for the builder) and zod
// schemas for documents read (tag names lower-cased by xml.ts, values text). The client reads answers
// leniently; the simulator checks requests strictly with the `*RequestSchema`s.
//
// Sources (no official schema is public):
// - PriceAvailability: shared notes "TD SYNNEX"; bipin0x01/synnex-xml-sdk (request builder, response types);
//   a CA integration posting `<priceRequest version="2.8">` and reading `priceResponse/PriceAvailabilityList`
//   (`synnexSKU`, `mfgPN`, `status`, `GlobalProductStatusCode`, `price`, `totalQuantity`,
//   `AvailabilityByWarehouse/warehouseInfo{number,zipcode,city,addr}`, `qty`).
// - PO: a Go client's sample request and `OrderResponse` (CustomerNumber, PONumber, Code "accepted",
//   Items/Item@lineNumber{SKU, OrderQuantity, Code, OrderNumber, OrderType, ShipFromWarehouse,
//   SynnexInternalReference}); optional elements from the notes and the SDK.
// - OrderStatusRequest on /SynnexXML/PO, keyed by our PO number ("not found" when unknown): notes + SDK types.
// - Invoice query at ws.{us|ca}.tdsynnex.com/webservice/invoice/query: SDK (request, `InvoiceResponse` types).
// - Errors: `errorResponse` + `errorDetail` (notes, SDK `ErrorResponse`) [unverified: root element and HTTP status].
import { z } from 'zod';

// ---- documents we send (wire casing) ----------------------------------------------------------

export interface XmlAddress {
  AddressName1?: string;
  AddressName2?: string;
  AddressLine1?: string;
  AddressLine2?: string;
  City?: string;
  State?: string;
  ZipCode?: string;
  Country?: string;
}

export interface PriceRequestDocument {
  priceRequest: {
    '@_version': string;
    customerNo: string;
    userName: string;
    password: string;
    skuList: Array<{ synnexSKU?: string; mfgPN?: string; lineNumber: number }>;
  };
}

export interface OrderRequestBody {
  CustomerNumber: string;
  PONumber: string;
  DropShipFlag: 'Y' | 'N';
  Shipment: {
    ShipFromWarehouse?: string;
    ShipTo: XmlAddress;
    ShipToContact?: { ContactName?: string; PhoneNumber?: string; EmailAddress?: string };
    ShipMethod: { Code: string };
  };
  Payment: { BillTo: { '@_code': string } };
  EndUserPONumber?: string;
  Comment?: string;
  BackOrderFlag?: 'Y' | 'N';
  SpecialPriceType?: string;
  SpecialPriceReferenceNumber?: string;
  Items: { Item: Array<{ '@_lineNumber': string; SKU: string; UnitPrice?: string; OrderQuantity: number; Comment?: string }> };
}

export interface Credential {
  UserID: string;
  Password: string;
}

export interface OrderRequestDocument {
  SynnexB2B: { Credential: Credential; OrderRequest: OrderRequestBody };
}

export interface OrderStatusRequestDocument {
  SynnexB2B: { Credential: Credential; OrderStatusRequest: { CustomerNumber: string; PONumber: string } };
}

export interface InvoiceRequestDocument {
  SynnexB2B: { '@_version': string; Credential: Credential; InvoiceRequest: { CustomerNumber: string; PONumber?: string; OrderNumber?: string } };
}

// ---- documents read (lower-case tags, text values) --------------------------------------------

const text = z.string().optional();
const list = <T extends z.ZodType>(item: T) => z.array(item).optional();
/** An element that may come empty (`<Items/>` parses as ''). */
const element = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal('')]).optional().transform((v) => (v === '' ? undefined : v));

/** Any answer carrying `errorResponse` / `errorDetail`. */
export const errorContentSchema = z.looseObject({ errorresponse: text, errordetail: text, errormessage: text });

export const pnaWarehouseSchema = z.looseObject({
  warehouseinfo: element(z.looseObject({ number: text, zipcode: text, city: text, addr: text })),
  qty: text,
});

export const pnaItemSchema = z.looseObject({
  synnexsku: text,
  mfgpn: text,
  mfgcode: text,
  /** Active | Discontinued | Not found | NotAuthorized (observed values). */
  status: text,
  description: text,
  globalproductstatuscode: text,
  price: text,
  msrp: text,
  totalquantity: text,
  availabilitybywarehouse: list(pnaWarehouseSchema),
  linenumber: text,
});
export type PnaItem = z.output<typeof pnaItemSchema>;

export const priceResponseSchema = z.looseObject({
  customerno: text,
  username: text,
  priceavailabilitylist: list(pnaItemSchema),
});

export const packageSchema = z.looseObject({
  trackingnumber: text,
  weight: text,
  shipitemquantity: text,
  serialno: list(z.string()),
  carrier: text,
});

export const orderLineSchema = z.looseObject({
  '@_linenumber': text,
  sku: text,
  mfgpn: text,
  productname: text,
  code: text,
  reason: text,
  ordernumber: text,
  ordertype: text,
  orderquantity: text,
  unitprice: text,
  shipquantity: text,
  shipdatetime: text,
  shipfromwarehouse: text,
  shipmethod: text,
  shipmethoddescription: text,
  etadate: text,
  estimatedshipdate: text,
  vendorordernumber: text,
  packages: element(z.looseObject({ package: list(packageSchema) })),
});
export type OrderLineRecord = z.output<typeof orderLineSchema>;

export const orderResponseSchema = z.looseObject({
  customernumber: text,
  ponumber: text,
  /** accepted | rejected [observed: accepted]. */
  code: text,
  reason: text,
  responsedatetime: text,
  items: element(z.looseObject({ item: list(orderLineSchema) })),
});
export type OrderResponseRecord = z.output<typeof orderResponseSchema>;

export const orderStatusResponseSchema = orderResponseSchema.extend({ podatetime: text });
export type OrderStatusRecord = z.output<typeof orderStatusResponseSchema>;

export const invoiceSchema = z.looseObject({
  invoicenumber: text,
  invoicedate: text,
  ordernumber: text,
  shipdate: text,
  tracking: list(z.looseObject({ tracknumber: text })),
  items: element(z.looseObject({ item: list(z.looseObject({ '@_linenumber': text, sku: text, unitprice: text, shipquantity: text })) })),
  summary: element(z.looseObject({ totalinvoiceamount: text })),
});
export type InvoiceRecord = z.output<typeof invoiceSchema>;

export const invoiceResponseSchema = z.looseObject({
  customerponumber: text,
  code: text,
  invoice: list(invoiceSchema),
});

// ---- requests as the simulator checks them (strict: what TD SYNNEX requires) ------------------

const required = z.string().min(1);
const yn = z.enum(['Y', 'N']);

export const priceRequestSchema = z.object({
  '@_version': z.string().optional(),
  customerno: required,
  username: required,
  password: required,
  skulist: z.array(z.object({
    synnexsku: z.string().regex(/^\d+$/, 'synnexSKU is numeric').optional(),
    mfgpn: z.string().min(1).optional(),
    linenumber: z.string().regex(/^\d+$/),
  }).refine((s) => Boolean(s.synnexsku) !== Boolean(s.mfgpn), 'exactly one of synnexSKU or mfgPN')).min(1),
});

const credentialSchema = z.object({ userid: required, password: required });

/** Ship-to lines TD SYNNEX prints on labels: 35 characters [unverified; peers wrap addresses at 35]. */
const line35 = z.string().min(1).max(35);

export const orderRequestSchema = z.object({
  customernumber: required,
  ponumber: z.string().min(1).max(35),
  dropshipflag: yn,
  shipment: z.object({
    shipfromwarehouse: z.string().optional(),
    shipto: z.object({
      addressname1: line35,
      addressname2: line35.optional(),
      addressline1: line35,
      addressline2: line35.optional(),
      city: required,
      state: required,
      zipcode: required,
      country: z.enum(['US', 'CA']),
    }),
    shiptocontact: z.object({ contactname: z.string().optional(), phonenumber: z.string().optional(), emailaddress: z.string().optional() }).optional(),
    shipmethod: z.object({ code: required }),
  }),
  payment: z.object({ billto: z.looseObject({ '@_code': required }) }),
  enduserponumber: z.string().optional(),
  comment: z.string().optional(),
  backorderflag: yn.optional(),
  specialpricetype: z.string().optional(),
  specialpricereferencenumber: z.string().optional(),
  items: z.object({
    item: z.array(z.object({
      '@_linenumber': required,
      sku: z.string().regex(/^\d+$/, 'SKU is numeric'),
      unitprice: z.string().regex(/^\d+(\.\d{1,4})?$/).optional(),
      orderquantity: z.string().regex(/^[1-9]\d*$/, 'OrderQuantity is a positive whole number'),
      comment: z.string().optional(),
    })).min(1),
  }),
});
export type OrderRequestRecord = z.output<typeof orderRequestSchema>;

export const b2bRequestSchema = z.object({
  synnexb2b: z.object({
    '@_version': z.string().optional(),
    credential: credentialSchema,
    orderrequest: orderRequestSchema.optional(),
    orderstatusrequest: z.object({ customernumber: required, ponumber: required }).optional(),
    invoicerequest: z.object({ customernumber: required, ponumber: z.string().optional(), ordernumber: z.string().optional() }).optional(),
  }),
});
