// The template registry: one line per template. Pure: the connector workflow reads it too.
import { customerExportTemplate } from './customer-export';
import { getOrderStatusTemplate } from './get-order-status';
import { productSyncTemplate } from './product-sync';
import { submitOrderTemplate } from './submit-order';
import { subscriptionSyncTemplate } from './subscription-sync';
import type { ConnectorSettings } from '../connector/settings';
import type { AutotaskAccess, TemplateDefinition } from './template';

export * from './template';

const TEMPLATES: TemplateDefinition[] = [productSyncTemplate, submitOrderTemplate, getOrderStatusTemplate, subscriptionSyncTemplate, customerExportTemplate];

export function templates(): TemplateDefinition[] {
  return [...TEMPLATES].sort((a, b) => a.order - b.order);
}

export function findTemplate(name: string): TemplateDefinition | undefined {
  return TEMPLATES.find((t) => t.name === name);
}

export function templateNames(): string[] {
  return templates().map((t) => t.name);
}

/**
 * Adds a template at load time. Product templates are listed above; a test registers a throw-away
 * one from its own tree (its module is imported by the test's workflow bundle and process).
 */
export function registerTemplate(t: TemplateDefinition): void {
  const i = TEMPLATES.findIndex((x) => x.name === t.name);
  if (i >= 0) TEMPLATES[i] = t;
  else TEMPLATES.push(t);
}

/** Everything the templates need from the API user, merged (the activation permission check). */
export function requiredAccess(settings?: ConnectorSettings): Record<string, AutotaskAccess[]> {
  const out: Record<string, Set<AutotaskAccess>> = {};
  for (const t of TEMPLATES) {
    const access = [t.access, ...(settings && t.settingsAccess ? [t.settingsAccess(settings)] : [])];
    for (const part of access) for (const [entity, actions] of Object.entries(part)) for (const a of actions) (out[entity] ??= new Set()).add(a);
  }
  return Object.fromEntries(Object.entries(out).map(([e, s]) => [e, [...s]]));
}

/** Key of one template instance (a template for one integration). */
export function instanceKey(template: string, integrationId: string): string {
  return integrationId ? `${template}@${integrationId}` : template;
}
