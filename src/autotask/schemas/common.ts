// Shapes shared by every Autotask entity and the metadata endpoints (spec definitions named in comments).
import { z } from 'zod';

// Swagger 2.0 says nothing about null, but Autotask returns null for every empty field.
export const int = () => z.number().int().nullish();
export const num = () => z.number().nullish();
export const str = () => z.string().nullish();
export const bool = () => z.boolean().nullish();
/** Autotask date-times come back without an offset and are UTC. */
export const dateTime = () => z.string().nullish();

/** `UserDefinedField` */
export const userDefinedFieldSchema = z.object({ name: z.string(), value: z.string().nullish() });
export type UserDefinedField = z.infer<typeof userDefinedFieldSchema>;
export const udfs = () => z.array(userDefinedFieldSchema).nullish();

/** Every entity: an int64 id plus anything else (passthrough). */
export const entityBase = { id: z.number().int() };

/** `PagingModel` */
export const pageDetailsSchema = z.object({
  count: z.number().int(),
  requestCount: z.number().int().nullish(),
  prevPageUrl: z.string().nullish(),
  nextPageUrl: z.string().nullish(),
});
export type PageDetails = z.infer<typeof pageDetailsSchema>;

/** `QueryActionResult[XModel,X]` */
export const queryResultSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), pageDetails: pageDetailsSchema });
/** `ItemQueryResultModel[XModel,X]` */
export const itemResultSchema = <T extends z.ZodType>(item: T) => z.object({ item: item.nullable() });
/** `OperationResultModel` */
export const operationResultSchema = z.object({ itemId: z.number().int() });
/** `QueryCountResultModel` */
export const countResultSchema = z.object({ queryCount: z.number().int() });

/** `ZoneInformationResultModel` */
export const zoneInformationSchema = z.object({
  zoneName: z.string().nullish(),
  url: z.string(),
  webUrl: z.string().nullish(),
  ci: z.number().int().nullish(),
});
export type ZoneInformation = z.infer<typeof zoneInformationSchema>;

/** `ThresholdStatusResultModel` */
export const thresholdInformationSchema = z.object({
  externalRequestThreshold: z.number().int(),
  requestThresholdTimeframe: z.number().int().nullish(),
  currentTimeframeRequestCount: z.number().int(),
});
export type ThresholdInformation = z.infer<typeof thresholdInformationSchema>;

/** `PickListValue` */
export const picklistValueSchema = z.object({
  value: z.string(),
  label: z.string().nullish(),
  isDefaultValue: bool(),
  sortOrder: int(),
  parentValue: str(),
  isActive: bool(),
  isSystem: bool(),
});
export type PicklistValue = z.infer<typeof picklistValueSchema>;

/** `FieldInformationModel` (entityInformation/fields) and `Field` (…/userDefinedFields). */
export const fieldInformationSchema = z.looseObject({
  name: z.string(),
  dataType: str(),
  type: str(),
  label: str(),
  length: int(),
  isRequired: bool(),
  isReadOnly: bool(),
  isQueryable: bool(),
  isReference: bool(),
  referenceEntityType: str(),
  isPickList: bool(),
  picklistValues: z.array(picklistValueSchema).nullish(),
  picklistParentValueField: str(),
  defaultValue: str(),
});
export type FieldInformation = z.infer<typeof fieldInformationSchema>;
export const fieldsResultSchema = z.object({ fields: z.array(fieldInformationSchema) });

/** `EntityInformationModel` */
export const entityInformationSchema = z.looseObject({
  name: z.string(),
  canCreate: z.boolean(),
  canDelete: z.boolean(),
  canQuery: z.boolean(),
  canUpdate: z.boolean(),
  userAccessForCreate: z.unknown().optional(),
  userAccessForDelete: z.unknown().optional(),
  userAccessForQuery: z.unknown().optional(),
  userAccessForUpdate: z.unknown().optional(),
  hasUserDefinedFields: bool(),
  supportsWebhookCallouts: bool(),
});
export type EntityInformation = z.infer<typeof entityInformationSchema>;
export const entityInformationResultSchema = z.object({ info: entityInformationSchema });
