// Recurring services: ContractModel, ContractServiceModel, ContractServiceUnitModel,
// ContractServiceAdjustmentModel, ContractChargeModel, ServiceModel. Contracts carry no currency of
// their own: a multi-currency database bills in the company's `currencyID` (notes/contracts-and-marketplaces.md).
import { z } from 'zod';
import { bool, dateTime, entityBase, int, num, str, udfs } from './common';

export const contractSchema = z.looseObject({
  ...entityBase,
  companyID: int(),
  contractName: str(),
  contractNumber: str(),
  /** Picklist; 7 = Recurring Service in every database we know of, but read the picklist. */
  contractType: int(),
  contractCategory: int(),
  /** Set on create (required for recurring-service contracts), immutable afterwards. */
  contractPeriodType: int(),
  billingPreference: int(),
  status: int(),
  startDate: dateTime(),
  endDate: dateTime(),
  contactID: int(),
  contactName: str(),
  description: str(),
  purchaseOrderNumber: str(),
  opportunityID: int(),
  billToCompanyID: int(),
  billToCompanyContactID: int(),
  serviceLevelAgreementID: int(),
  setupFee: num(),
  setupFeeBillingCodeID: int(),
  internalCurrencySetupFee: num(),
  estimatedCost: num(),
  estimatedHours: num(),
  estimatedRevenue: num(),
  isDefaultContract: bool(),
  isCompliant: bool(),
  renewedContractID: int(),
  timeReportingRequiresStartAndStopTimes: int(),
  lastModifiedDateTime: dateTime(),
  userDefinedFields: udfs(),
});
export type Contract = z.infer<typeof contractSchema>;

/** Holds no units (read ContractServiceUnits). After create only adjustedPrice and invoiceDescription are writable. */
export const contractServiceSchema = z.looseObject({
  ...entityBase,
  contractID: int(),
  serviceID: int(),
  unitPrice: num(),
  unitCost: num(),
  /** Documented as writable [D:REST/Entities/ContractServicesEntity.htm]; not in the spec's model. */
  adjustedPrice: num(),
  internalCurrencyAdjustedPrice: num(),
  internalCurrencyUnitPrice: num(),
  invoiceDescription: str(),
  internalDescription: str(),
  quoteItemID: int(),
});
export type ContractService = z.infer<typeof contractServiceSchema>;

export const contractServiceUnitSchema = z.looseObject({
  ...entityBase,
  contractID: int(),
  contractServiceID: int(),
  serviceID: int(),
  units: int(),
  startDate: dateTime(),
  endDate: dateTime(),
  /** Per unit. */
  price: num(),
  cost: num(),
  internalCurrencyPrice: num(),
  approveAndPostDate: dateTime(),
  vendorCompanyID: int(),
  organizationalLevelAssociationID: int(),
});
export type ContractServiceUnit = z.infer<typeof contractServiceUnitSchema>;

/** Create-only: the way to change a contract service's quantity (`unitChange` is a delta). */
export const contractServiceAdjustmentSchema = z.looseObject({
  ...entityBase,
  contractID: int(),
  serviceID: int(),
  contractServiceID: int(),
  unitChange: int(),
  effectiveDate: dateTime(),
  adjustedUnitPrice: num(),
  adjustedUnitCost: num(),
  allowRepeatService: bool(),
  quoteItemID: int(),
});
export type ContractServiceAdjustment = z.infer<typeof contractServiceAdjustmentSchema>;

export const serviceSchema = z.looseObject({
  ...entityBase,
  name: str(),
  description: str(),
  invoiceDescription: str(),
  sku: str(),
  unitPrice: num(),
  /** Empty without cost permission; writes to it are then ignored. */
  unitCost: num(),
  markupRate: num(),
  periodType: int(),
  /** An active billing code of the Recurring Contract use type. */
  billingCodeID: int(),
  vendorCompanyID: int(),
  serviceLevelAgreementID: int(),
  manufacturerServiceProvider: str(),
  manufacturerServiceProviderProductNumber: str(),
  catalogNumberPartNumber: str(),
  internalID: str(),
  externalID: str(),
  url: str(),
  isActive: bool(),
  createDate: dateTime(),
  creatorResourceID: int(),
  updateResourceID: int(),
  lastModifiedDate: dateTime(),
  userDefinedFields: udfs(),
});
export type Service = z.infer<typeof serviceSchema>;

/** One-off charges on a contract, written through `Contracts/{id}/Charges`. */
export const contractChargeSchema = z.looseObject({
  ...entityBase,
  contractID: int(),
  name: str(),
  description: str(),
  chargeType: int(),
  status: int(),
  datePurchased: dateTime(),
  unitQuantity: num(),
  unitPrice: num(),
  unitCost: num(),
  extendedCost: num(),
  billableAmount: num(),
  billingCodeID: int(),
  productID: int(),
  contractServiceID: int(),
  contractServiceBundleID: int(),
  isBillableToCompany: bool(),
  isBilled: bool(),
  purchaseOrderNumber: str(),
  internalPurchaseOrderNumber: str(),
  notes: str(),
  internalCurrencyBillableAmount: num(),
  internalCurrencyUnitPrice: num(),
  createDate: dateTime(),
  creatorResourceID: int(),
  statusLastModifiedBy: int(),
  statusLastModifiedDate: dateTime(),
});
export type ContractCharge = z.infer<typeof contractChargeSchema>;

/**
 * `CurrencyModel` [S]: a multi-currency database's currencies (query and update only). `name` is the
 * ISO code (e.g. `EUR`); a company's `currencyID` points here, and its contracts bill in it.
 */
export const currencySchema = z.looseObject({
  ...entityBase,
  name: str(),
  description: str(),
  displaySymbol: int(),
  exchangeRate: num(),
  isActive: bool(),
  isInternalCurrency: bool(),
  currencyPositiveFormat: str(),
  currencyNegativeFormat: str(),
  lastModifiedDateTime: dateTime(),
  updateResourceId: int(),
});
export type Currency = z.infer<typeof currencySchema>;
