// Every integration kind the engine knows: one line each. Nothing else in activities, workflows, the
// store or the CLI names a kind.
import { ingramIntegration } from '../distributors/ingram/definition';
import { tdSynnexIntegration } from '../distributors/td-synnex/definition';
import { webhookExportIntegration } from '../exports/webhook/definition';
import { BridgeError } from '../failures';
import { cloudBlueIntegration } from '../marketplaces/cloudblue/definition';
import { pax8Integration } from '../marketplaces/pax8/definition';
import type { IntegrationDefinition, IntegrationRole } from './definition';

/** The product's kinds, with their precise types (the sandbox names its simulator handles from them). */
export const PRODUCT_KINDS = [
  ingramIntegration,
  tdSynnexIntegration,
  pax8Integration,
  cloudBlueIntegration,
  webhookExportIntegration,
] as const;

const KINDS: IntegrationDefinition<any, any, any>[] = [...PRODUCT_KINDS];

export function integrationKinds(role?: IntegrationRole): IntegrationDefinition<any, any, any>[] {
  return role ? KINDS.filter((k) => k.role === role) : [...KINDS];
}

export function integrationKind(kind: string): IntegrationDefinition<any, any, any> {
  const found = KINDS.find((k) => k.kind === kind);
  if (!found) {
    throw new BridgeError('settings', `Unknown integration kind "${kind}" (one of ${KINDS.map((k) => k.kind).join(', ')})`, { source: 'engine' });
  }
  return found;
}

/** What is wrong with an integration's settings and secrets for its kind (empty when they fit), one line per field. */
export function integrationProblems(kind: string, settings: unknown, secrets: unknown): string[] {
  const definition = integrationKind(kind);
  const issues = [definition.settingsSchema.safeParse(settings), definition.secretsSchema.safeParse(secrets)].flatMap((r) => (r.success ? [] : r.error.issues));
  return issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`);
}

/** Adds a kind at run time (tests only; product kinds are listed above). */
export function registerIntegrationKind(definition: IntegrationDefinition<any, any, any>): void {
  const i = KINDS.findIndex((k) => k.kind === definition.kind);
  if (i >= 0) KINDS[i] = definition;
  else KINDS.push(definition);
}
