// Validates HTTP requests and responses against a vendor's OpenAPI document (Swagger 2.0 or
// OpenAPI 3.x). The simulators check every exchange with it and the tests fail on a violation,
// so our clients and simulators are judged by the vendor's spec, not by each other.
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

type Json = Record<string, any>;

export interface HttpExchange {
  method: string;
  /** Path without the API's base path, e.g. `/V1.0/Products/query`. Query string allowed. */
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface ContractOptions {
  /**
   * Swagger 2.0 has no `nullable`. Autotask returns `null` for empty fields although its document
   * types them as plain strings/numbers, so for such specs every schema may also be null.
   */
  nullableByDefault?: boolean;
  /** Path prefixes stripped before matching (e.g. `/atservicesrest`). Case-insensitive. */
  basePaths?: string[];
  /**
   * Formats as the vendor really writes them (regex sources), replacing the standard ones: Autotask
   * declares `date-time` but sends and accepts it without an offset (`2016-03-30T13:10:35.563`).
   */
  formats?: Record<string, string>;
}

export interface OperationMatch {
  operationId: string;
  template: string;
  params: Record<string, string>;
}

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  paramNames: string[];
  literalLength: number;
  /** The template's first two segments, lower case; undefined when a parameter is among them. */
  leading: string | undefined;
  op: Json;
  pathParams: Json[];
}

const specCache = new Map<string, ApiContract>();

export class ApiContract {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction | null>();
  /** Candidate operations by method and a path's first two segments (see `candidates`). */
  private readonly routeIndex = new Map<string, Operation[]>();
  private readonly parameterLists = new Map<Operation, Json[]>();
  private readonly isOas3: boolean;

  constructor(private readonly doc: Json, private readonly options: ContractOptions = {}) {
    this.isOas3 = typeof doc.openapi === 'string';
    this.ajv = new Ajv({ strict: false, allErrors: false, coerceTypes: false, validateFormats: true, validateSchema: false });
    addFormats(this.ajv);
    // Vendor-specific format names (Ingram writes `Date`, and once `deciaml`) carry no checkable rule: accept them.
    for (const f of ['int32', 'int64', 'double', 'float', 'decimal', 'byte', 'binary', 'password', 'Date', 'deciaml']) this.ajv.addFormat(f, true);
    for (const [f, source] of Object.entries(options.formats ?? {})) this.ajv.addFormat(f, new RegExp(source));
    const rawDefs: Json = this.isOas3 ? doc.components?.schemas ?? {} : doc.definitions ?? {};
    const defs: Json = {};
    for (const [name, schema] of Object.entries(rawDefs)) defs[safeName(name)] = this.normalize(schema);
    this.ajv.addSchema({ $id: 'spec', definitions: defs });
    for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
      const { regex, names, literalLength } = compileTemplate(template);
      const lead = leadingSegments(template);
      const leading = lead.includes('{') ? undefined : lead;
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (!item[method]) continue;
        this.operations.push({ method, template, regex, paramNames: names, literalLength, leading, op: item[method], pathParams: item.parameters ?? [] });
      }
    }
    // Literal routes win over templated ones: `/Products/query` before `/Products/{id}`.
    this.operations.sort((a, b) => a.paramNames.length - b.paramNames.length || b.literalLength - a.literalLength);
  }

  /** Loads and caches a spec from `spec/` (JSON or YAML). */
  static load(file: string, options: ContractOptions = {}): ApiContract {
    const abs = path.isAbsolute(file) ? file : path.join(__dirname, '..', '..', 'spec', file);
    const key = `${abs}|${JSON.stringify(options)}`;
    let contract = specCache.get(key);
    if (!contract) {
      const text = fs.readFileSync(abs, 'utf8');
      contract = new ApiContract(abs.endsWith('.json') ? JSON.parse(text) : YAML.parse(text), options);
      specCache.set(key, contract);
    }
    return contract;
  }

  match(method: string, rawPath: string): (OperationMatch & { operation: Operation }) | null {
    const m = method.toLowerCase();
    let p = decodePath(rawPath.split('?')[0]);
    for (const base of this.options.basePaths ?? []) {
      if (p.toLowerCase().startsWith(base.toLowerCase())) { p = p.slice(base.length) || '/'; break; }
    }
    for (const operation of this.candidates(m, p)) {
      const found = operation.regex.exec(p);
      if (!found) continue;
      const params: Record<string, string> = {};
      operation.paramNames.forEach((n, i) => (params[n] = found[i + 1]));
      return { operationId: operation.op.operationId ?? `${m} ${operation.template}`, template: operation.template, params, operation };
    }
    return null;
  }

  /**
   * The operations a path can match, in match order: those whose first two segments are these
   * (literally, any case) and those with a parameter there. A linear regex scan of Autotask's 3,009
   * operations cost 75–230 µs a request, three times a request, in every simulator exchange.
   */
  private candidates(method: string, p: string): Operation[] {
    const lead = leadingSegments(p);
    const key = `${method} ${lead}`;
    let list = this.routeIndex.get(key);
    if (!list) {
      list = this.operations.filter((o) => o.method === method && (o.leading === undefined || o.leading === lead));
      // Keys are bounded by the spec's routes, unless a spec puts a parameter in its first two segments.
      if (this.routeIndex.size >= 1000) this.routeIndex.clear();
      this.routeIndex.set(key, list);
    }
    return list;
  }

  /** Returns the list of violations (empty when the request conforms). */
  validateRequest(req: HttpExchange): string[] {
    const found = this.match(req.method, req.path);
    if (!found) return [`${req.method.toUpperCase()} ${req.path}: no such operation in the spec`];
    const { operation, params } = found;
    const errors: string[] = [];
    const query = new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '');
    const headers = lowerKeys(req.headers ?? {});
    for (const param of this.parameters(operation)) {
      const where = param.in as string;
      const name = param.name as string;
      let value: unknown;
      if (where === 'path') value = params[name];
      else if (where === 'query') value = query.has(name) ? (isArraySchema(param) ? query.getAll(name) : query.get(name)) : undefined;
      else if (where === 'header') value = headers[name.toLowerCase()];
      else if (where === 'body') {
        if (param.required && req.body === undefined) errors.push(`body: required`);
        else if (req.body !== undefined) errors.push(...this.check(`req:${found.operationId}:body`, param.schema, req.body, 'body'));
        continue;
      } else continue;
      if (value === undefined || value === '') {
        if (param.required) errors.push(`${where} parameter "${name}": required`);
        continue;
      }
      const schema = param.schema ?? { type: param.type, format: param.format, enum: param.enum, items: param.items };
      errors.push(...this.check(`req:${found.operationId}:${where}:${name}`, schema, coerceParam(value, schema), `${where} parameter "${name}"`));
    }
    if (this.isOas3) {
      const content = this.deref(operation.op.requestBody)?.content;
      const schema = content?.['application/json']?.schema ?? content?.['application/*+json']?.schema;
      if (schema) {
        if (this.deref(operation.op.requestBody)?.required && req.body === undefined) errors.push('body: required');
        else if (req.body !== undefined) errors.push(...this.check(`req:${found.operationId}:body`, schema, req.body, 'body'));
      }
    }
    return errors.map((e) => `${req.method.toUpperCase()} ${found.template}: ${e}`);
  }

  /** Validates a response body against the declared schema for its status (undeclared statuses pass). */
  validateResponse(req: { method: string; path: string }, status: number, body: unknown): string[] {
    const found = this.match(req.method, req.path);
    if (!found) return [];
    const responses = found.operation.op.responses ?? {};
    const declared = this.deref(responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default);
    if (!declared) return [];
    const schema = this.isOas3 ? declared.content?.['application/json']?.schema : declared.schema;
    if (!schema || body === undefined || body === '') return [];
    return this.check(`res:${found.operationId}:${status}`, schema, body, `response ${status}`).map(
      (e) => `${req.method.toUpperCase()} ${found.template}: ${e}`,
    );
  }

  private parameters(operation: Operation): Json[] {
    let list = this.parameterLists.get(operation);
    if (!list) {
      const byKey = new Map<string, Json>();
      for (const p of [...operation.pathParams, ...(operation.op.parameters ?? [])]) {
        const param = this.deref(p);
        if (param) byKey.set(`${param.in}:${param.name}`, param);
      }
      list = [...byKey.values()];
      this.parameterLists.set(operation, list);
    }
    return list;
  }

  private check(key: string, schema: Json, value: unknown, label: string): string[] {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(this.normalize(schema));
      this.validators.set(key, validate);
    }
    if (!validate || validate(value)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => `${label}${e.instancePath || ''} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${(e.params as Json).additionalProperty})` : ''}`);
  }

  private deref(node: Json | undefined): Json | undefined {
    let current = node;
    for (let i = 0; current && typeof current.$ref === 'string' && i < 10; i++) {
      current = current.$ref.slice(2).split('/').reduce<Json | undefined>((acc, part) => acc?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
    }
    return current;
  }

  /** Turns an OpenAPI schema object into a JSON Schema ajv understands, refs pointing at `spec#`. */
  private normalize(schema: unknown): any {
    if (Array.isArray(schema)) return schema.map((s) => this.normalize(s));
    if (!schema || typeof schema !== 'object') return schema;
    const src = schema as Json;
    if (typeof src.$ref === 'string') {
      const name = src.$ref.replace(/^#\/(definitions|components\/schemas)\//, '');
      return { $ref: `spec#/definitions/${safeName(name)}` };
    }
    // Swashbuckle writes a .NET `object` property as a bare `{type: object}`: it means "any JSON"
    // (Autotask's filter `value` is a number, string, boolean or array).
    if (!this.isOas3 && src.type === 'object' && Object.keys(src.properties ?? {}).length === 0 && !src.additionalProperties && !src.allOf) return {};
    const out: Json = {};
    for (const [k, v] of Object.entries(src)) {
      if (k === 'required' && !Array.isArray(v)) continue; // vendor documents sometimes say `required: true`
      if (k === 'type' && typeof v === 'string' && !JSON_TYPES.has(v)) continue; // e.g. `type: date`
      if (k === 'example' || k === 'examples' || k === 'xml' || k === 'discriminator' || k.startsWith('x-')) continue;
      out[k] = k === 'properties' || k === 'patternProperties'
        ? Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, this.normalize(pv)]))
        : this.normalize(v);
    }
    const nullable = src.nullable === true || src['x-nullable'] === true || (this.options.nullableByDefault && !this.isOas3);
    delete out.nullable;
    if (nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (nullable && Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function compileTemplate(template: string): { regex: RegExp; names: string[]; literalLength: number } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith('{') && part.endsWith('}')) {
        names.push(part.slice(1, -1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { regex: new RegExp(`^${source}/?$`, 'i'), names, literalLength: template.replace(/\{[^}]+\}/g, '').length };
}

/** `/V1.0/Products/{id}` → `v1.0/products` (empty segments dropped, as the match's optional trailing slash allows). */
function leadingSegments(p: string): string {
  return p.toLowerCase().split('/').filter(Boolean).slice(0, 2).join('/');
}

function decodePath(p: string): string {
  try {
    return decodeURI(p);
  } catch {
    return p;
  }
}

function lowerKeys(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function isArraySchema(param: Json): boolean {
  return (param.schema?.type ?? param.type) === 'array';
}

function coerceParam(value: unknown, schema: Json): unknown {
  const type = schema?.type;
  if (Array.isArray(value)) return type === 'array' ? value.map((v) => coerceParam(v, schema.items ?? {})) : value[0];
  if (typeof value !== 'string') return value;
  if (type === 'integer' || type === 'number') return value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (type === 'array') return value.split(',').map((v) => coerceParam(v, schema.items ?? {}));
  return value;
}
