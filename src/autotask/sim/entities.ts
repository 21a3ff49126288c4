// What the simulated Autotask knows about each entity: its fields (names and types straight from
// the official spec's models, plus the required/read-only/length/picklist facts the spec leaves
// to entityInformation/fields at runtime), its access rules and its parent path.
import fs from 'node:fs';
import path from 'node:path';
import { SIM_RULES } from './rules';

export { UDF_DATA_TYPES, UDF_TYPES } from './rules/udfs';

export interface SimPicklistValue { value: string; label: string; isDefaultValue: boolean; sortOrder: number; parentValue: string | null; isActive: boolean; isSystem: boolean }

export interface SimField {
  name: string;
  dataType: 'integer' | 'long' | 'double' | 'string' | 'datetime' | 'boolean';
  length: number;
  isRequired: boolean;
  isReadOnly: boolean;
  isQueryable: boolean;
  isReference: boolean;
  referenceEntityType: string | null;
  isPickList: boolean;
  picklistValues: SimPicklistValue[] | null;
  picklistParentValueField: string | null;
  isSupportedWebhookField: boolean;
}

export type WriteMethod = 'POST' | 'PATCH' | 'PUT';

export interface SimEntity {
  name: string;
  model: string;
  fields: SimField[];
  byLowerName: Map<string, SimField>;
  canQuery: boolean;
  canCreate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  /** Methods allowed on the root collection path (children: none but ContractServiceAdjustments). */
  rootWrites: WriteMethod[];
  parent?: { entity: string; child: string; field: string; methods: Array<'GET' | WriteMethod> };
  hasUdfs: boolean;
  /** Field values applied on create when absent. */
  defaults: Record<string, unknown>;
  /** Reference fields whose target must also be active. */
  activeReferences: string[];
}

type Pick = Array<[number | string, string]>;

/** How an entity is declared here or in a rule module's `define`. */
export interface EntityConfig {
  model: string;
  required?: string[];
  readOnly?: string[];
  lengths?: Record<string, number>;
  picklists?: Record<string, Pick>;
  /** Reference fields → Autotask's referenceEntityType; the simulator rejects ids that don't exist. */
  references?: Record<string, string>;
  /** Reference fields whose target must be active, too. */
  activeReferences?: string[];
  canQuery?: boolean;
  canCreate?: boolean;
  canUpdate?: boolean;
  rootWrites?: WriteMethod[];
  parent?: SimEntity['parent'];
  hasUdfs?: boolean;
  defaults?: Record<string, unknown>;
  /** Fields Autotask documents but the spec's model lacks (e.g. ContractServices.adjustedPrice). */
  extraFields?: Record<string, { type?: string; format?: string }>;
}

const PERIOD: Pick = [[1, 'One-Time'], [2, 'Monthly'], [3, 'Quarterly'], [4, 'Semi-Annual'], [5, 'Yearly']];
const ALWAYS_READ_ONLY = ['id', 'createDate', 'createDateTime', 'createdTime', 'creatorResourceID', 'createdByResourceID', 'impersonatorCreatorResourceID', 'lastModifiedDate', 'lastModifiedDateTime', 'lastTrackedModifiedDateTime', 'lastActivityDate', 'soapParentPropertyId'];


const CONFIG: Record<string, EntityConfig> = {
  Products: {
    model: 'ProductModel',
    required: ['name', 'isActive', 'isSerialized', 'productBillingCodeID'],
    readOnly: ['link'],
    lengths: { name: 100, description: 2000, sku: 50, manufacturerName: 100, manufacturerProductName: 100, vendorProductNumber: 50, externalProductID: 50, internalProductID: 100, link: 500 },
    picklists: {
      billingType: [[1, 'Standard'], [2, 'Recurring Contract']],
      periodType: PERIOD,
      priceCostMethod: [[1, 'Use Product Price'], [2, 'Markup from Cost'], [3, 'Markup from Price']],
      productCategory: [[1, 'Hardware'], [2, 'Software'], [3, 'Cloud Services'], [4, 'Licensing']],
    },
    references: { defaultVendorID: 'Company', productBillingCodeID: 'BillingCode' },
    // The UI offers only active material codes and vendors [unverified for the API].
    activeReferences: ['productBillingCodeID', 'defaultVendorID'],
    hasUdfs: true,
    defaults: { billingType: 1, doesNotRequireProcurement: false, isEligibleForRma: false },
  },
  ProductVendors: {
    model: 'ProductVendorModel',
    required: ['productID', 'vendorID', 'isDefault', 'isActive'],
    lengths: { vendorPartNumber: 50 },
    references: { productID: 'Product', vendorID: 'Company' },
    activeReferences: ['vendorID'],
    rootWrites: [],
    parent: { entity: 'Products', child: 'Vendors', field: 'productID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
  },
  InventoryLocations: {
    model: 'InventoryLocationModel',
    required: ['locationName', 'isActive'],
    lengths: { locationName: 50 },
    defaults: { isDefault: false },
  },
  InventoryItems: {
    model: 'InventoryItemModel',
    required: ['productID', 'inventoryLocationID', 'quantityOnHand', 'quantityMinimum', 'quantityMaximum'],
    readOnly: ['quantityOnOrder', 'quantityReserved', 'quantityPicked', 'backOrderQuantity'],
    lengths: { bin: 50, referenceNumber: 50 },
    references: { productID: 'Product', inventoryLocationID: 'InventoryLocation' },
    defaults: { quantityOnOrder: 0, quantityReserved: 0, quantityPicked: 0, backOrderQuantity: 0 },
  },
  PurchaseOrders: {
    model: 'PurchaseOrderModel',
    required: ['vendorID', 'status', 'shipToName', 'shipToAddress1'],
    readOnly: ['cancelDateTime', 'latestEstimatedArrivalDate'],
    lengths: { shipToName: 100, shipToAddress1: 128, shipToAddress2: 128, shipToCity: 30, shipToState: 25, shipToPostalCode: 20, externalPONumber: 50, purchaseOrderNumber: 50, vendorInvoiceNumber: 50, generalMemo: 8000, phone: 25, fax: 25 },
    picklists: {
      // Labels: Autotask's PurchaseOrders/PurchaseOrder entity pages (a PO is "New" until "Submitted",
      // which it must be before items are received; "Received Partial"/"Received Full" follow receiving).
      // "Cancel", "Back Order" and the numbering are unverified: values differ per database, so the
      // engine reads this picklist by label (src/connector/submit-status.ts) and never assumes a value.
      status: [[1, 'New'], [2, 'Submitted'], [3, 'Received Partial'], [4, 'Received Full'], [5, 'Cancel'], [6, 'Back Order']],
      shippingType: [[1, 'Ground'], [2, 'Next Day Air'], [3, 'Second Day Air'], [4, 'Pickup']],
      paymentTerm: [[1, 'Due on Receipt'], [2, 'Net 15'], [3, 'Net 30'], [4, 'Net 60']],
    },
    references: { vendorID: 'Company', purchaseForCompanyID: 'Company' },
    activeReferences: ['vendorID'],
  },
  PurchaseOrderItems: {
    model: 'PurchaseOrderItemModel',
    required: ['orderID', 'quantity', 'unitCost', 'inventoryLocationID'],
    readOnly: ['internalCurrencyUnitCost'],
    lengths: { memo: 4000 },
    references: { orderID: 'PurchaseOrder', productID: 'Product', inventoryLocationID: 'InventoryLocation' },
    rootWrites: [],
    parent: { entity: 'PurchaseOrders', child: 'Items', field: 'orderID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
  },
  PurchaseOrderItemReceiving: {
    model: 'PurchaseOrderItemReceivingModel',
    required: ['purchaseOrderItemID', 'quantityNowReceiving'],
    readOnly: ['quantityPreviouslyReceived', 'receivedByResourceID'],
    lengths: { serialNumber: 100, vendorInvoiceNumber: 50 },
    canUpdate: false,
    rootWrites: [],
    parent: { entity: 'PurchaseOrderItems', child: 'Receiving', field: 'purchaseOrderItemID', methods: ['GET', 'POST'] },
  },
  Companies: {
    model: 'CompanyModel',
    required: ['companyName', 'companyType', 'phone', 'ownerResourceID'],
    lengths: { companyName: 100, phone: 25, address1: 150, address2: 150, city: 50, state: 25, postalCode: 20, webAddress: 255, companyNumber: 50, taxID: 50 },
    picklists: { companyType: [[1, 'Customer'], [2, 'Lead'], [3, 'Prospect'], [4, 'Dead'], [6, 'Cancellation'], [7, 'Vendor'], [8, 'Partner']] },
    references: { ownerResourceID: 'Resource', parentCompanyID: 'Company' },
    hasUdfs: true,
    defaults: { isActive: true },
  },
  Contacts: {
    model: 'ContactModel',
    required: ['companyID', 'firstName', 'lastName', 'isActive'],
    lengths: { firstName: 50, lastName: 50, emailAddress: 254, emailAddress2: 254, emailAddress3: 254, phone: 25, title: 50 },
    picklists: { isActive: [[0, 'Inactive'], [1, 'Active']] },
    references: { companyID: 'Company' },
    rootWrites: [],
    parent: { entity: 'Companies', child: 'Contacts', field: 'companyID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
    hasUdfs: true,
  },
  Resources: {
    model: 'ResourceModel',
    canCreate: false,
    rootWrites: ['PATCH', 'PUT'],
    readOnly: ['userName', 'resourceType', 'licenseType', 'userType'],
    lengths: { email: 254, firstName: 50, lastName: 50 },
  },
  Contracts: {
    model: 'ContractModel',
    required: ['companyID', 'contractName', 'contractType', 'status', 'startDate', 'endDate', 'timeReportingRequiresStartAndStopTimes'],
    lengths: { contractName: 100, contractNumber: 50, description: 2000, purchaseOrderNumber: 50 },
    picklists: {
      contractType: [[1, 'Time and Materials'], [3, 'Fixed Price'], [4, 'Block Hours'], [6, 'Retainer'], [7, 'Recurring Service'], [8, 'Per Ticket']],
      status: [[0, 'Inactive'], [1, 'Active']],
      billingPreference: [[1, 'Manually'], [2, 'Immediately'], [3, 'Timesheet Approval']],
      contractPeriodType: [[2, 'Monthly'], [3, 'Quarterly'], [4, 'Semi-Annual'], [5, 'Yearly']],
    },
    references: { companyID: 'Company', contactID: 'Contact' },
    hasUdfs: true,
  },
  ContractServices: {
    model: 'ContractServiceModel',
    required: ['contractID', 'serviceID'],
    readOnly: ['internalCurrencyAdjustedPrice', 'internalCurrencyUnitPrice'],
    lengths: { invoiceDescription: 1000, internalDescription: 100 },
    references: { contractID: 'Contract', serviceID: 'Service' },
    rootWrites: [],
    parent: { entity: 'Contracts', child: 'Services', field: 'contractID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
  },
  BillingCodes: {
    model: 'BillingCodeModel',
    canCreate: false,
    canUpdate: false,
    rootWrites: [],
    // Labels as Autotask shows them; the values are this simulator's (the client reads them at runtime).
    picklists: { useType: [[1, 'Work Type'], [2, 'Material Cost Code'], [3, 'Expense'], [4, 'Recurring Contract'], [5, 'Internal Allocation']] },
  },
  ContractServiceUnits: {
    model: 'ContractServiceUnitModel',
    canCreate: false,
    canUpdate: false,
    rootWrites: [],
    parent: { entity: 'Contracts', child: 'ServiceUnits', field: 'contractID', methods: ['GET'] },
  },
  ContractServiceAdjustments: {
    model: 'ContractServiceAdjustmentModel',
    required: ['contractID', 'serviceID', 'unitChange', 'effectiveDate'],
    references: { contractID: 'Contract', serviceID: 'Service', contractServiceID: 'ContractService' },
    canQuery: false,
    canUpdate: false,
    rootWrites: ['POST'],
    parent: { entity: 'Contracts', child: 'ServiceAdjustments', field: 'contractID', methods: ['POST'] },
  },
  Services: {
    model: 'ServiceModel',
    required: ['name', 'unitPrice', 'periodType', 'billingCodeID'],
    lengths: { name: 150, description: 400, invoiceDescription: 1000, sku: 50 },
    references: { billingCodeID: 'BillingCode', vendorCompanyID: 'Company' },
    // "an active recurring-contract-service billing code" (notes/contracts-and-marketplaces.md).
    activeReferences: ['billingCodeID'],
    picklists: { periodType: PERIOD.slice(1) },
    hasUdfs: true,
    defaults: { isActive: true },
  },
  Opportunities: {
    model: 'OpportunityModel',
    required: ['companyID', 'amount', 'cost', 'ownerResourceID', 'probability', 'projectedCloseDate', 'stage', 'status', 'title', 'useQuoteTotals'],
    references: { companyID: 'Company', ownerResourceID: 'Resource', contactID: 'Contact' },
    lengths: { title: 128, description: 8000 },
    picklists: {
      status: [[0, 'Inactive'], [1, 'Active'], [2, 'Lost'], [3, 'Closed'], [4, 'Implemented']],
      stage: [[1, 'Qualification'], [2, 'Needs Analysis'], [3, 'Proposal'], [4, 'Negotiation'], [5, 'Closed']],
    },
    hasUdfs: true,
  },
  Quotes: {
    model: 'QuoteModel',
    required: ['name', 'opportunityID', 'effectiveDate', 'expirationDate', 'billToLocationID', 'shipToLocationID', 'soldToLocationID'],
    references: { opportunityID: 'Opportunity', companyID: 'Company', contactID: 'Contact' },
    readOnly: ['quoteNumber', 'lastModifiedBy', 'lastPublishedByResourceID', 'lastPublishedDateTime'],
    lengths: { name: 100, description: 2000, comment: 1000 },
  },
  QuoteItems: {
    model: 'QuoteItemModel',
    required: ['quoteID', 'quantity', 'quoteItemType', 'isOptional', 'lineDiscount', 'percentageDiscount', 'unitDiscount'],
    readOnly: ['averageCost', 'highestCost', 'totalEffectiveTax', 'internalCurrencyLineDiscount', 'internalCurrencyUnitDiscount', 'internalCurrencyUnitPrice'],
    lengths: { name: 255, description: 2000 },
    picklists: { quoteItemType: [[1, 'Product'], [2, 'Cost'], [3, 'Labor'], [4, 'Expense'], [6, 'Shipping'], [11, 'Service'], [12, 'Service Bundle']], periodType: PERIOD },
    references: { quoteID: 'Quote', productID: 'Product', serviceID: 'Service' },
    rootWrites: [],
    parent: { entity: 'Quotes', child: 'Items', field: 'quoteID', methods: ['GET', 'POST', 'PATCH', 'PUT'] },
  },
};

let specDoc: { definitions: Record<string, { properties?: Record<string, { type?: string; format?: string }> }> } | undefined;

function spec() {
  specDoc ??= JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'spec', 'autotask-openapi.json'), 'utf8'));
  return specDoc!;
}

function dataType(prop: { type?: string; format?: string }): SimField['dataType'] {
  if (prop.type === 'integer') return prop.format === 'int64' ? 'long' : 'integer';
  if (prop.type === 'number') return 'double';
  if (prop.type === 'boolean') return 'boolean';
  if (prop.type === 'string' && prop.format === 'date-time') return 'datetime';
  return 'string';
}

function picklist(values: Pick): SimPicklistValue[] {
  return values.map(([value, label], i) => ({ value: String(value), label, isDefaultValue: i === 0, sortOrder: i, parentValue: null, isActive: true, isSystem: true }));
}

function build(name: string, c: EntityConfig): SimEntity {
  const props = spec().definitions[c.model]?.properties;
  if (!props) throw new Error(`spec has no ${c.model}`);
  const readOnly = new Set([...ALWAYS_READ_ONLY, ...(c.readOnly ?? [])]);
  const required = new Set(c.required ?? []);
  const fields: SimField[] = [];
  for (const [field, prop] of Object.entries({ ...props, ...c.extraFields })) {
    if (field === 'userDefinedFields' || field === 'soapParentPropertyId') continue;
    const type = dataType(prop);
    const pl = c.picklists?.[field];
    fields.push({
      name: field,
      dataType: type,
      length: type === 'string' ? c.lengths?.[field] ?? 255 : 0,
      isRequired: required.has(field),
      isReadOnly: readOnly.has(field) || (c.canCreate === false && c.canUpdate === false),
      isQueryable: true,
      isReference: !!c.references?.[field],
      referenceEntityType: c.references?.[field] ?? null,
      isPickList: !!pl,
      picklistValues: pl ? picklist(pl) : null,
      picklistParentValueField: null,
      isSupportedWebhookField: false,
    });
  }
  return {
    name,
    model: c.model,
    fields,
    byLowerName: new Map(fields.map((x) => [x.name.toLowerCase(), x])),
    canQuery: c.canQuery ?? true,
    canCreate: c.canCreate ?? true,
    canUpdate: c.canUpdate ?? true,
    canDelete: false,
    rootWrites: c.rootWrites ?? ['POST', 'PATCH', 'PUT'],
    parent: c.parent,
    hasUdfs: c.hasUdfs ?? false,
    defaults: c.defaults ?? {},
    activeReferences: c.activeReferences ?? [],
  };
}

let registry: Map<string, SimEntity> | undefined;

/** Every simulated entity, keyed by lower-case name (Autotask paths are case-insensitive). */
export function simEntities(): Map<string, SimEntity> {
  if (!registry) {
    const configs: Record<string, EntityConfig> = { ...CONFIG };
    for (const m of SIM_RULES) Object.assign(configs, m.define ?? {});
    registry = new Map(Object.entries(configs).map(([name, c]) => [name.toLowerCase(), build(name, c)]));
  }
  return registry;
}

/** The child entity served at `/{parent}/{id}/{child}`. */
export function childEntity(parent: string, child: string): SimEntity | undefined {
  for (const e of simEntities().values()) {
    if (e.parent && e.parent.entity.toLowerCase() === parent.toLowerCase() && e.parent.child.toLowerCase() === child.toLowerCase()) return e;
  }
  return undefined;
}
