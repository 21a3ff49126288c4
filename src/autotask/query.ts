// Builder for Autotask's query grammar: leaf conditions, and/or groups, UDF conditions.
// Top-level filters are ANDed by Autotask; a query must have at least one.
export type FilterValue = string | number | boolean | string[] | number[];

export type ComparisonOp = 'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte' | 'beginsWith' | 'endsWith' | 'contains';
export type FilterOp = ComparisonOp | 'exist' | 'notExist' | 'in' | 'notIn' | 'and' | 'or';

export interface Filter {
  op: FilterOp;
  field?: string;
  value?: FilterValue;
  udf?: boolean;
  items?: Filter[];
}

export interface QueryModel {
  filter: Filter[];
  includeFields?: string[];
  maxRecords?: number;
}

const leaf = (op: ComparisonOp) => (field: string, value: string | number | boolean): Filter => ({ op, field, value });

/** `f.eq('sku', 'X')`, `f.or(f.eq(...), f.and(...))`, `f.udf.eq('Source', 'td-synnex')`. */
export const f = {
  eq: leaf('eq'),
  noteq: leaf('noteq'),
  gt: leaf('gt'),
  gte: leaf('gte'),
  lt: leaf('lt'),
  lte: leaf('lte'),
  beginsWith: leaf('beginsWith'),
  endsWith: leaf('endsWith'),
  contains: leaf('contains'),
  exist: (field: string): Filter => ({ op: 'exist', field }),
  notExist: (field: string): Filter => ({ op: 'notExist', field }),
  in: (field: string, values: string[] | number[]): Filter => ({ op: 'in', field, value: values }),
  notIn: (field: string, values: string[] | number[]): Filter => ({ op: 'notIn', field, value: values }),
  and: (...items: Filter[]): Filter => ({ op: 'and', items }),
  or: (...items: Filter[]): Filter => ({ op: 'or', items }),
  /** The usual "every record" filter. */
  all: (): Filter => ({ op: 'gte', field: 'id', value: 0 }),
  /** Conditions on a user-defined field (Autotask allows one per query). */
  udf: {
    eq: (name: string, value: string | number): Filter => ({ op: 'eq', field: name, value, udf: true }),
    noteq: (name: string, value: string | number): Filter => ({ op: 'noteq', field: name, value, udf: true }),
    contains: (name: string, value: string): Filter => ({ op: 'contains', field: name, value, udf: true }),
    beginsWith: (name: string, value: string): Filter => ({ op: 'beginsWith', field: name, value, udf: true }),
    exist: (name: string): Filter => ({ op: 'exist', field: name, udf: true }),
    notExist: (name: string): Filter => ({ op: 'notExist', field: name, udf: true }),
    in: (name: string, values: string[]): Filter => ({ op: 'in', field: name, value: values, udf: true }),
  },
};

/** Counts UDF conditions anywhere in the tree (Autotask rejects more than one). */
export function countUdfFilters(filters: Filter[]): number {
  let n = 0;
  for (const item of filters) n += (item.udf ? 1 : 0) + countUdfFilters(item.items ?? []);
  return n;
}

export const MAX_PAGE_SIZE = 500;

export function queryModel(filter: Filter | Filter[] | undefined, options: { includeFields?: string[]; maxRecords?: number } = {}): QueryModel {
  const list = filter === undefined ? [f.all()] : Array.isArray(filter) ? filter : [filter];
  const model: QueryModel = { filter: list.length ? list : [f.all()] };
  // Autotask requires id among includeFields once results span pages [D:REST_Advanced_Query_Features.htm].
  if (options.includeFields?.length) model.includeFields = options.includeFields.some((x) => x.toLowerCase() === 'id') ? options.includeFields : ['id', ...options.includeFields];
  if (options.maxRecords !== undefined) model.maxRecords = options.maxRecords;
  return model;
}
