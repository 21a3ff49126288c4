// UserDefinedFieldDefinitions: creating one adds a UDF to its entity at runtime
// [D:REST/Entities/UserDefinedFieldDefinitionsEntity.htm].
import type { EntityConfig } from '../entities';
import { reject } from '../respond';
import type { SimRuleModule } from './index';

/** Picklist labels of UserDefinedFieldDefinitions.udfType, and the entity each one extends. */
export const UDF_TYPES: Array<[number, string, string]> = [
  [1, 'Company', 'Companies'], [2, 'Configuration Item', 'ConfigurationItems'], [3, 'Contact', 'Contacts'], [4, 'Contract', 'Contracts'],
  [5, 'Opportunity', 'Opportunities'], [6, 'Product', 'Products'], [7, 'Project', 'Projects'], [8, 'Service', 'Services'], [9, 'Ticket', 'Tickets'],
];
export const UDF_DATA_TYPES: Array<[number, string]> = [[1, 'String'], [2, 'Number'], [3, 'Date'], [4, 'List']];

const definitions: EntityConfig = {
  model: 'UserDefinedFieldDefinitionModel',
  required: ['name', 'udfType', 'dataType'],
  readOnly: ['crmToProjectUdfId'],
  lengths: { name: 45, description: 128, mergeVariableName: 100 },
  picklists: { udfType: UDF_TYPES.map(([v, label]) => [v, label]), dataType: UDF_DATA_TYPES, displayFormat: [[1, 'Default'], [2, 'Currency'], [3, 'Percentage']] },
  defaults: { isActive: true, isRequired: false, isProtected: false, isPrivate: false, isEncrypted: false, isFieldMapping: false, isVisibleToClientPortal: false },
};

export const udfs: SimRuleModule = {
  name: 'udfs',
  entities: ['UserDefinedFieldDefinitions'],
  define: { UserDefinedFieldDefinitions: definitions },
  beforeCreate(ctx, _entity, values) {
    const target = UDF_TYPES.find(([v]) => v === values.udfType)?.[2];
    if (!target || !ctx.entity(target)?.hasUdfs) throw reject(`User-defined fields of type ${String(values.udfType)} are not supported.`);
    if (ctx.store.udfDefinitions(target).some((d) => d.name.toLowerCase() === String(values.name).toLowerCase())) {
      throw reject(`A user-defined field named ${String(values.name)} already exists.`);
    }
  },
  afterCreate(ctx, _entity, row) {
    const target = UDF_TYPES.find(([v]) => v === row.udfType)![2];
    ctx.store.addUdf({ id: row.id, entity: target, name: String(row.name), dataType: Number(row.dataType), isRequired: !!row.isRequired, isActive: row.isActive !== false, description: (row.description as string) ?? null });
  },
};
