// Customers and people: CompanyModel, ContactModel, ResourceModel.
import { z } from 'zod';
import { bool, dateTime, entityBase, int, str, udfs } from './common';

export const companySchema = z.looseObject({
  ...entityBase,
  companyName: str(),
  companyNumber: str(),
  companyType: int(),
  phone: str(),
  ownerResourceID: int(),
  isActive: bool(),
  address1: str(),
  address2: str(),
  city: str(),
  state: str(),
  postalCode: str(),
  countryID: int(),
  webAddress: str(),
  parentCompanyID: int(),
  taxID: str(),
  lastActivityDate: dateTime(),
  lastTrackedModifiedDateTime: dateTime(),
  userDefinedFields: udfs(),
});
export type Company = z.infer<typeof companySchema>;

export const contactSchema = z.looseObject({
  ...entityBase,
  companyID: int(),
  firstName: str(),
  lastName: str(),
  emailAddress: str(),
  emailAddress2: str(),
  emailAddress3: str(),
  phone: str(),
  /** An int (1/0), not a boolean. */
  isActive: int(),
  primaryContact: bool(),
  lastModifiedDate: dateTime(),
  userDefinedFields: udfs(),
});
export type Contact = z.infer<typeof contactSchema>;

export const resourceSchema = z.looseObject({
  ...entityBase,
  userName: str(),
  email: str(),
  email2: str(),
  email3: str(),
  firstName: str(),
  lastName: str(),
  isActive: bool(),
  resourceType: str(),
  licenseType: int(),
});
export type Resource = z.infer<typeof resourceSchema>;
