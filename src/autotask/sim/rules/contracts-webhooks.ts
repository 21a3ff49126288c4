// CompanyWebhooks and their children, and the deliveries the simulator sends when a company is
// created, updated or deleted. Sources: notes/autotask-api.md §9 and notes/contracts-and-marketplaces.md
// (payload `Action, Guid, EntityType, Id, Fields, EventTime, SequenceNumber, PersonID`; header
// `X-Hook-Signature: sha1=<base64 HMAC-SHA1(secretKey, raw body)>` [D:Webhooks/SecretKeyPayloadVerification.htm];
// 10 s timeout, retry after 30 s, 5 attempts, deactivation after 25 consecutive failures
// [D:Webhooks/Webhooks_Error_Handling.htm]; the deactivation URL is called when a webhook is deactivated
// or deleted). Autotask escapes `& < > ' " \` +` and non-ASCII characters in the JSON it signs
// (n8n-nodes-autotask helpers/webhook/signature.ts); the simulator sends exactly the bytes it signed.
// `CompanyWebhookFields.fieldID` is a picklist of the webhook-supported fields (n8n-nodes-autotask
// helpers/webhook/fields.ts). Unverified: the field ids (ours), EntityType "Company", that each failed
// attempt counts toward the 25, and that an update fires only when a subscribed field changed.
import { createHmac, randomUUID } from 'node:crypto';
import type { EntityConfig } from '../entities';
import { simNow } from '../dates';
import { reject } from '../respond';
import type { SimRecord, SimStore } from '../store';
import type { RuleContext, RuleRouter } from './index';

/** Company fields a webhook can subscribe to, with this simulator's field ids (labels are REST names). */
export const COMPANY_WEBHOOK_FIELDS: Array<[number, string]> = [
  'companyName', 'companyNumber', 'companyType', 'phone', 'alternatePhone1', 'alternatePhone2', 'fax', 'address1', 'address2',
  'additionalAddressInformation', 'city', 'state', 'postalCode', 'countryID', 'webAddress', 'isActive', 'ownerResourceID',
  'parentCompanyID', 'taxID', 'currencyID', 'classification', 'companyCategoryID', 'marketSegmentID', 'territoryID', 'id',
].map((name, i) => [i + 1, name]);

const child = (c: string, methods: Array<'GET' | 'POST' | 'PATCH' | 'PUT'>) => ({ entity: 'CompanyWebhooks', child: c, field: 'webhookID', methods });

export const WEBHOOK_ENTITIES: Record<string, EntityConfig> = {
  CompanyWebhooks: {
    model: 'CompanyWebhookModel',
    // "Both fields are required to create the webhook" [D:Webhooks/Webhooks_Creating.htm].
    required: ['name', 'webhookUrl', 'deactivationUrl', 'isActive'],
    readOnly: ['isReady', 'webhookGUID'],
    lengths: { name: 50, secretKey: 64, webhookUrl: 500, deactivationUrl: 500, notificationEmailAddress: 150 },
    references: { ownerResourceID: 'Resource' },
    defaults: { isSubscribedToCreateEvents: false, isSubscribedToUpdateEvents: false, isSubscribedToDeleteEvents: false, sendThresholdExceededNotification: false, isReady: false },
  },
  CompanyWebhookFields: {
    model: 'CompanyWebhookFieldModel',
    required: ['webhookID', 'fieldID'],
    picklists: { fieldID: COMPANY_WEBHOOK_FIELDS },
    references: { webhookID: 'CompanyWebhook' },
    rootWrites: [],
    parent: child('Fields', ['GET', 'POST', 'PATCH', 'PUT']),
    defaults: { isSubscribedField: false, isDisplayAlwaysField: false },
  },
  CompanyWebhookUdfFields: {
    model: 'CompanyWebhookUdfFieldModel',
    required: ['webhookID', 'udfFieldID'],
    references: { webhookID: 'CompanyWebhook' },
    rootWrites: [],
    parent: child('UdfFields', ['GET', 'POST', 'PATCH', 'PUT']),
    defaults: { isSubscribedField: false, isDisplayAlwaysField: false },
  },
  CompanyWebhookExcludedResources: {
    model: 'CompanyWebhookExcludedResourceModel',
    required: ['webhookID', 'resourceID'],
    references: { webhookID: 'CompanyWebhook', resourceID: 'Resource' },
    canUpdate: false,
    rootWrites: [],
    parent: child('ExcludedResources', ['GET', 'POST']),
  },
};

export interface WebhookTiming {
  timeoutMs: number;
  retryDelayMs: number;
  attempts: number;
  /** Consecutive failed attempts after which the webhook is deactivated. */
  deactivateAfter: number;
}

export interface DeliveryRecord {
  webhookId: number;
  url: string;
  body: string;
  signature: string;
  attempt: number;
  ok: boolean;
  status?: number;
}

interface WebhookState {
  timing: WebhookTiming;
  sequence: Map<number, number>;
  failures: Map<number, number>;
  deliveries: DeliveryRecord[];
  pending: Set<Promise<void>>;
}

const states = new WeakMap<SimStore, WebhookState>();

export function webhookState(store: SimStore): WebhookState {
  let s = states.get(store);
  if (!s) {
    s = { timing: { timeoutMs: 10_000, retryDelayMs: 30_000, attempts: 5, deactivateAfter: 25 }, sequence: new Map(), failures: new Map(), deliveries: [], pending: new Set() };
    states.set(store, s);
  }
  return s;
}

/** JSON as Autotask serialises webhook payloads: the characters above escaped as `\uXXXX` inside strings. */
export function autotaskJson(value: unknown): string {
  const json = JSON.stringify(value);
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (!inString) {
      if (ch === '"') inString = true;
      out += ch;
      continue;
    }
    if (ch === '\\') {
      const next = json[++i];
      out += next === '"' ? '\\u0022' : `\\${next}`;
      continue;
    }
    if (ch === '"') {
      inString = false;
      out += ch;
    } else if ('&<>\'`+'.includes(ch) || ch.charCodeAt(0) > 127) out += `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

export function sign(secret: string, body: string): string {
  return `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('base64')}`;
}

function rowsOf(store: SimStore, entity: string, pred: (r: SimRecord) => boolean): SimRecord[] {
  return [...store.table(entity).rows.values()].filter(pred);
}

function fieldName(id: unknown): string | undefined {
  return COMPANY_WEBHOOK_FIELDS.find(([v]) => v === id)?.[1];
}

// --- hooks -------------------------------------------------------------------------------------

export function beforeWebhookCreate(ctx: RuleContext, entity: string, values: Record<string, unknown>): void {
  if (entity === 'CompanyWebhooks') {
    values.webhookGUID = randomUUID();
    values.isReady = false;
  }
  if (entity === 'CompanyWebhookFields' || entity === 'CompanyWebhookUdfFields' || entity === 'CompanyWebhookExcludedResources') {
    if (!ctx.store.get('CompanyWebhooks', values.webhookID as number)) throw reject('Value does not reference an existing entity for webhookID.');
  }
  if (entity === 'CompanyWebhookFields' && rowsOf(ctx.store, 'CompanyWebhookFields', (r) => r.webhookID === values.webhookID && r.fieldID === values.fieldID).length) {
    throw reject(`Field ${String(values.fieldID)} is already part of webhook ${String(values.webhookID)}.`); // unverified text
  }
}

export function afterWebhookChildWrite(ctx: RuleContext, entity: string, row: SimRecord): void {
  if (entity === 'CompanyWebhookFields' || entity === 'CompanyWebhookUdfFields') refreshReady(ctx.store, row.webhookID as number);
}

/** isReady: "at least one callout field must be present" [D:Webhooks/REST_WebhookFieldsEntity.htm]. */
function refreshReady(store: SimStore, webhookId: number): void {
  const w = store.get('CompanyWebhooks', webhookId);
  if (!w) return;
  const subscribed = (r: SimRecord) => r.webhookID === webhookId && r.isSubscribedField === true;
  w.isReady = rowsOf(store, 'CompanyWebhookFields', subscribed).length + rowsOf(store, 'CompanyWebhookUdfFields', subscribed).length > 0;
}

/** A company changed: queue a delivery to every webhook that wants this event. */
export function companyEvent(ctx: RuleContext, action: 'Create' | 'Update' | 'Delete', company: SimRecord, previous?: Record<string, unknown>): void {
  const store = ctx.store;
  const state = webhookState(store);
  for (const w of rowsOf(store, 'CompanyWebhooks', (r) => r.isActive === true)) {
    if (!w[`isSubscribedTo${action}Events`]) continue;
    const fields = rowsOf(store, 'CompanyWebhookFields', (r) => r.webhookID === w.id);
    const subscribed = fields.filter((f) => f.isSubscribedField === true).map((f) => fieldName(f.fieldID)).filter((n): n is string => !!n);
    const always = fields.filter((f) => f.isDisplayAlwaysField === true).map((f) => fieldName(f.fieldID)).filter((n): n is string => !!n);
    if (!subscribed.length) continue; // not ready
    const excluded = rowsOf(store, 'CompanyWebhookExcludedResources', (r) => r.webhookID === w.id).map((r) => r.resourceID);
    if (ctx.user.resourceId !== undefined && excluded.includes(ctx.user.resourceId)) continue;
    let names = subscribed;
    if (action === 'Update') {
      names = subscribed.filter((n) => JSON.stringify(previous?.[n] ?? null) !== JSON.stringify(company[n] ?? null));
      if (!names.length) continue;
    }
    const Fields: Record<string, unknown> = {};
    for (const n of new Set([...names, ...always])) Fields[n] = company[n] ?? null;
    const seq = (state.sequence.get(w.id) ?? 0) + 1;
    state.sequence.set(w.id, seq);
    const payload = { Action: action, Guid: randomUUID(), EntityType: 'Company', Id: company.id, Fields, EventTime: ctx.now(), SequenceNumber: seq, PersonID: ctx.user.resourceId ?? null };
    track(state, deliver(store, state, w.id, payload));
  }
}

function track(state: WebhookState, p: Promise<void>): void {
  state.pending.add(p);
  void p.finally(() => state.pending.delete(p));
}

async function post(url: string, body: string, secret: string | null, timeoutMs: number): Promise<{ ok: boolean; status?: number; signature: string }> {
  const signature = secret ? sign(secret, body) : '';
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(signature ? { 'X-Hook-Signature': signature } : {}) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { ok: res.status >= 200 && res.status < 300, status: res.status, signature };
  } catch {
    return { ok: false, signature };
  }
}

async function deliver(store: SimStore, state: WebhookState, webhookId: number, payload: Record<string, unknown>): Promise<void> {
  const body = autotaskJson(payload);
  for (let attempt = 1; attempt <= state.timing.attempts; attempt++) {
    const w = store.get('CompanyWebhooks', webhookId);
    if (!w || w.isActive !== true) return;
    const url = String(w.webhookUrl);
    const result = await post(url, body, (w.secretKey as string | null) ?? null, state.timing.timeoutMs);
    state.deliveries.push({ webhookId, url, body, signature: result.signature, attempt, ok: result.ok, status: result.status });
    if (result.ok) {
      state.failures.set(webhookId, 0);
      return;
    }
    const failures = (state.failures.get(webhookId) ?? 0) + 1;
    state.failures.set(webhookId, failures);
    if (failures >= state.timing.deactivateAfter) {
      await deactivate(state, w);
      return;
    }
    if (attempt < state.timing.attempts) await new Promise((r) => setTimeout(r, state.timing.retryDelayMs));
  }
}

/** Marks the webhook inactive and tells its deactivation URL (also used when it is deleted). */
async function deactivate(state: WebhookState, w: SimRecord): Promise<void> {
  w.isActive = false;
  const seq = (state.sequence.get(w.id) ?? 0) + 1;
  state.sequence.set(w.id, seq);
  const body = autotaskJson({ Action: 'Deactivated', Guid: w.webhookGUID ?? randomUUID(), EntityType: 'Company', Id: w.id, Fields: {}, EventTime: simNow(), SequenceNumber: seq, PersonID: null });
  const url = String(w.deactivationUrl);
  const result = await post(url, body, (w.secretKey as string | null) ?? null, state.timing.timeoutMs);
  state.deliveries.push({ webhookId: w.id, url, body, signature: result.signature, attempt: 1, ok: result.ok, status: result.status });
}

function remove(store: SimStore, entity: string, id: number): void {
  const t = store.table(entity);
  if (!t.rows.delete(id)) return;
  const i = t.ids.indexOf(id);
  if (i >= 0) t.ids.splice(i, 1);
}

/** DELETE routes the generic simulator lacks: `/CompanyWebhooks/{id}` and its children's `/{parentId}/{Child}/{id}` [S]. */
export function webhookRoutes(r: RuleRouter): void {
  r.route('DELETE', 'CompanyWebhooks/:id', 'CompanyWebhooks', (req, ctx) => {
    const id = Number(req.params.id);
    const w = ctx.store.get('CompanyWebhooks', id);
    if (!w) return { status: 404, body: { errors: [`CompanyWebhooks with id ${req.params.id} could not be found.`] } };
    const state = webhookState(ctx.store);
    for (const c of ['CompanyWebhookFields', 'CompanyWebhookUdfFields', 'CompanyWebhookExcludedResources']) {
      for (const row of rowsOf(ctx.store, c, (x) => x.webhookID === id)) remove(ctx.store, c, row.id);
    }
    remove(ctx.store, 'CompanyWebhooks', id);
    if (w.isActive === true) track(state, deactivate(state, w));
    return { status: 200, body: { itemId: id } };
  });
  for (const [c, entity] of [['Fields', 'CompanyWebhookFields'], ['UdfFields', 'CompanyWebhookUdfFields'], ['ExcludedResources', 'CompanyWebhookExcludedResources']]) {
    r.route('DELETE', `CompanyWebhooks/:parentId/${c}/:id`, entity, (req, ctx) => {
      const id = Number(req.params.id);
      const row = ctx.store.get(entity, id);
      if (!row || row.webhookID !== Number(req.params.parentId)) return { status: 404, body: { errors: [`${entity} with id ${req.params.id} could not be found.`] } };
      remove(ctx.store, entity, id);
      refreshReady(ctx.store, row.webhookID as number);
      return { status: 200, body: { itemId: id } };
    });
  }
}

/** Waits until every queued delivery (including retries) has finished. */
export async function webhooksIdle(store: SimStore): Promise<void> {
  const state = webhookState(store);
  while (state.pending.size) await Promise.allSettled([...state.pending]);
}
