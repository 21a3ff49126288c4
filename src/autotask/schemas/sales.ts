// Sales: OpportunityModel, QuoteModel, QuoteItemModel, and UserDefinedFieldDefinitionModel.
import { z } from 'zod';
import { bool, dateTime, entityBase, int, num, str, udfs } from './common';

export const opportunitySchema = z.looseObject({
  ...entityBase,
  title: str(),
  companyID: int(),
  contactID: int(),
  ownerResourceID: int(),
  amount: num(),
  cost: num(),
  probability: int(),
  projectedCloseDate: dateTime(),
  stage: int(),
  status: int(),
  useQuoteTotals: bool(),
  userDefinedFields: udfs(),
});
export type Opportunity = z.infer<typeof opportunitySchema>;

export const quoteSchema = z.looseObject({
  ...entityBase,
  name: str(),
  opportunityID: int(),
  companyID: int(),
  contactID: int(),
  quoteNumber: int(),
  effectiveDate: dateTime(),
  expirationDate: dateTime(),
  billToLocationID: int(),
  shipToLocationID: int(),
  soldToLocationID: int(),
  isActive: bool(),
  primaryQuote: bool(),
});
export type Quote = z.infer<typeof quoteSchema>;

export const quoteItemSchema = z.looseObject({
  ...entityBase,
  quoteID: int(),
  quoteItemType: int(),
  productID: int(),
  serviceID: int(),
  name: str(),
  description: str(),
  quantity: num(),
  unitPrice: num(),
  unitCost: num(),
  unitDiscount: num(),
  lineDiscount: num(),
  percentageDiscount: num(),
  periodType: int(),
  isOptional: bool(),
  isTaxable: bool(),
});
export type QuoteItem = z.infer<typeof quoteItemSchema>;

export const udfDefinitionSchema = z.looseObject({
  ...entityBase,
  name: str(),
  description: str(),
  udfType: int(),
  dataType: int(),
  displayFormat: int(),
  isActive: bool(),
  isRequired: bool(),
  isProtected: bool(),
  isPrivate: bool(),
  isEncrypted: bool(),
  isFieldMapping: bool(),
  isVisibleToClientPortal: bool(),
  sortOrder: int(),
  numberOfDecimalPlaces: int(),
  defaultValue: z.unknown().optional(),
  createDate: dateTime(),
});
export type UdfDefinition = z.infer<typeof udfDefinitionSchema>;
