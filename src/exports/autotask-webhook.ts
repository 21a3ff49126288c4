// The Autotask side of the export's webhooks: a CompanyWebhook calling our receiver on create, on an
// update of a field the documents use (isActive and companyType included, so inactive → active and
// a type change arrive) and on delete, with our own API user excluded so our writes don't echo
// (notes/contracts-and-marketplaces.md). Activation creates it; every polling pass checks it and
// re-enables it when Autotask deactivated it (after 25 failed deliveries in a row).
import { createHash, randomBytes } from 'node:crypto';
import type { AutotaskClient } from '../autotask/client';
import { AutotaskError } from '../autotask/errors';
import { f } from '../autotask/query';
import { openString, sealString } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';
import type { ExportScope, ExportStore } from './store';

/** Company fields whose change can change a document (REST names). */
export const WEBHOOK_FIELDS = [
  'companyName', 'companyType', 'isActive', 'phone', 'alternatePhone1', 'alternatePhone2', 'fax', 'address1', 'address2',
  'additionalAddressInformation', 'city', 'state', 'postalCode', 'countryID', 'webAddress',
];

/** `Name` is at most 50 characters: a short stable hash of the scope keeps it unique per target. */
export function webhookName(scope: ExportScope): string {
  return `autotask-bridge export ${createHash('sha256').update(`${scope.connectorId}\u0000${scope.integrationId}`).digest('hex').slice(0, 12)}`;
}

export function receiverUrls(base: string, scope: ExportScope): { webhookUrl: string; deactivationUrl: string } {
  const root = base.replace(/\/+$/, '');
  const tail = `${encodeURIComponent(scope.connectorId)}/${encodeURIComponent(scope.integrationId)}`;
  return { webhookUrl: `${root}/autotask/webhook/${tail}`, deactivationUrl: `${root}/autotask/deactivated/${tail}` };
}

/** Field labels may be REST names (`companyName`) or display names (`Company Name`): compared without case and spaces. */
const norm = (s: string) => s.replace(/[\s_]/g, '').toLowerCase();

export interface WebhookDeps {
  autotask: AutotaskClient;
  store: ExportStore;
  ring: KeyRing;
  /** The API user's username and the connector's e-mail: how our own resource is found. */
  apiUsername: string;
  email: string;
}

/** Creates, repairs or re-enables the target's CompanyWebhook; returns what it found or did. */
export async function ensureCompanyWebhook(deps: WebhookDeps, scope: ExportScope, receiverBase: string): Promise<string> {
  const { autotask, store } = deps;
  const target = await store.target(scope);
  const urls = receiverUrls(receiverBase, scope);
  const name = webhookName(scope);
  let secret = target?.webhookSecret ? openString(deps.ring, target.webhookSecret) : undefined;
  let hook = target?.webhookId ? await autotask.companyWebhooks.get(target.webhookId) : null;
  hook ??= (await autotask.companyWebhooks.query(f.eq('name', name), { maxRecords: 5 })).items[0] ?? null;
  const done: string[] = [];
  if (!hook) {
    secret = randomBytes(32).toString('base64url');
    const id = await autotask.companyWebhooks.create({
      name, ...urls, secretKey: secret, isActive: true,
      isSubscribedToCreateEvents: true, isSubscribedToUpdateEvents: true, isSubscribedToDeleteEvents: true,
      notificationEmailAddress: deps.email, sendThresholdExceededNotification: true,
    });
    hook = (await autotask.companyWebhooks.get(id))!;
    done.push(`created CompanyWebhook ${id}`);
  } else {
    const patch: Record<string, unknown> = {};
    if (!secret) patch.secretKey = secret = randomBytes(32).toString('base64url'); // the key is not readable back: set a new one
    if (hook.webhookUrl !== urls.webhookUrl || hook.deactivationUrl !== urls.deactivationUrl) Object.assign(patch, urls);
    if (hook.isActive !== true) patch.isActive = true;
    if (Object.keys(patch).length) {
      await autotask.companyWebhooks.update({ id: hook.id, ...patch });
      done.push(patch.isActive ? `re-enabled CompanyWebhook ${hook.id} (Autotask had deactivated it)` : `updated CompanyWebhook ${hook.id}`);
    }
  }
  done.push(...(await ensureFields(autotask, hook.id)));
  done.push(...(await ensureExcluded(deps, hook.id)));
  await store.updateTarget(scope, {
    webhookId: hook.id, webhookSecret: sealString(deps.ring, secret!), webhookUrl: urls.webhookUrl, webhookStatus: 'active', webhookCheckedAt: new Date(), webhookDeactivatedAt: null,
  });
  return done.length ? `CompanyWebhook ${hook.id}: ${done.join('; ')}` : `CompanyWebhook ${hook.id} is active and complete`;
}

async function ensureFields(autotask: AutotaskClient, webhookId: number): Promise<string[]> {
  const info = await autotask.metadata.field('CompanyWebhookFields', 'fieldID');
  const ids = new Map((info?.picklistValues ?? []).map((p) => [norm(p.label ?? ''), Number(p.value)]));
  const existing = new Set((await autotask.companyWebhookFields.forParent(webhookId)).filter((x) => x.isSubscribedField).map((x) => x.fieldID));
  const added: string[] = [];
  const unknown: string[] = [];
  for (const field of WEBHOOK_FIELDS) {
    const id = ids.get(norm(field));
    if (id === undefined) unknown.push(field);
    else if (!existing.has(id)) {
      await autotask.companyWebhookFields.create(webhookId, { fieldID: id, isSubscribedField: true, isDisplayAlwaysField: false });
      added.push(field);
    }
  }
  return [...(added.length ? [`subscribed ${added.length} field(s)`] : []), ...(unknown.length ? [`fields not offered by this database: ${unknown.join(', ')}`] : [])];
}

async function ensureExcluded(deps: WebhookDeps, webhookId: number): Promise<string[]> {
  const excluded = await deps.autotask.companyWebhookExcludedResources.forParent(webhookId);
  if (excluded.length) return [];
  const resourceId = await ownResource(deps);
  if (resourceId === undefined) return ['our API user has no resource to exclude: our own writes may echo back (harmless: unchanged records are not re-sent)'];
  await deps.autotask.companyWebhookExcludedResources.create(webhookId, { resourceID: resourceId });
  return [`excluded our API user (resource ${resourceId})`];
}

async function ownResource(deps: WebhookDeps): Promise<number | undefined> {
  const user = deps.apiUsername;
  for (const filter of [f.eq('userName', user), f.eq('userName', user.split('@')[0]), f.eq('email', deps.email)]) {
    try {
      const found = (await deps.autotask.resources.query(filter, { maxRecords: 1 })).items[0];
      if (found) return found.id;
    } catch (err) {
      if (!(err instanceof AutotaskError && err.kind === 'validation')) throw err;
    }
  }
  return undefined;
}
