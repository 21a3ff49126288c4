// Autotask's query grammar, evaluated against the store: leaf operators, and/or groups, one UDF
// condition per query, `maxRecords` 1..500, `includeFields`, results in ascending id order.
import { simDateTime } from './dates';
import type { SimEntity } from './entities';
import { collate, type EntityTable, type SimRecord, type SimStore } from './store';

export class QueryError extends Error {}

interface FilterNode { op?: unknown; field?: unknown; value?: unknown; udf?: unknown; items?: unknown }

type Predicate = (row: SimRecord) => boolean;

const LEAF_OPS = new Set(['eq', 'noteq', 'gt', 'gte', 'lt', 'lte', 'beginswith', 'endswith', 'contains', 'exist', 'notexist', 'in', 'notin']);

export interface CompiledQuery {
  predicate: Predicate;
  /** Rows can only match from this index of `table.ids` on (a top-level `id gt/gte`). */
  startIndex: number;
  /** Ascending ids that can match (a top-level eq/in on an indexed field); absent: every id from startIndex. */
  candidates?: number[];
  maxRecords: number;
  project: (row: Record<string, unknown>) => Record<string, unknown>;
}

const MODEL_KEYS = ['filter', 'includeFields', 'maxRecords'];
const NODE_KEYS = ['op', 'field', 'value', 'udf', 'items'];

/**
 * The query model with its keys in canonical case: Autotask binds JSON case-insensitively
 * (`Filter`, `IncludeFields`, `MaxRecords`, and `Op`, `Field`, `Value`, `Items`, `UDF` in filters).
 */
export function normalizeQuery(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const model = canonical(body as Record<string, unknown>, MODEL_KEYS);
  if (Array.isArray(model.filter)) model.filter = model.filter.map(normalizeNode);
  return model;
}

function normalizeNode(node: unknown): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const n = canonical(node as Record<string, unknown>, NODE_KEYS);
  if (Array.isArray(n.items)) n.items = n.items.map(normalizeNode);
  return n;
}

function canonical(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[keys.find((c) => c.toLowerCase() === k.toLowerCase()) ?? k] = v;
  return out;
}

export function compileQuery(store: SimStore, table: EntityTable, body: unknown, options: { afterId?: number } = {}): CompiledQuery {
  const entity = table.entity;
  const model = normalizeQuery(body) as { filter?: unknown; includeFields?: unknown; maxRecords?: unknown };
  const filters = model.filter as FilterNode[] | undefined;
  if (!Array.isArray(filters) || filters.length === 0) throw new QueryError('A query must contain at least one filter.');
  const udfCount = countUdf(filters);
  if (udfCount > 1) throw new QueryError('Only one user-defined field may be used in a query.');
  let maxRecords = 500;
  if (model.maxRecords !== undefined && model.maxRecords !== null) {
    const n = Number(model.maxRecords);
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new QueryError('MaxRecords must be between 1 and 500.');
    maxRecords = n;
  }
  const parts = filters.map((f) => compileNode(store, entity, f));
  let startIndex = 0;
  for (const f of filters) {
    if (String(f.field ?? '').toLowerCase() === 'id' && !f.udf && typeof f.value === 'number') {
      const op = String(f.op).toLowerCase();
      if (op === 'gt' || op === 'gte') startIndex = Math.max(startIndex, table.startIndex(f.value, op === 'gte'));
    }
  }
  if (options.afterId !== undefined) {
    startIndex = Math.max(startIndex, table.startIndex(options.afterId, false));
    const after = options.afterId;
    parts.push((r) => r.id > after);
  }
  return { predicate: (row) => parts.every((p) => p(row)), startIndex, candidates: indexedCandidates(store, table, filters), maxRecords, project: projector(entity, model.includeFields) };
}

/** Candidate ids from the first top-level eq/in filter on an indexed field (the predicate still decides). */
function indexedCandidates(store: SimStore, table: EntityTable, filters: FilterNode[]): number[] | undefined {
  for (const f of filters) {
    const op = String(f.op ?? '').toLowerCase();
    if (f.udf === true || typeof f.field !== 'string' || (op !== 'eq' && op !== 'in')) continue;
    const field = table.entity.byLowerName.get(f.field.toLowerCase())?.name;
    if (!field || !table.isIndexed(field)) continue;
    const type = fieldGetter(store, table.entity, field, false).type;
    const values = op === 'in' ? (f.value as unknown[]) : [f.value];
    return table.candidates(field, values.map((v) => coerce(v, type, field)));
  }
  return undefined;
}

/** The rows a query looks at, ascending id from its start: its candidates, or every row. */
function* scan(table: EntityTable, q: CompiledQuery): Generator<SimRecord> {
  const ids = table.ids;
  if (!q.candidates) {
    for (let i = q.startIndex; i < ids.length; i++) yield table.rows.get(ids[i])!;
    return;
  }
  if (q.startIndex >= ids.length) return;
  const from = ids[q.startIndex];
  for (const id of q.candidates) {
    const row = id >= from ? table.rows.get(id) : undefined;
    if (row) yield row;
  }
}

/** Runs a query: one page in id order, and whether more rows match after it. */
export function runQuery(table: EntityTable, q: CompiledQuery): { rows: SimRecord[]; more: boolean } {
  const rows: SimRecord[] = [];
  for (const row of scan(table, q)) {
    if (!q.predicate(row)) continue;
    if (rows.length === q.maxRecords) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}

/** The page that ends just before `beforeId` (a prevPageUrl), and whether rows match before/after it. */
export function runQueryBefore(table: EntityTable, q: CompiledQuery, beforeId: number): { rows: SimRecord[]; more: boolean; earlier: boolean } {
  const rows: SimRecord[] = [];
  const ids = table.ids;
  let earlier = false;
  for (let i = table.startIndex(beforeId, true) - 1; i >= q.startIndex; i--) {
    const row = table.rows.get(ids[i])!;
    if (!q.predicate(row)) continue;
    if (rows.length === q.maxRecords) { earlier = true; break; }
    rows.push(row);
  }
  rows.reverse();
  let more = false;
  for (let i = table.startIndex(beforeId, true); i < ids.length && !more; i++) more = q.predicate(table.rows.get(ids[i])!);
  return { rows, more, earlier };
}

export function countQuery(table: EntityTable, q: CompiledQuery): number {
  let n = 0;
  for (const row of scan(table, q)) if (q.predicate(row)) n++;
  return n;
}

function countUdf(filters: FilterNode[]): number {
  let n = 0;
  for (const f of filters) n += (f.udf === true ? 1 : 0) + (Array.isArray(f.items) ? countUdf(f.items as FilterNode[]) : 0);
  return n;
}

function compileNode(store: SimStore, entity: SimEntity, node: FilterNode): Predicate {
  if (!node || typeof node !== 'object') throw new QueryError('Invalid filter.');
  const op = String(node.op ?? '').toLowerCase();
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(node.items) || node.items.length === 0) throw new QueryError(`The '${node.op}' operator requires items.`);
    const parts = (node.items as FilterNode[]).map((n) => compileNode(store, entity, n));
    return op === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (!LEAF_OPS.has(op)) throw new QueryError(`Invalid operator '${String(node.op)}'.`);
  if (typeof node.field !== 'string' || !node.field) throw new QueryError(`The '${String(node.op)}' operator requires a field.`);
  const getter = fieldGetter(store, entity, node.field, node.udf === true);
  const type = getter.type;
  if (op === 'exist') return (r) => !isEmpty(getter.get(r));
  if (op === 'notexist') return (r) => isEmpty(getter.get(r));
  if (node.value === undefined || node.value === null) throw new QueryError(`A value is required for the '${String(node.op)}' operator on ${node.field}.`);
  if (op === 'in' || op === 'notin') {
    if (!Array.isArray(node.value)) throw new QueryError(`The '${String(node.op)}' operator requires an array value.`);
    if (node.value.length > 500) throw new QueryError('A maximum of 500 values is allowed for in/notIn.');
    const set = new Set(node.value.map((v) => collate(coerce(v, type, node.field as string))));
    return op === 'in' ? (r) => set.has(collate(getter.get(r))) : (r) => !set.has(collate(getter.get(r)));
  }
  if (Array.isArray(node.value)) throw new QueryError(`The '${String(node.op)}' operator does not accept an array.`);
  const value = coerce(node.value, type, node.field);
  switch (op) {
    case 'eq': return (r) => collate(getter.get(r)) === collate(value);
    case 'noteq': return (r) => collate(getter.get(r)) !== collate(value);
    case 'gt': return (r) => cmp(getter.get(r), value) > 0;
    case 'gte': return (r) => cmp(getter.get(r), value) >= 0;
    case 'lt': return (r) => cmp(getter.get(r), value) < 0;
    case 'lte': return (r) => cmp(getter.get(r), value) <= 0;
    case 'beginswith': { const v = String(value).toLowerCase(); return (r) => str(getter.get(r))?.startsWith(v) ?? false; }
    case 'endswith': { const v = String(value).toLowerCase(); return (r) => str(getter.get(r))?.endsWith(v) ?? false; }
    default: { const v = String(value).toLowerCase(); return (r) => str(getter.get(r))?.includes(v) ?? false; }
  }
}

function fieldGetter(store: SimStore, entity: SimEntity, name: string, udf: boolean): { type: string; get: (r: SimRecord) => unknown } {
  if (udf) {
    const def = store.udfDefinitions(entity.name).find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (!def) throw new QueryError(`Unable to find user-defined field '${name}' in the ${entity.name} entity.`);
    // Number UDFs compare as numbers (values travel as strings); Date UDFs as Autotask date-times.
    if (def.dataType === 2) {
      return { type: 'double', get: (r) => { const v = store.udfValue(entity.name, r.id, def.name); return v === null || v === '' ? null : Number(v); } };
    }
    return { type: def.dataType === 3 ? 'datetime' : 'string', get: (r) => store.udfValue(entity.name, r.id, def.name) };
  }
  const field = entity.byLowerName.get(name.toLowerCase());
  if (!field) throw new QueryError(`Unable to find ${name} in the ${entity.name} entity.`);
  const key = field.name;
  return { type: field.dataType, get: (r) => r[key] };
}

function coerce(value: unknown, type: string, field: string): unknown {
  if (type === 'boolean') {
    if (value === true || value === false) return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new QueryError(`Boolean values for ${field} must be true or false.`);
  }
  if (type === 'integer' || type === 'long' || type === 'double') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new QueryError(`Value '${String(value)}' is not valid for ${field}.`);
    return n;
  }
  if (type === 'datetime') {
    const stored = simDateTime(String(value));
    if (!stored) throw new QueryError(`Value '${String(value)}' is not a valid date for ${field}.`);
    return stored;
  }
  return typeof value === 'string' ? value : String(value);
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function str(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v).toLowerCase();
}

function cmp(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return Number.NaN;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function projector(entity: SimEntity, include: unknown): (row: Record<string, unknown>) => Record<string, unknown> {
  if (!Array.isArray(include) || include.length === 0) return (row) => row;
  const names = include.map((n) => {
    const lower = String(n).toLowerCase();
    if (lower === 'userdefinedfields') return 'userDefinedFields';
    const field = entity.byLowerName.get(lower);
    if (!field) throw new QueryError(`Unable to find ${String(n)} in the ${entity.name} entity.`);
    return field.name;
  });
  // Records of an entity with UDFs carry userDefinedFields even when not asked for (apigrate/
  // autotask-restapi README: an includeFields result still has "userDefinedFields": []).
  if (entity.hasUdfs && !names.includes('userDefinedFields')) names.push('userDefinedFields');
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const n of names) if (n in row) out[n] = row[n];
    return out;
  };
}
