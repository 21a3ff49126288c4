// The simulated Autotask REST API: routes, auth, limits, query/write semantics and entity
// metadata, on the shared SimServer kit (contract checks, faults, counts, admin plumbing).
import { ApiContract } from '../../spec/contract';
import { SimServer, type SimRequest, type SimResponse } from '../../sim/kit/server';
import { childEntity, simEntities, type SimEntity, type SimField } from './entities';
import { SimLimits } from './limits';
import { AUTOTASK_DATE_TIME_FORMAT, simDateTime, simNow } from './dates';
import { compileQuery, countQuery, normalizeQuery, QueryError, runQuery, runQueryBefore } from './query-engine';
import { errorsBody as errors, methodNotAllowed, SimRejection } from './respond';
import { rulesFor, SIM_RULES, type RuleContext } from './rules';
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
    for (const m of SIM_RULES) {
      m.routes?.({
        route: (method, path, endpoint, handler) => s.route(method, `${V}/${path.replace(/^\/+/, '')}`, this.api(
          (req) => (typeof endpoint === 'string' ? endpoint : endpoint(req)),
          (req, c) => handler(req, this.ruleContext(c.user)),
        )),
      });
    }
    const root = (req: SimRequest) => this.entity(req.params.entity);
    s.route('GET', `${V}/:entity/entityInformation`, this.api(root, (req, c) => this.entityInformation(c)));
    s.route('GET', `${V}/:entity/entityInformation/fields`, this.api(root, (req, c) => ({ status: 200, body: { fields: c.entity!.fields } })));
    s.route('GET', `${V}/:entity/entityInformation/userDefinedFields`, this.api(root, (req, c) => this.udfInformation(c.entity!)));
    for (const method of ['GET', 'POST']) {
      s.route(method, `${V}/:entity/query/count`, this.api(root, (req, c) => this.count(req, c)));
      s.route(method, `${V}/:entity/query`, this.api(root, (req, c) => this.query(req, c)));
    }
    // A POST query's nextPageUrl is POSTed with the original body (a GET of it gets 405: WYRE-AI/
    // autotask-mcp PR #170); a GET query's carries `search` and is followed with GET (long ones hit
    // IIS's URL limit: KelvinTegelaar/AutotaskAPI #66).
    s.route('GET', `${V}/:entity/query/next`, (req) => (req.query.has('search') ? this.api(root, (r, c) => this.query(r, c, true))(req) : methodNotAllowed('GET')));
    s.route('POST', `${V}/:entity/query/next`, this.api(root, (req, c) => this.query(req, c, true)));
    for (const method of ['POST', 'PATCH', 'PUT'] as const) {
      s.route(method, `${V}/:entity`, this.api(root, (req, c) => this.write(req, c, method)));
      s.route(method, `${V}/:parent/:parentId/:child`, this.api((req) => this.child(req), (req, c) => this.write(req, c, method, Number(req.params.parentId))));
    }
    s.route('GET', `${V}/:parent/:parentId/:child`, this.api((req) => this.child(req), (req, c) => this.childList(req, c)));
    s.route('GET', `${V}/:parent/:parentId/:child/:id`, this.api((req) => this.child(req), (req, c) => this.getById(c, req.params.id, Number(req.params.parentId))));
    s.route('GET', `${V}/:entity/:id`, this.api(root, (req, c) => this.getById(c, req.params.id)));
  }

  /** Whether the spec declares this operation (`query/next`, which it omits, counts as declared). */
  private declared(req: SimRequest): boolean {
    if (/\/query\/next\/?$/i.test(req.path)) return true;
    return !!autotaskContract().match(req.method, req.path);
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
      // An operation the API does not have (e.g. GET /Contracts/{id}/ServiceAdjustments/{id}): Web
      // API's 405 for a route that exists without this method (Anteris-Dev/autotask-client #12).
      if (!this.declared(req)) return methodNotAllowed(req.method);
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
        if (err instanceof QueryError || err instanceof SimRejection) return errors(err instanceof SimRejection ? err.status : 500, err.message);
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

  /**
   * The query model (POST body or GET `?search=`), keys read case-insensitively as Autotask does
   * (apigrate/autotask-restapi's README: "field names are not case sensitive"; its examples send
   * `"Id"`), after the entity's rule modules accept it.
   */
  private queryBody(req: SimRequest, c: Ctx): Record<string, unknown> {
    let body: unknown = req.body;
    if (req.method === 'GET') {
      const search = req.query.get('search');
      if (!search) throw new QueryError('The search parameter is required.');
      try {
        body = JSON.parse(search);
      } catch {
        throw new QueryError('The search parameter is not valid JSON.');
      }
    }
    const rules = rulesFor(c.entity!.name);
    if (rules.length) {
      const ctx = this.ruleContext(c.user);
      for (const m of rules) m.beforeQuery?.(ctx, c.entity!, body);
    }
    return normalizeQuery(body);
  }

  private query(req: SimRequest, c: Ctx, next = false): SimResponse {
    const e = c.entity!;
    if (!e.canQuery) return errors(405, `${e.name} cannot be queried.`);
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const table = this.store.table(e.name);
    let paging: Paging | undefined;
    if (next) {
      paging = decodePaging(req.query.get('paging'));
      if (!paging) return errors(500, 'The paging parameter is not valid.');
    }
    const body = this.queryBody(req, c);
    const q = compileQuery(this.store, table, body, { afterId: paging?.after });
    const { rows, more, earlier } = paging?.before !== undefined
      ? runQueryBefore(table, q, paging.before)
      : { ...runQuery(table, q), earlier: next };
    // "For search results that contain more than 500 results, you must include Id"
    // [D:REST/API_Calls/REST_Advanced_Query_Features.htm]: Autotask pages by id.
    const include = body.includeFields;
    if ((more || next) && Array.isArray(include) && include.length && !include.some((f) => String(f).toLowerCase() === 'id')) {
      return errors(500, 'IncludeFields must contain id when the results span more than one page.');
    }
    const items = rows.map((r) => q.project(this.store.view(e.name, r)));
    // A GET query's page URLs carry the search; a POST query's are POSTed with the same body.
    const search = req.method === 'GET' ? `&search=${encodeURIComponent(req.query.get('search') ?? '')}` : '';
    const url = (p: Paging) => `${this.zoneUrl}V1.0/${e.name}/query/next?paging=${encodePaging(p)}${search}`;
    const nextPageUrl = more && rows.length ? url({ after: rows[rows.length - 1].id }) : null;
    const prevPageUrl = earlier && rows.length ? url({ before: rows[0].id }) : null;
    return { status: 200, body: { items, pageDetails: { count: items.length, requestCount: q.maxRecords, prevPageUrl, nextPageUrl } } };
  }

  private count(req: SimRequest, c: Ctx): SimResponse {
    const e = c.entity!;
    if (!e.canQuery) return errors(405, `${e.name} cannot be queried.`);
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const table = this.store.table(e.name);
    return { status: 200, body: { queryCount: countQuery(table, compileQuery(this.store, table, this.queryBody(req, c))) } };
  }

  private getById(c: Ctx, rawId: string, parentId?: number): SimResponse {
    const e = c.entity!;
    if (!e.canQuery && parentId === undefined) return errors(405, `${e.name} cannot be queried.`);
    if (!this.allowed(c.user, e, 'query')) return this.denied(e, 'query');
    const id = Number(rawId);
    const row = Number.isInteger(id) ? this.store.get(e.name, id) : undefined;
    // A missing record is `200 {"item": null}`, not 404 (the lead's observation of the live API; the
    // client also accepts a 404).
    if (!row || (parentId !== undefined && e.parent && row[e.parent.field] !== parentId)) return { status: 200, body: { item: null } };
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
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SimRejection(500, 'The request body must be a JSON object.');
    const input = body as Record<string, unknown>;
    if (parentId !== undefined && e.parent) {
      const parent = this.store.get(e.parent.entity, parentId);
      if (!parent) throw new SimRejection(404, `${e.parent.entity} with id ${parentId} could not be found.`);
    }
    const id = method === 'POST' ? this.create(e, input, c.user, parentId) : this.update(e, input, method, c.user, parentId);
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
      if (given !== undefined && given !== null && given !== parentId) throw new SimRejection(500, `${e.parent.field} does not match the parent id in the URL.`);
      values[e.parent.field] = parentId;
    }
    for (const [k, v] of Object.entries(e.defaults)) if (values[k] === undefined || values[k] === null) values[k] = v;
    requireFields(e, values);
    this.checkReferences(e, values);
    const udfs = this.checkUdfs(e, input.userDefinedFields);
    const ctx = this.beforeCreate(e, values, user, parentId);
    const row = this.store.insertFull(e.name, values);
    if (udfs.length) this.store.setUdfs(e.name, row.id, udfs);
    for (const m of rulesFor(e.name)) m.afterCreate?.(ctx, e, row);
    return row.id;
  }

  private update(e: SimEntity, input: Record<string, unknown>, method: 'PATCH' | 'PUT', user: SimUser, parentId?: number): number {
    const id = pick(input, 'id');
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new SimRejection(500, 'The id field is required for an update.');
    const row = this.store.get(e.name, id);
    if (!row || (parentId !== undefined && e.parent && row[e.parent.field] !== parentId)) throw new SimRejection(404, `${e.name} with id ${id} could not be found.`);
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
    this.checkReferences(e, next, row);
    const udfs = this.checkUdfs(e, input.userDefinedFields);
    const ctx = this.ruleContext(user);
    const rules = rulesFor(e.name);
    for (const m of rules) m.beforeUpdate?.(ctx, e, next, row);
    const previous = { ...row };
    Object.assign(row, next);
    this.store.table(e.name).reindex(row);
    if (udfs.length) this.store.setUdfs(e.name, row.id, udfs);
    for (const m of rules) m.afterUpdate?.(ctx, e, row, previous);
    return row.id;
  }

  /**
   * Reference fields must point at an existing record (and, where Autotask requires it, an active
   * one): Autotask answers 500 "Value does not reference an existing entity for <field>"
   * (WYRE-AI/autotask-mcp #46). On update only changed references are checked.
   */
  private checkReferences(e: SimEntity, values: Record<string, unknown>, current?: SimRecord): void {
    for (const f of e.fields) {
      const target = f.referenceEntityType && REFERENCE_ENTITIES[f.referenceEntityType];
      const v = values[f.name];
      if (!target || v === null || v === undefined || (current && current[f.name] === v)) continue;
      if (!simEntities().has(target.toLowerCase())) continue;
      const row = typeof v === 'number' ? this.store.get(target, v) : undefined;
      if (!row) throw new SimRejection(500, `Value does not reference an existing entity for ${f.name}.`);
      if (e.activeReferences.includes(f.name) && (row.isActive === false || row.isActive === 0)) {
        // Unverified wording; Autotask offers only active billing codes and vendors for these fields.
        throw new SimRejection(500, `${f.name}: the referenced ${f.referenceEntityType} ${String(v)} is inactive.`);
      }
    }
  }

  private checkUdfs(e: SimEntity, raw: unknown): Array<{ name: string; value: unknown }> {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw new SimRejection(500, 'userDefinedFields must be an array.');
    if (!e.hasUdfs && raw.length) throw new SimRejection(500, `${e.name} does not support user-defined fields.`);
    const defs = this.store.udfDefinitions(e.name);
    return raw.map((u: { name?: unknown; value?: unknown }) => {
      const def = defs.find((d) => d.name.toLowerCase() === String(u?.name ?? '').toLowerCase());
      if (!def) throw new SimRejection(500, `Unable to find user-defined field '${String(u?.name)}' in the ${e.name} entity.`);
      if (u.value !== null && u.value !== undefined) {
        if (String(u.value).length > def.length) throw new SimRejection(500, `Value for user-defined field ${def.name} exceeds the maximum length of ${def.length}.`);
        if (def.picklist && !def.picklist.includes(String(u.value))) throw new SimRejection(500, `Value '${String(u.value)}' is not valid for user-defined field ${def.name}.`);
        if (def.dataType === 2 && !Number.isFinite(Number(u.value))) throw new SimRejection(500, `Value '${String(u.value)}' is not a valid number for user-defined field ${def.name}.`);
      }
      return { name: def.name, value: u.value ?? null };
    });
  }

  /** What a rule module sees of this request. */
  ruleContext(user: SimUser): RuleContext {
    return {
      store: this.store,
      user,
      entity: (name) => simEntities().get(name.toLowerCase()),
      now: simNow,
      zoneUrl: this.zoneUrl,
    };
  }

  /** Stamps Autotask sets on create, then the entity's rule modules. */
  private beforeCreate(e: SimEntity, values: Record<string, unknown>, user: SimUser, parentId?: number): RuleContext {
    const ctx = this.ruleContext(user);
    const now = ctx.now();
    for (const f of ['createDate', 'createDateTime', 'createdTime']) if (e.byLowerName.has(f.toLowerCase())) values[f] = now;
    for (const f of ['creatorResourceID', 'createdByResourceID']) if (e.byLowerName.has(f.toLowerCase())) values[f] = user.resourceId ?? null;
    for (const m of rulesFor(e.name)) m.beforeCreate?.(ctx, e, values, parentId);
    return ctx;
  }
}

export { SimRejection } from './respond';

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
    throw new SimRejection(500, `${f.name}: ${why}`);
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
    case 'datetime': {
      const stored = typeof v === 'string' ? simDateTime(v) : undefined;
      if (!stored) bad(`Value '${String(v)}' is not a valid date.`);
      v = stored;
      break;
    }
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
  if (missing.length) throw new SimRejection(500, `Missing required field(s): ${missing.map((f) => f.name).join(', ')}.`);
}

/** The simulator's paging cursor (Autotask's is opaque to clients too). */
interface Paging { after?: number; before?: number }

function encodePaging(p: Paging): string {
  return encodeURIComponent(Buffer.from(JSON.stringify(p)).toString('base64url'));
}

function decodePaging(raw: string | null): Paging | undefined {
  if (!raw) return undefined;
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return typeof p?.after === 'number' || typeof p?.before === 'number' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** `referenceEntityType` (Autotask's singular names) → the entity holding the records. */
const REFERENCE_ENTITIES: Record<string, string> = {
  Company: 'Companies', Contact: 'Contacts', Resource: 'Resources', Product: 'Products', BillingCode: 'BillingCodes',
  Contract: 'Contracts', Service: 'Services', ContractService: 'ContractServices', InventoryLocation: 'InventoryLocations',
  PurchaseOrder: 'PurchaseOrders', PurchaseOrderItem: 'PurchaseOrderItems', Opportunity: 'Opportunities', Quote: 'Quotes', QuoteItem: 'QuoteItems',
};

export function autotaskContract(): ApiContract {
  return ApiContract.load('autotask-openapi.json', { nullableByDefault: true, basePaths: [BASE], formats: { 'date-time': AUTOTASK_DATE_TIME_FORMAT } });
}
