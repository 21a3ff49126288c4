// The Autotask PSA REST client: one configured instance per API user, typed resources per entity.
//
//   const autotask = createAutotaskClient({ credentials, limiter: postgresLimiter(database) });
//   const id = await autotask.products.create({ name: 'X', isActive: true, ... });
//   for await (const page of autotask.products.pages({ afterId: checkpoint })) { ... page.lastId }
import type { Logger } from '../logging';
import type { AutotaskCredentials } from './credentials';
import { CreateOnlyChildResource, DeletableChildResource, DeletableRootResource } from './contracts';
import { AutotaskError } from './errors';
import { memoryLimiter, type ApiLimiter, type LimitSettings } from './limits';
import { MetadataCache } from './metadata';
import { ChildResource, EntityResource, RootResource, type ResourceContext } from './resource';
import * as s from './schemas';
import { operationResultSchema, thresholdInformationSchema, type ThresholdInformation } from './schemas/common';
import { Transport, type RetrySettings } from './transport';
import type { Zone } from './zone';

export interface AutotaskClientOptions {
  credentials: AutotaskCredentials;
  /** Use this zone instead of discovering it. */
  zoneUrl?: string;
  /** Zone-less discovery base; default `https://webservices.autotask.net/atservicesrest`. */
  discoveryUrl?: string;
  /**
   * Request limits. Pass `postgresLimiter(database)` so every worker shares them; `false` turns
   * limiting off. Default: limits shared by the clients of this process only.
   */
  limiter?: ApiLimiter | false;
  /** Budget key when the zone reports no database id (`ci`). */
  databaseKey?: string;
  /** Check writes against entity metadata before sending (default true). */
  checkWrites?: boolean;
  timeoutMs?: number;
  /** Retries of transient failures at the request (count and time bounds); see TransportOptions. */
  retry?: Partial<RetrySettings>;
  /** Shorthand for `retry.attempts - 1`. */
  readRetries?: number;
  threadLimitRetries?: number;
  /** Longest total wait for stray 429s inside one request (default 30 s). */
  maxRateLimitWaitMs?: number;
  /** See TransportOptions.zoneRecheckMs. */
  zoneRecheckMs?: number;
  metadataTtlMs?: number;
  logger?: Logger;
}

let processLimiter: ApiLimiter | undefined;

/** The in-process default limiter, shared by clients that were given none. */
export function defaultLimiter(settings?: Partial<LimitSettings>): ApiLimiter {
  processLimiter ??= memoryLimiter(settings);
  return processLimiter;
}

/** Labels of `UserDefinedFieldDefinitions.udfType` per entity (values come from the picklist). */
const UDF_TYPE_LABELS: Record<string, string> = {
  Companies: 'Company', Contacts: 'Contact', Contracts: 'Contract', Opportunities: 'Opportunity', Products: 'Product', Services: 'Service',
};

export interface UdfDefinitionInput {
  /** Entity the UDF is added to, e.g. `Products`. */
  entity: keyof typeof UDF_TYPE_LABELS | string;
  name: string;
  /** Label of a `dataType` picklist value, e.g. `String`, `Number`, `Date`. */
  dataType?: string;
  description?: string;
  isActive?: boolean;
  isProtected?: boolean;
}

export class AutotaskClient {
  readonly transport: Transport;
  readonly metadata: MetadataCache;
  private readonly ctx: ResourceContext;

  readonly products;
  readonly productVendors;
  readonly inventoryLocations;
  readonly inventoryItems;
  readonly inventoryStockedItems;
  readonly inventoryStockedItemsAdd;
  readonly inventoryStockedItemsRemove;
  readonly purchaseOrders;
  readonly purchaseOrderItems;
  readonly purchaseOrderItemReceiving;
  readonly companies;
  readonly contacts;
  readonly resources;
  readonly contracts;
  readonly contractServices;
  readonly contractServiceUnits;
  readonly contractServiceAdjustments;
  readonly contractCharges;
  readonly companyWebhooks;
  readonly companyWebhookFields;
  readonly companyWebhookUdfFields;
  readonly companyWebhookExcludedResources;
  readonly services;
  readonly opportunities;
  readonly quotes;
  readonly quoteItems;
  readonly udfDefinitions;
  readonly billingCodes;
  readonly currencies;

  constructor(options: AutotaskClientOptions) {
    this.transport = new Transport({ ...options, limiter: options.limiter ?? defaultLimiter() });
    this.metadata = new MetadataCache(this.transport, options.metadataTtlMs);
    this.ctx = { transport: this.transport, metadata: this.metadata, checkWrites: options.checkWrites ?? true };
    const c = this.ctx;
    this.products = new RootResource(c, 'Products', s.productSchema);
    this.productVendors = new ChildResource(c, 'ProductVendors', s.productVendorSchema, { entity: 'Products', child: 'Vendors', field: 'productID' });
    this.inventoryLocations = new RootResource(c, 'InventoryLocations', s.inventoryLocationSchema);
    this.inventoryItems = new RootResource(c, 'InventoryItems', s.inventoryItemSchema);
    this.inventoryStockedItems = new EntityResource(c, 'InventoryStockedItems', s.inventoryStockedItemSchema);
    // Quantity on hand changes only through these (Autotask 2022.1, [D:REST/Entities/InventoryProductsEntity.htm]).
    this.inventoryStockedItemsAdd = new CreateOnlyChildResource(c, 'InventoryStockedItemsAdd', s.inventoryStockedItemAddSchema, { entity: 'InventoryProducts', child: 'StockedItemsAdd', field: 'inventoryProductID' });
    this.inventoryStockedItemsRemove = new CreateOnlyChildResource(c, 'InventoryStockedItemsRemove', s.inventoryStockedItemRemoveSchema, { entity: 'InventoryProducts', child: 'StockedItemsRemove', field: 'inventoryProductID' });
    this.purchaseOrders = new RootResource(c, 'PurchaseOrders', s.purchaseOrderSchema);
    this.purchaseOrderItems = new ChildResource(c, 'PurchaseOrderItems', s.purchaseOrderItemSchema, { entity: 'PurchaseOrders', child: 'Items', field: 'orderID' });
    this.purchaseOrderItemReceiving = new ChildResource(c, 'PurchaseOrderItemReceiving', s.purchaseOrderItemReceivingSchema, { entity: 'PurchaseOrderItems', child: 'Receiving', field: 'purchaseOrderItemID' });
    this.companies = new RootResource(c, 'Companies', s.companySchema);
    this.contacts = new ChildResource(c, 'Contacts', s.contactSchema, { entity: 'Companies', child: 'Contacts', field: 'companyID' });
    this.resources = new EntityResource(c, 'Resources', s.resourceSchema);
    this.contracts = new RootResource(c, 'Contracts', s.contractSchema);
    this.contractServices = new ChildResource(c, 'ContractServices', s.contractServiceSchema, { entity: 'Contracts', child: 'Services', field: 'contractID' });
    this.contractServiceUnits = new EntityResource(c, 'ContractServiceUnits', s.contractServiceUnitSchema);
    this.contractServiceAdjustments = new CreateOnlyChildResource(c, 'ContractServiceAdjustments', s.contractServiceAdjustmentSchema, { entity: 'Contracts', child: 'ServiceAdjustments', field: 'contractID' });
    this.contractCharges = new ChildResource(c, 'ContractCharges', s.contractChargeSchema, { entity: 'Contracts', child: 'Charges', field: 'contractID' });
    this.companyWebhooks = new DeletableRootResource(c, 'CompanyWebhooks', s.companyWebhookSchema);
    this.companyWebhookFields = new DeletableChildResource(c, 'CompanyWebhookFields', s.companyWebhookFieldSchema, { entity: 'CompanyWebhooks', child: 'Fields', field: 'webhookID' });
    this.companyWebhookUdfFields = new DeletableChildResource(c, 'CompanyWebhookUdfFields', s.companyWebhookUdfFieldSchema, { entity: 'CompanyWebhooks', child: 'UdfFields', field: 'webhookID' });
    this.companyWebhookExcludedResources = new DeletableChildResource(c, 'CompanyWebhookExcludedResources', s.companyWebhookExcludedResourceSchema, { entity: 'CompanyWebhooks', child: 'ExcludedResources', field: 'webhookID' });
    this.services = new RootResource(c, 'Services', s.serviceSchema);
    this.opportunities = new RootResource(c, 'Opportunities', s.opportunitySchema);
    this.quotes = new RootResource(c, 'Quotes', s.quoteSchema);
    this.quoteItems = new ChildResource(c, 'QuoteItems', s.quoteItemSchema, { entity: 'Quotes', child: 'Items', field: 'quoteID' });
    this.udfDefinitions = new EntityResource(c, 'UserDefinedFieldDefinitions', s.udfDefinitionSchema);
    this.billingCodes = new EntityResource(c, 'BillingCodes', s.billingCodeSchema);
    this.currencies = new EntityResource(c, 'Currencies', s.currencySchema);
  }

  /** The zone in use (discovering it if needed). */
  zone(): Promise<Zone> {
    return this.transport.zones.current();
  }

  /** The database's request usage this hour (the call itself counts). */
  thresholdInformation(): Promise<ThresholdInformation> {
    return this.transport.request({ method: 'GET', path: 'ThresholdInformation', endpoint: 'ThresholdInformation', idempotent: true }, thresholdInformationSchema);
  }

  /** Adds a user-defined field to an entity (UDFs cannot be deleted through the API). */
  async createUdfDefinition(input: UdfDefinitionInput): Promise<number> {
    const typeLabel = UDF_TYPE_LABELS[input.entity] ?? input.entity;
    const udfType = await this.metadata.picklistValue('UserDefinedFieldDefinitions', 'udfType', typeLabel);
    const dataType = await this.metadata.picklistValue('UserDefinedFieldDefinitions', 'dataType', input.dataType ?? 'String');
    if (!udfType) throw new AutotaskError('validation', `UserDefinedFieldDefinitions.udfType: no picklist value for ${typeLabel}`, { field: 'udfType' });
    if (!dataType) throw new AutotaskError('validation', `UserDefinedFieldDefinitions.dataType: no picklist value for ${input.dataType}`, { field: 'dataType' });
    const body: Record<string, unknown> = {
      name: input.name,
      udfType: Number(udfType),
      dataType: Number(dataType),
      isActive: input.isActive ?? true,
      ...(input.description ? { description: input.description } : {}),
      ...(input.isProtected !== undefined ? { isProtected: input.isProtected } : {}),
    };
    if (this.ctx.checkWrites) await this.metadata.checkWrite('UserDefinedFieldDefinitions', 'create', body);
    const result = await this.transport.request({ method: 'POST', path: 'UserDefinedFieldDefinitions', body, endpoint: 'UserDefinedFieldDefinitions', idempotent: false }, operationResultSchema);
    this.metadata.invalidate(input.entity);
    return result.itemId;
  }
}

export function createAutotaskClient(options: AutotaskClientOptions): AutotaskClient {
  return new AutotaskClient(options);
}
