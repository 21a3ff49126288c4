// Customers and people: CompanyModel, ContactModel, ResourceModel, and the Company webhook entities
// (CompanyWebhookModel, CompanyWebhookFieldModel, CompanyWebhookUdfFieldModel,
// CompanyWebhookExcludedResourceModel) plus the payload Autotask POSTs to a webhook URL.
import { z } from 'zod';
import { bool, dateTime, entityBase, int, str, udfs } from './common';

export const companySchema = z.looseObject({
  ...entityBase,
  companyName: str(),
  companyNumber: str(),
  companyType: int(),
  phone: str(),
  alternatePhone1: str(),
  alternatePhone2: str(),
  fax: str(),
  ownerResourceID: int(),
  isActive: bool(),
  address1: str(),
  address2: str(),
  additionalAddressInformation: str(),
  city: str(),
  state: str(),
  postalCode: str(),
  countryID: int(),
  billingAddress1: str(),
  billingAddress2: str(),
  billToAdditionalAddressInformation: str(),
  billToCity: str(),
  billToState: str(),
  billToZipCode: str(),
  billToCountryID: int(),
  billToAttention: str(),
  billToAddressToUse: int(),
  webAddress: str(),
  parentCompanyID: int(),
  companyCategoryID: int(),
  classification: int(),
  marketSegmentID: int(),
  territoryID: int(),
  /** Multi-currency databases: the customer's currency (contracts bill in it). */
  currencyID: int(),
  taxID: str(),
  isTaxExempt: bool(),
  createDate: dateTime(),
  createdByResourceID: int(),
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
  title: str(),
  namePrefix: int(),
  middleInitial: str(),
  nameSuffix: int(),
  phone: str(),
  extension: str(),
  alternatePhone: str(),
  mobilePhone: str(),
  faxNumber: str(),
  addressLine: str(),
  addressLine1: str(),
  additionalAddressInformation: str(),
  city: str(),
  state: str(),
  zipCode: str(),
  countryID: int(),
  companyLocationID: int(),
  facebookUrl: str(),
  linkedInUrl: str(),
  twitterUrl: str(),
  externalID: str(),
  /** An int (1/0), not a boolean. */
  isActive: int(),
  primaryContact: bool(),
  billingContact: bool(),
  receivesEmailNotifications: bool(),
  isOptedOutFromBulkEmail: bool(),
  note: str(),
  createDate: dateTime(),
  lastActivityDate: dateTime(),
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

/** `CompanyWebhookModel`: both URLs are required; `secretKey` (≤ 64) signs deliveries. */
export const companyWebhookSchema = z.looseObject({
  ...entityBase,
  name: str(),
  webhookUrl: str(),
  deactivationUrl: str(),
  secretKey: str(),
  isActive: bool(),
  /** Read-only: the webhook has at least one subscribed field. */
  isReady: bool(),
  isSubscribedToCreateEvents: bool(),
  isSubscribedToUpdateEvents: bool(),
  isSubscribedToDeleteEvents: bool(),
  notificationEmailAddress: str(),
  ownerResourceID: int(),
  sendThresholdExceededNotification: bool(),
  webhookGUID: str(),
});
export type CompanyWebhook = z.infer<typeof companyWebhookSchema>;

/** `CompanyWebhookFieldModel`: `fieldID` is a picklist (…/CompanyWebhookFields/entityInformation/fields). */
export const companyWebhookFieldSchema = z.looseObject({
  ...entityBase,
  webhookID: int(),
  fieldID: int(),
  isSubscribedField: bool(),
  isDisplayAlwaysField: bool(),
});
export type CompanyWebhookField = z.infer<typeof companyWebhookFieldSchema>;

export const companyWebhookUdfFieldSchema = z.looseObject({
  ...entityBase,
  webhookID: int(),
  udfFieldID: int(),
  isSubscribedField: bool(),
  isDisplayAlwaysField: bool(),
});
export type CompanyWebhookUdfField = z.infer<typeof companyWebhookUdfFieldSchema>;

/** Exclude our own API resource so our writes don't echo back. */
export const companyWebhookExcludedResourceSchema = z.looseObject({
  ...entityBase,
  webhookID: int(),
  resourceID: int(),
});
export type CompanyWebhookExcludedResource = z.infer<typeof companyWebhookExcludedResourceSchema>;

/**
 * What Autotask POSTs to a webhook URL (notes/autotask-api.md §9; n8n-nodes-autotask types/webhook.ts).
 * `Fields` holds the changed subscribed fields plus the display-always ones, by REST field name.
 */
export const webhookPayloadSchema = z.looseObject({
  Action: z.enum(['Create', 'Update', 'Delete', 'Deactivated']),
  Guid: z.string(),
  EntityType: z.string(),
  Id: z.number().int(),
  Fields: z.record(z.string(), z.unknown()).nullish(),
  EventTime: z.string(),
  SequenceNumber: z.number().int(),
  PersonID: z.number().int().nullish(),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
