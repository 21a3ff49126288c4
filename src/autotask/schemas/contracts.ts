// Recurring services: ContractModel, ContractServiceModel, ContractServiceUnitModel,
// ContractServiceAdjustmentModel, ServiceModel.
import { z } from 'zod';
import { bool, dateTime, entityBase, int, num, str, udfs } from './common';

export const contractSchema = z.looseObject({
  ...entityBase,
  companyID: int(),
  contractName: str(),
  contractNumber: str(),
  contractType: int(),
  contractCategory: int(),
  contractPeriodType: int(),
  billingPreference: int(),
  status: int(),
  startDate: dateTime(),
  endDate: dateTime(),
  contactID: int(),
  timeReportingRequiresStartAndStopTimes: int(),
  lastModifiedDateTime: dateTime(),
  userDefinedFields: udfs(),
});
export type Contract = z.infer<typeof contractSchema>;

export const contractServiceSchema = z.looseObject({
  ...entityBase,
  contractID: int(),
  serviceID: int(),
  unitPrice: num(),
  unitCost: num(),
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
  price: num(),
  cost: num(),
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
  sku: str(),
  unitPrice: num(),
  unitCost: num(),
  periodType: int(),
  billingCodeID: int(),
  vendorCompanyID: int(),
  isActive: bool(),
  lastModifiedDate: dateTime(),
  userDefinedFields: udfs(),
});
export type Service = z.infer<typeof serviceSchema>;
