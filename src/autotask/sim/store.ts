// The simulated Autotask database. Each entity is a Map by id plus an ascending id array, so an
// id walk (`id > lastId`) starts with a binary search and reads only the page it returns, even
// with 100k+ records.
import { simDateTime } from './dates';
import { simEntities, type SimEntity } from './entities';

export type SimRecord = Record<string, unknown> & { id: number };

export interface SimUdfDefinition {
  id: number;
  entity: string;
  name: string;
  dataType: number;
  length: number;
  isRequired: boolean;
  isActive: boolean;
  description: string | null;
  picklist?: string[];
}

/**
 * Fields the simulator looks records up by on every write or query (a product's vendor rows on each
 * vendor write, products by SKU or MPN per catalog page): indexed, so a 100k-product sandbox answers
 * these in O(1) as Autotask's database does, not by scanning every row. Only `insert` and the update
 * path write these fields (no rule sets them), and every index hit is re-checked against the row.
 */
const INDEXED: Record<string, string[]> = {
  products: ['sku', 'vendorProductNumber', 'manufacturerProductName'],
  productvendors: ['productID'],
  inventoryitems: ['productID'],
  purchaseorderitems: ['orderID'],
};

/** SQL Server collation: strings compare case-insensitively (index keys and query comparisons alike). */
export const collate = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

export class EntityTable {
  readonly rows = new Map<number, SimRecord>();
  /** Ascending ids. */
  readonly ids: number[] = [];
  /** UDF values per record id. */
  readonly udfValues = new Map<number, Map<string, string | null>>();
  private nextId = 1;
  /** field → case-folded value → ids that had it (candidates: a row may have changed since). */
  private readonly indexes = new Map<string, Map<unknown, number[]>>();

  constructor(readonly entity: SimEntity) {
    for (const field of INDEXED[entity.name.toLowerCase()] ?? []) this.indexes.set(field, new Map());
  }

  isIndexed(field: string): boolean {
    return this.indexes.has(field);
  }

  /** Ids that may have one of these values in an indexed field, ascending (re-check each row). */
  candidates(field: string, values: unknown[]): number[] {
    const index = this.indexes.get(field)!;
    const ids = new Set<number>();
    for (const v of values) for (const id of index.get(collate(v)) ?? []) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** Rows whose indexed `field` equals `value` now, ascending id. */
  withValue(field: string, value: unknown): SimRecord[] {
    const out: SimRecord[] = [];
    for (const id of this.candidates(field, [value])) {
      const row = this.rows.get(id);
      if (row && collate(row[field]) === collate(value)) out.push(row);
    }
    return out;
  }

  /** Files a row under its indexed fields' current values (after insert or update). */
  reindex(row: SimRecord): void {
    for (const [field, index] of this.indexes) {
      const key = collate(row[field]);
      if (key === null || key === undefined) continue;
      const ids = index.get(key);
      if (!ids) index.set(key, [row.id]);
      else if (!ids.includes(row.id)) ids.push(row.id);
    }
  }

  insert(record: Omit<SimRecord, 'id'> & { id?: number }): SimRecord {
    const id = record.id ?? this.nextId;
    if (this.rows.has(id)) throw new Error(`${this.entity.name} ${id} exists`);
    this.nextId = Math.max(this.nextId, id + 1);
    const row = { ...record, id } as SimRecord;
    this.rows.set(id, row);
    this.reindex(row);
    if (!this.ids.length || id > this.ids[this.ids.length - 1]) this.ids.push(id);
    else this.ids.splice(lowerBound(this.ids, id), 0, id);
    return row;
  }

  /** Index of the first id greater than `id` (or >= when `inclusive`). */
  startIndex(id: number, inclusive: boolean): number {
    const i = lowerBound(this.ids, inclusive ? id : Math.floor(id) + 1);
    return i;
  }

  clear(): void {
    this.rows.clear();
    this.ids.length = 0;
    this.udfValues.clear();
    for (const index of this.indexes.values()) index.clear();
    this.nextId = 1;
  }
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SimStore {
  private readonly tables = new Map<string, EntityTable>();
  private readonly udfs = new Map<string, SimUdfDefinition[]>();
  private udfSeq = 1;

  table(entity: string): EntityTable {
    const key = entity.toLowerCase();
    let t = this.tables.get(key);
    if (!t) {
      const def = simEntities().get(key);
      if (!def) throw new Error(`unknown entity ${entity}`);
      t = new EntityTable(def);
      this.tables.set(key, t);
    }
    return t;
  }

  get(entity: string, id: number): SimRecord | undefined {
    return this.table(entity).rows.get(id);
  }

  /** Inserts a record with every model field present (null when not given), as Autotask returns them. */
  insertFull(entity: string, values: Record<string, unknown>): SimRecord {
    const t = this.table(entity);
    const row: Record<string, unknown> = {};
    for (const field of t.entity.fields) {
      let v = values[field.name] ?? t.entity.defaults[field.name] ?? null;
      if (field.dataType === 'datetime' && typeof v === 'string') v = simDateTime(v) ?? v;
      row[field.name] = v;
    }
    if (typeof values.id === 'number') row.id = values.id;
    else delete row.id;
    const inserted = t.insert(row as SimRecord);
    const udfs = values.userDefinedFields;
    if (Array.isArray(udfs)) this.setUdfs(entity, inserted.id, udfs as Array<{ name: string; value: unknown }>);
    return inserted;
  }

  setUdfs(entity: string, id: number, values: Array<{ name: string; value: unknown }>): void {
    const t = this.table(entity);
    const defs = this.udfDefinitions(entity);
    let map = t.udfValues.get(id);
    if (!map) t.udfValues.set(id, (map = new Map()));
    for (const v of values) {
      const def = defs.find((d) => d.name.toLowerCase() === String(v.name).toLowerCase());
      map.set(def?.name ?? String(v.name), v.value === null || v.value === undefined ? null : String(v.value));
    }
  }

  udfValue(entity: string, id: number, name: string): string | null {
    return this.table(entity).udfValues.get(id)?.get(name) ?? null;
  }

  udfDefinitions(entity: string): SimUdfDefinition[] {
    return this.udfs.get(entity.toLowerCase()) ?? [];
  }

  addUdf(def: Omit<SimUdfDefinition, 'id' | 'length' | 'isRequired' | 'isActive' | 'description'> & Partial<SimUdfDefinition>): SimUdfDefinition {
    const list = this.udfs.get(def.entity.toLowerCase()) ?? [];
    if (list.some((d) => d.name.toLowerCase() === def.name.toLowerCase())) throw new Error(`A user-defined field named ${def.name} already exists for ${def.entity}.`);
    const full: SimUdfDefinition = { length: 255, isRequired: false, isActive: true, description: null, ...def, id: def.id ?? this.udfSeq++ };
    list.push(full);
    this.udfs.set(def.entity.toLowerCase(), list);
    return full;
  }

  /**
   * The record as the API shows it. An entity with UDFs always carries `userDefinedFields`: `[]`
   * when the record has no UDF values (apigrate/autotask-restapi README), else every UDF with its value.
   */
  view(entity: string, row: SimRecord): Record<string, unknown> {
    const t = this.table(entity);
    if (!t.entity.hasUdfs) return row;
    const values = t.udfValues.get(row.id);
    if (!values || ![...values.values()].some((v) => v !== null)) return { ...row, userDefinedFields: [] };
    return { ...row, userDefinedFields: this.udfDefinitions(entity).map((d) => ({ name: d.name, value: values.get(d.name) ?? null })) };
  }

  reset(): void {
    for (const t of this.tables.values()) t.clear();
    this.udfs.clear();
    this.udfSeq = 1;
  }
}
