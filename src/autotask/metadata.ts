// Entity metadata read at runtime (the spec has no required lists or picklists): fields, UDFs and
// access, cached per client. `checkWrite` uses it so a bad write fails here, with the field named,
// before any request is sent.
import { AutotaskError } from './errors';
import {
  entityInformationResultSchema,
  fieldsResultSchema,
  type EntityInformation,
  type FieldInformation,
} from './schemas/common';
import type { Transport } from './transport';

export type WriteMode = 'create' | 'update' | 'replace';

interface Entry<T> { at: number; value: Promise<T> }

export class MetadataCache {
  private readonly fieldsCache = new Map<string, Entry<FieldInformation[]>>();
  private readonly udfCache = new Map<string, Entry<FieldInformation[]>>();
  private readonly infoCache = new Map<string, Entry<EntityInformation>>();

  constructor(private readonly transport: Transport, private readonly ttlMs = 15 * 60_000) {}

  fields(entity: string): Promise<FieldInformation[]> {
    return this.cached(this.fieldsCache, entity, async () =>
      (await this.transport.request({ method: 'GET', path: `${entity}/entityInformation/fields`, endpoint: entity, idempotent: true }, fieldsResultSchema)).fields);
  }

  userDefinedFields(entity: string): Promise<FieldInformation[]> {
    return this.cached(this.udfCache, entity, async () =>
      (await this.transport.request({ method: 'GET', path: `${entity}/entityInformation/userDefinedFields`, endpoint: entity, idempotent: true }, fieldsResultSchema)).fields);
  }

  info(entity: string): Promise<EntityInformation> {
    return this.cached(this.infoCache, entity, async () =>
      (await this.transport.request({ method: 'GET', path: `${entity}/entityInformation`, endpoint: entity, idempotent: true }, entityInformationResultSchema)).info);
  }

  /** One field's information by name (case-insensitive), e.g. `field('PurchaseOrders', 'status')` for its picklist. */
  async field(entity: string, name: string): Promise<FieldInformation | undefined> {
    return (await this.fields(entity)).find((x) => x.name.toLowerCase() === name.toLowerCase());
  }

  /** Picklist value for a label (case-insensitive), e.g. `picklistValue('PurchaseOrders', 'status', 'Submitted')`. */
  async picklistValue(entity: string, field: string, label: string): Promise<string | undefined> {
    const info = await this.field(entity, field);
    return info?.picklistValues?.find((v) => v.label?.toLowerCase() === label.toLowerCase())?.value;
  }

  /** Forget an entity's metadata (after adding a UDF, say). */
  invalidate(entity?: string): void {
    for (const map of [this.fieldsCache, this.udfCache, this.infoCache]) {
      if (entity) map.delete(entity.toLowerCase());
      else map.clear();
    }
  }

  /**
   * Throws a `validation` AutotaskError naming the first bad field: unknown, read-only, required
   * but missing (create/replace), too long, or not a picklist value; UDFs likewise.
   */
  async checkWrite(entity: string, mode: WriteMode, body: Record<string, unknown>): Promise<void> {
    const [fields, udfs] = await Promise.all([this.fields(entity), this.hasUdfs(body) ? this.userDefinedFields(entity) : Promise.resolve([])]);
    const index = fieldIndex(fields);
    const fail = (field: string, why: string): never => {
      throw new AutotaskError('validation', `Autotask ${entity}.${field}: ${why} (checked before sending)`, { operation: `${mode === 'create' ? 'POST' : mode === 'update' ? 'PATCH' : 'PUT'} ${entity}`, field });
    };
    if (mode !== 'create' && (typeof body.id !== 'number' || !Number.isInteger(body.id))) fail('id', `required to ${mode === 'update' ? 'PATCH' : 'PUT'}`);
    for (const name in body) {
      if (name === 'userDefinedFields' || name === 'id') continue;
      const field = index.byName.get(name.toLowerCase());
      if (!field) return fail(name, 'no such field');
      const value = body[name];
      checkValue(field, field.info.name, value, fail);
      if (field.info.isReadOnly && value !== undefined) fail(field.info.name, 'is read-only');
      if (field.info.isRequired && value === null) fail(field.info.name, 'is required and cannot be null');
    }
    if (mode !== 'update') {
      for (const info of index.required) {
        if (body[info.name] === undefined || body[info.name] === null) fail(info.name, `is required on ${mode === 'create' ? 'create' : 'PUT'}`);
      }
    }
    if (this.hasUdfs(body)) {
      const udfIndex = fieldIndex(udfs);
      for (const udf of body.userDefinedFields as Array<{ name: string; value: unknown }>) {
        const field = udfIndex.byName.get(String(udf.name).toLowerCase());
        if (!field) return fail(`userDefinedFields.${udf.name}`, 'no such user-defined field');
        checkValue(field, `userDefinedFields.${field.info.name}`, udf.value, fail);
      }
    }
  }

  private hasUdfs(body: Record<string, unknown>): boolean {
    return Array.isArray(body.userDefinedFields) && body.userDefinedFields.length > 0;
  }

  private cached<T>(map: Map<string, Entry<T>>, entity: string, load: () => Promise<T>): Promise<T> {
    const key = entity.toLowerCase();
    const hit = map.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    map.set(key, { at: Date.now(), value });
    value.catch(() => map.delete(key));
    return value;
  }
}

/** A field as checks need it: its value kind and its active picklist values, worked out once. */
interface CheckedField {
  info: FieldInformation;
  kind: 'integer' | 'number' | 'boolean' | 'other';
  picklist?: Set<string>;
}

interface FieldIndex {
  byName: Map<string, CheckedField>;
  /** Required on create and PUT (writable ones but `id`). */
  required: FieldInformation[];
}

/** Per cached field list (its array is kept until the metadata expires): every write of an entity checks against it. */
const fieldIndexes = new WeakMap<FieldInformation[], FieldIndex>();

function fieldIndex(fields: FieldInformation[]): FieldIndex {
  let index = fieldIndexes.get(fields);
  if (index) return index;
  index = { byName: new Map(), required: fields.filter((f) => f.isRequired && !f.isReadOnly && f.name !== 'id') };
  for (const info of fields) {
    const type = (info.dataType ?? info.type ?? '').toLowerCase();
    const kind = /^(integer|long|short|int)/.test(type) ? 'integer' : /^(double|decimal|float)/.test(type) ? 'number' : type === 'boolean' ? 'boolean' : 'other';
    const picklist = info.isPickList && info.picklistValues?.length ? new Set(info.picklistValues.filter((p) => p.isActive !== false).map((p) => p.value)) : undefined;
    index.byName.set(info.name.toLowerCase(), { info, kind, picklist });
  }
  fieldIndexes.set(fields, index);
  return index;
}

function checkValue({ info, kind, picklist }: CheckedField, name: string, value: unknown, fail: (field: string, why: string) => never): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' && info.length && value.length > info.length) fail(name, `longer than ${info.length} characters`);
  if (kind === 'integer' && !(typeof value === 'number' && Number.isInteger(value)) && !(info.isPickList && typeof value === 'string')) fail(name, 'must be an integer');
  if (kind === 'number' && typeof value !== 'number') fail(name, 'must be a number');
  if (kind === 'boolean' && typeof value !== 'boolean') fail(name, 'must be true or false');
  if (picklist && !picklist.has(String(value))) fail(name, `${JSON.stringify(value)} is not one of its picklist values`);
}
