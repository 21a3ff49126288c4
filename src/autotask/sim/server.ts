// The simulated Autotask REST API: routes, auth, limits, query/write semantics and entity
// metadata, on the shared SimServer kit (contract checks, faults, counts, admin plumbing).
import { ApiContract } from '../../spec/contract';
import { SimServer, type SimRequest, type SimResponse } from '../../sim/kit/server';
import { childEntity, simEntities, UDF_TYPES, type SimEntity, type SimField } from './entities';
import { SimLimits } from './limits';
import { compileQuery, countQuery, QueryError, runQuery } from './query-engine';
import type { SimRecord, SimStore } from './store';

export interface SimUser {
  username: string;
  secret: string;
  integrationCode: string;
  /** E-mail of the API user's resource (a Resources record is created for it). */
  resourceEmail?: string;
  active?: boolean;
  /** Per entity; anything not listed is allowed. */
  permissions?: Record<string, Partial<Record<'query' | 'create' | 'update' | 'delete', boolean>>>;
  /** The user lives in another zone: ZoneInformation points there and this zone answers 401. */
  zoneUrl?: string;
  resourceId?: number;
}

export interface AutotaskSimBehaviour {
  /** Processing time per API request (ms), spent while holding a thread. */
  latencyMs: number;
  /** Body of a 401: Autotask sends either nothing or `{"errors":[...]}`. */
  authFailureBody: 'empty' | 'errors';
}

const BASE = '/atservicesrest';
const V = `${BASE}/V1.0`;

type Action = 'query' | 'create' | 'update' | 'delete';

interface Ctx { user: SimUser; entity?: SimEntity }

export class AutotaskApi {
  readonly users = new Map<string, SimUser>();

  constructor(
    readonly server: SimServer,
    readonly store: SimStore,
    readonly limits: SimLimits,
    readonly behaviour: AutotaskSimBehaviour,
  ) {
    this.routes();
  }

  /** This zone's base URL as ZoneInformation reports it. */
  get zoneUrl(): string {
    return `${this.server.url}${BASE}/`;
  }

  addUser(user: SimUser): SimUser {
    const full = { active: true, ...user };
    if (full.resourceEmail && full.resourceId === undefined) {
      const resource = this.store.insertFull('Resources', {
        email: full.resourceEmail, userName: full.username.split('@')[0], firstName: 'API', lastName: 'User', isActive: true, resourceType: 'Employee', licenseType: 7,
      });
      full.resourceId = resource.id;
    }
    this.users.set(user.username.toLowerCase(), full);
    return full;
  }

  private routes(): void {
    const s = this.server;
    s.route('GET', `${V}/ZoneInformation`, (req) => this.zoneInformation(req));
    s.route('GET', `${BASE}/versionInformation`, () => ({ status: 200, body: { apiVersions: ['1.0'] } }));
    s.route('GET', `${V}/Version`, () => ({ status: 200, body: { majorVersion: '2026', minorVersion: '1', build: 'sim', customerType: 'Sandbox' } }));
    s.route('GET', `${V}/ThresholdInformation`, this.api(() => 'ThresholdInformation', () => ({
      status: 200,
      body: { externalRequestThreshold: this.limits.options.hourlyLimit, requestThresholdTimeframe: 60, currentTimeframeRequestCount: this.limits.usage() },
    })));
    const root = (req: SimRequest) => this.entity(req.params.entity);
    s.route('GET', `${V}/:entity/entityInformation`, this.api(root, (req, c) => this.entityInformation(c)));
    s.route('GET', `${V}/:entity/entityInformation/fields`, this.api(root, (req, c) => ({ status: 200, body: { fields: c.entity!.fields } })));
    s.route('GET', `${V}/:entity/entityInformation/userDefinedFields`, this.api(root, (req, c) => this.udfInformation(c.entity!)));
    for (const method of ['GET', 'POST']) {
      s.route(method, `${V}/:entity/query/count`, this.api(root, (req, c) => this.count(req, c)));
      s.route(method, `${V}/:entity/query`, this.api(root, (req, c) => this.query(req, c)));
    }
    // Autotask's nextPageUrl: POST with the original body; a GET gets 405.
    s.route('GET', `${V}/:entity/query/next`, () => methodNotAllowed('GET'));
    s.route('POST', `${V}/:entity/query/next`, this.api(root, (req, c) => this.query(req, c, true)));
    for (const method of ['POST', 'PATCH', 'PUT'] as const) {
      s.route(method, `${V}/:entity`, this.api(root, (req, c) => this.write(req, c, method)));
      s.route(method, `${V}/:parent/:parentId/:child`, this.api((req) => this.child(req), (req, c) => this.write(req, c, method, Number(req.params.parentId))));
    }
    s.route('GET', `${V}/:parent/:parentId/:child`, this.api((req) => this.child(req), (req, c) => this.childList(req, c)));
    s.route('GET', `${V}/:parent/:parentId/:child/:id`, this.api((req) => this.child(req), (req, c) => this.getById(c, req.params.id, Number(req.params.parentId))));
    s.route('GET', `${V}/:entity/:id`, this.api(root, (req, c) => this.getById(c, req.params.id)));
  }

  private entity(name: string | undefined): SimEntity | undefined {
    return name ? simEntities().get(name.toLowerCase()) : undefined;
  }

  private child(req: SimRequest): SimEntity | undefined {
    return childEntity(req.params.parent, req.params.child);
  }

  /** Auth, hourly budget and thread limit around an API handler, as Autotask applies them. */
  private api(resolve: (req: SimRequest) => SimEntity | string | undefined, handler: (req: SimRequest, ctx: Ctx) => SimResponse | Promise<SimResponse>) {
    return async (req: SimRequest): Promise<SimResponse> => {
      const auth = this.authenticate(req);
      if ('status' in auth) return auth;
      const resolved = resolve(req);
      if (!resolved) return errors(404, `The requested resource ${req.path.replace(/^.*\/V1\.0\//i, '')} was not found.`);
      const endpoint = typeof resolved === 'string' ? resolved : resolved.name;
      if (!this.limits.admit()) {
        return errors(429, `Request denied: the API request threshold of ${this.limits.options.hourlyLimit} requests per hour has been exceeded for this database. Please try again later.`);
      }
      const integration = auth.integrationCode;
      if (!this.limits.enter(integration, endpoint)) {
        return errors(429, `Request denied (Itgenatr005): the thread threshold of ${this.limits.options.threadLimit} threads has been exceeded for this integration on the ${endpoint} endpoint. Please reduce the number of concurrent requests.`);
      }
      try {
        const wait = this.behaviour.latencyMs + this.limits.usageLatency();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return await handler(req, { user: auth, entity: typeof resolved === 'string' ? undefined : resolved });
      } catch (err) {
        if (err instanceof QueryError || err instanceof WriteError) return errors(err instanceof WriteError ? err.status : 500, err.message);
        throw err;
      } finally {
        this.limits.leave(integration, endpoint);
      }
    };
  }

  private authenticate(req: SimRequest): SimUser | SimResponse {
    const header = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const unauthorized = (): SimResponse =>
      this.behaviour.authFailureBody === 'empty' ? { status: 401 } : errors(401, 'Authorization has been denied for this request.');
    const user = this.users.get((header('UserName') ?? '').toLowerCase());
    if (!user) return unauthorized();
    if (header('ApiIntegrationCode') !== user.integrationCode) return errors(500, 'IntegrationCode is invalid.');
    if (header('Secret') !== user.secret || !user.active) return unauthorized();
    if (user.zoneUrl && user.zoneUrl.toLowerCase() !== this.zoneUrl.toLowerCase()) return unauthorized();
    return user;
  }

  private zoneInformation(req: SimRequest): SimResponse {
    const user = this.users.get((req.query.get('user') ?? '').toLowerCase());
    if (!user) return errors(500, 'Zone information could not be determined');
    const url = user.zoneUrl ?? this.zoneUrl;
    return { status: 200, body: { zoneName: url === this.zoneUrl ? 'Simulated Zone' : 'Other Zone', url, webUrl: url.replace(/atservicesrest\/?$/i, ''), ci: 1 } };
  }

  private allowed(user: SimUser, entity: SimEntity, action: Action): boolean {
    return user.permissions?.[entity.name]?.[action] !== false;
  }

  private denied(entity: SimEntity, action: Action): SimResponse {
    return errors(403, `Permission Denied: the API user does not have ${action} access to ${entity.name}.`);
  }

  private entityInformation(c: Ctx): SimResponse {
    const e = c.entity!;
    const access = (a: Action) => (this.allowed(c.user, e, a) ? 'All' : 'None');
    return {
      status: 200,
      body: {
        info: {
          name: e.name, canCreate: e.canCreate, canDelete: e.canDelete, canQuery: e.canQuery, canUpdate: e.canUpdate,
          userAccessForCreate: access('create'), userAccessForDelete: access('delete'), userAccessForQuery: access('query'), userAccessForUpdate: access('update'),
          hasUserDefinedFields: e.hasUdfs, supportsWebhookCallouts: ['Companies', 'Contacts'].includes(e.name),
        },
      },
    };
  }

  private udfInformation(e: SimEntity): SimResponse {
    const fields = this.store.udfDefinitions(e.name).filter((d) => d.isActive).map((d) => ({
      name: d.name, label: d.name, type: d.dataType === 2 ? 'double' : d.dataType === 3 ? 'datetime' : 'string', length: d.length, description: d.description,
      isRequired: d.isRequired, isReadOnly: false, isQueryable: true, isReference: false, referenceEntityType: null,
      isPickList: !!d.picklist, picklistValues: d.picklist?.map((v, i) => ({ value: v, label: v, isDefaultValue: false, sortOrder: i, parentValue: null, isActive: true, isSystem: false })) ?? null,
      picklistParentValueField: null, defaultValue: null, isSupportedWebhookField: false,
    }));
    return { status: 200, body: { fields } };
  }

  private queryBody(req: SimRequest): unknown {
    if (req.method !== 'GET') return req.body;
    const search = req.query.get('search');
    if (!search) throw new QueryError('The search parameter is required.');
    try {
      return JSON.parse(search);
    } catch {
      throw new QueryError('The search parameter is not valid JSON.');
    }
  }

  private query(req: SimRequest, c: Ctx, next = false): SimResponse {
    const e = c.entity!;
    if (!e.canQuery) return errors(405, `${e.name} cannot be queried.`);
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const table = this.store.table(e.name);
    let afterId: number | undefined;
    if (next) {
      const paging = decodePaging(req.query.get('paging'));
      if (!paging) return errors(500, 'The paging parameter is not valid.');
      afterId = paging.after;
    }
    const q = compileQuery(this.store, table, this.queryBody(req), { afterId });
    const { rows, more } = runQuery(table, q);
    const items = rows.map((r) => q.project(this.store.view(e.name, r)));
    const last = rows.length ? rows[rows.length - 1].id : afterId ?? 0;
    const nextPageUrl = more ? `${this.zoneUrl}V1.0/${e.name}/query/next?paging=${encodePaging({ after: last })}` : null;
    return { status: 200, body: { items, pageDetails: { count: items.length, requestCount: q.maxRecords, prevPageUrl: null, nextPageUrl } } };
  }

  private count(req: SimRequest, c: Ctx): SimResponse {
    const e = c.entity!;
    if (!e.canQuery) return errors(405, `${e.name} cannot be queried.`);
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const table = this.store.table(e.name);
    return { status: 200, body: { queryCount: countQuery(table, compileQuery(this.store, table, this.queryBody(req))) } };
  }

  private getById(c: Ctx, rawId: string, parentId?: number): SimResponse {
    const e = c.entity!;
    if (!e.canQuery && parentId === undefined) return errors(405, `${e.name} cannot be queried.`);
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const id = Number(rawId);
    const row = Number.isInteger(id) ? this.store.get(e.name, id) : undefined;
    if (!row || (parentId !== undefined && e.parent && row[e.parent.field] !== parentId)) return errors(404, `${e.name} with id ${rawId} could not be found.`);
    return { status: 200, body: { item: this.store.view(e.name, row) } };
  }

  private childList(req: SimRequest, c: Ctx): SimResponse {
    const e = c.entity!;
    if (!e.parent?.methods.includes('GET')) return methodNotAllowed('GET');
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const parentId = Number(req.params.parentId);
    const table = this.store.table(e.name);
    const items: Record<string, unknown>[] = [];
    for (const id of table.ids) {
      const row = table.rows.get(id)!;
      if (row[e.parent.field] === parentId) items.push(this.store.view(e.name, row));
      if (items.length === 500) break;
    }
    return { status: 200, body: { items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } } };
  }

  private write(req: SimRequest, c: Ctx, method: 'POST' | 'PATCH' | 'PUT', parentId?: number): SimResponse {
    const e = c.entity!;
    if (parentId === undefined ? !e.rootWrites.includes(method) : !e.parent?.methods.includes(method)) return methodNotAllowed(method);
    const action: Action = method === 'POST' ? 'create' : 'update';
    if (method === 'POST' ? !e.canCreate : !e.canUpdate) return methodNotAllowed(method);
    if (!this.allowed(c.user, e, action)) return this.denied(e, action);
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new WriteError(500, 'The request body must be a JSON object.');
    const input = body as Record<string, unknown>;
    if (parentId !== undefined && e.parent) {
      const parent = this.store.get(e.parent.entity, parentId);
      if (!parent) throw new WriteError(404, `${e.parent.entity} with id ${parentId} could not be found.`);
    }
    const id = method === 'POST' ? this.create(e, input, c.user, parentId) : this.update(e, input, method, parentId);
    return { status: 200, body: { itemId: id } };
  }

  private create(e: SimEntity, input: Record<string, unknown>, user: SimUser, parentId?: number): number {
    const values: Record<string, unknown> = {};
    for (const f of e.fields) {
      const v = pick(input, f.name);
      if (v === undefined || f.isReadOnly) continue; // Autotask ignores read-only fields on writes
      values[f.name] = checkField(e, f, v);
    }
    if (parentId !== undefined && e.parent) {
      const given = values[e.parent.field];
      if (given !== undefined && given !== null && given !== parentId) throw new WriteError(500, `${e.parent.field} does not match the parent id in the URL.`);
      values[e.parent.field] = parentId;
    }
    for (const [k, v] of Object.entries(e.defaults)) if (values[k] === undefined || values[k] === null) values[k] = v;
    requireFields(e, values);
    const udfs = this.checkUdfs(e, input.userDefinedFields);
    this.beforeCreate(e, values, user);
    const row = this.store.insertFull(e.name, values);
    if (udfs.length) this.store.setUdfs(e.name, row.id, udfs);
    this.afterCreate(e, row);
    return row.id;
  }

  private update(e: SimEntity, input: Record<string, unknown>, method: 'PATCH' | 'PUT', parentId?: number): number {
    const id = pick(input, 'id');
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new WriteError(500, 'The id field is required for an update.');
    const row = this.store.get(e.name, id);
    if (!row || (parentId !== undefined && e.parent && row[e.parent.field] !== parentId)) throw new WriteError(404, `${e.name} with id ${id} could not be found.`);
    const next: Record<string, unknown> = { ...row };
    for (const f of e.fields) {
      if (f.isReadOnly || f.name === 'id') continue;
      const v = pick(input, f.name);
      // PUT replaces the record: a writable field left out becomes null (or its default).
      if (v === undefined) {
        if (method === 'PUT' && !(parentId !== undefined && e.parent?.field === f.name)) next[f.name] = e.defaults[f.name] ?? null;
        continue;
      }
      next[f.name] = checkField(e, f, v);
    }
    requireFields(e, next);
    const udfs = this.checkUdfs(e, input.userDefinedFields);
    Object.assign(row, next);
    if (udfs.length) this.store.setUdfs(e.name, row.id, udfs);
    this.afterUpdate(e, row);
    return row.id;
  }

  private checkUdfs(e: SimEntity, raw: unknown): Array<{ name: string; value: unknown }> {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw new WriteError(500, 'userDefinedFields must be an array.');
    if (!e.hasUdfs && raw.length) throw new WriteError(500, `${e.name} does not support user-defined fields.`);
    const defs = this.store.udfDefinitions(e.name);
    return raw.map((u: { name?: unknown; value?: unknown }) => {
      const def = defs.find((d) => d.name.toLowerCase() === String(u?.name ?? '').toLowerCase());
      if (!def) throw new WriteError(500, `Unable to find user-defined field '${String(u?.name)}' in the ${e.name} entity.`);
      if (u.value !== null && u.value !== undefined) {
        if (String(u.value).length > def.length) throw new WriteError(500, `Value for user-defined field ${def.name} exceeds the maximum length of ${def.length}.`);
        if (def.picklist && !def.picklist.includes(String(u.value))) throw new WriteError(500, `Value '${String(u.value)}' is not valid for user-defined field ${def.name}.`);
      }
      return { name: def.name, value: u.value ?? null };
    });
  }

  /** Entity rules Autotask applies on create. */
  private beforeCreate(e: SimEntity, values: Record<string, unknown>, user: SimUser): void {
    const now = new Date().toISOString();
    for (const f of ['createDate', 'createDateTime', 'createdTime']) if (e.byLowerName.has(f.toLowerCase())) values[f] = now;
    for (const f of ['creatorResourceID', 'createdByResourceID']) if (e.byLowerName.has(f.toLowerCase())) values[f] = user.resourceId ?? null;
    switch (e.name) {
      case 'Products':
        if (values.billingType !== 1 && values.periodType !== 2) throw new WriteError(500, 'periodType must be Monthly when billingType is not Standard.');
        break;
      case 'PurchaseOrderItemReceiving': {
        const item = this.store.get('PurchaseOrderItems', values.purchaseOrderItemID as number);
        if (!item) throw new WriteError(500, 'Value does not reference an existing entity for purchaseOrderItemID.');
        const previous = this.received(item.id);
        const now = values.quantityNowReceiving as number;
        if (now <= 0 || previous + now > (item.quantity as number)) throw new WriteError(500, `quantityNowReceiving must be between 1 and ${(item.quantity as number) - previous}.`);
        values.quantityPreviouslyReceived = previous;
        values.receiveDate ??= new Date().toISOString();
        break;
      }
      case 'ContractServiceAdjustments': {
        const contract = this.store.get('Contracts', values.contractID as number);
        if (!contract) throw new WriteError(500, 'Value does not reference an existing entity for contractID.');
        if (!this.store.get('Services', values.serviceID as number)) throw new WriteError(500, 'Value does not reference an existing entity for serviceID.');
        break;
      }
      case 'UserDefinedFieldDefinitions': {
        const target = UDF_TYPES.find(([v]) => v === values.udfType)?.[2];
        if (!target || !simEntities().get(target.toLowerCase())?.hasUdfs) throw new WriteError(500, `User-defined fields of type ${String(values.udfType)} are not supported.`);
        if (this.store.udfDefinitions(target).some((d) => d.name.toLowerCase() === String(values.name).toLowerCase())) {
          throw new WriteError(500, `A user-defined field named ${String(values.name)} already exists.`);
        }
        break;
      }
    }
  }

  private afterCreate(e: SimEntity, row: SimRecord): void {
    switch (e.name) {
      case 'PurchaseOrderItemReceiving': {
        const item = this.store.get('PurchaseOrderItems', row.purchaseOrderItemID as number)!;
        this.updateOrderStatus(item.orderID as number);
        break;
      }
      case 'ContractServiceAdjustments': {
        const services = this.store.table('ContractServices');
        let service = [...services.rows.values()].find((s) => s.contractID === row.contractID && s.serviceID === row.serviceID);
        service ??= this.store.insertFull('ContractServices', {
          contractID: row.contractID, serviceID: row.serviceID,
          unitPrice: row.adjustedUnitPrice ?? this.store.get('Services', row.serviceID as number)?.unitPrice ?? 0,
          unitCost: row.adjustedUnitCost ?? null, quoteItemID: row.quoteItemID,
        });
        row.contractServiceID = service.id;
        const unitsTable = this.store.table('ContractServiceUnits');
        const units = [...unitsTable.rows.values()].find((u) => u.contractServiceID === service!.id);
        if (units) units.units = (units.units as number) + (row.unitChange as number);
        else {
          this.store.insertFull('ContractServiceUnits', {
            contractID: row.contractID, contractServiceID: service.id, serviceID: row.serviceID, units: row.unitChange,
            startDate: row.effectiveDate, price: service.unitPrice, cost: service.unitCost,
          });
        }
        break;
      }
      case 'UserDefinedFieldDefinitions': {
        const target = UDF_TYPES.find(([v]) => v === row.udfType)![2];
        this.store.addUdf({ id: row.id, entity: target, name: String(row.name), dataType: Number(row.dataType), isRequired: !!row.isRequired, isActive: row.isActive !== false, description: (row.description as string) ?? null });
        break;
      }
    }
  }

  private afterUpdate(e: SimEntity, row: SimRecord): void {
    if (e.name === 'PurchaseOrders' && row.status === 5 && !row.cancelDateTime) row.cancelDateTime = new Date().toISOString();
  }

  private received(itemId: number): number {
    let n = 0;
    for (const r of this.store.table('PurchaseOrderItemReceiving').rows.values()) if (r.purchaseOrderItemID === itemId) n += r.quantityNowReceiving as number;
    return n;
  }

  /** Receiving moves a PO to Received Partial (3) or Received Full (4), as Autotask does. */
  private updateOrderStatus(orderId: number): void {
    const order = this.store.get('PurchaseOrders', orderId);
    if (!order) return;
    const items = [...this.store.table('PurchaseOrderItems').rows.values()].filter((i) => i.orderID === orderId);
    const full = items.every((i) => this.received(i.id) >= (i.quantity as number));
    order.status = full ? 4 : 3;
  }
}

export class WriteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function errors(status: number, message: string): SimResponse {
  return { status, body: { errors: [message] } };
}

function methodNotAllowed(method: string): SimResponse {
  return { status: 405, body: { Message: `The requested resource does not support http method '${method}'.` } };
}

/** Body properties are matched case-insensitively, like Autotask's JSON binding. */
function pick(input: Record<string, unknown>, name: string): unknown {
  if (name in input) return input[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(input)) if (k.toLowerCase() === lower) return input[k];
  return undefined;
}

function checkField(e: SimEntity, f: SimField, v: unknown): unknown {
  if (v === null) return null;
  const bad = (why: string): never => {
    throw new WriteError(500, `${f.name}: ${why}`);
  };
  switch (f.dataType) {
    case 'integer':
    case 'long':
      if (typeof v !== 'number' || !Number.isInteger(v)) bad(`Value '${String(v)}' is not a valid integer.`);
      break;
    case 'double':
      if (typeof v !== 'number') bad(`Value '${String(v)}' is not a valid number.`);
      break;
    case 'boolean':
      if (typeof v !== 'boolean') bad(`Value '${String(v)}' must be true or false.`);
      break;
    case 'datetime':
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) bad(`Value '${String(v)}' is not a valid date.`);
      break;
    default:
      if (typeof v !== 'string') bad('Value must be a string.');
      if ((v as string).length > f.length) bad(`Value exceeds the maximum length of ${f.length} characters.`);
  }
  if (f.isPickList && f.picklistValues && !f.picklistValues.some((p) => p.isActive && p.value === String(v))) {
    bad(`Value ${String(v)} is not a valid picklist value for ${e.name}.${f.name}.`);
  }
  return v;
}

function requireFields(e: SimEntity, values: Record<string, unknown>): void {
  const missing = e.fields.filter((f) => f.isRequired && !f.isReadOnly && (values[f.name] === undefined || values[f.name] === null || values[f.name] === ''));
  if (missing.length) throw new WriteError(500, `Missing required field(s): ${missing.map((f) => f.name).join(', ')}.`);
}

function encodePaging(p: { after: number }): string {
  return encodeURIComponent(Buffer.from(JSON.stringify(p)).toString('base64url'));
}

function decodePaging(raw: string | null): { after: number } | undefined {
  if (!raw) return undefined;
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return typeof p?.after === 'number' ? p : undefined;
  } catch {
    return undefined;
  }
}

export function autotaskContract(): ApiContract {
  return ApiContract.load('autotask-openapi.json', { nullableByDefault: true, basePaths: [BASE] });
}
