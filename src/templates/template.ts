// What a template declares, once: name and label, the integration role it needs, its workflow type
// and id, its schedule, the Autotask access it requires and its prerequisites. The connector
// workflow, schedules, `start --once`, `status` and the permission check all read the registry.
// Pure: workflows import it.
import type { ConnectorSettings } from '../connector/settings';
import type { IntegrationRole } from '../integrations/definition';

export type AutotaskAccess = 'query' | 'create' | 'update';

export interface TemplateSchedule {
  /** Calendar times (daily at hour:minute in `timezone`). */
  calendars?: Array<{ hour: number; minute: number }>;
  /** Or a fixed interval. */
  everyMinutes?: number;
  timezone?: string;
  /** How far back missed runs are caught up, e.g. `6 hours`. */
  catchupWindow: string;
}

/** What every template workflow is started with. */
export interface TemplateRunInput {
  connectorId: string;
  /** '' for a template that needs no integration. */
  integrationId: string;
  trigger?: 'schedule' | 'manual';
}

export interface TemplateDefinition {
  name: string;
  label: string;
  /** Position in `status` and the recommended enabling order. */
  order: number;
  /** The integration role it runs for; null: the connector's Autotask database alone. */
  role: IntegrationRole | null;
  workflowType: string;
  workflowId(connectorId: string, integrationId: string): string;
  /** From the connector's settings, or (templates of an integration) that integration's own settings; `integrationId` names it ('' for none). */
  schedule(settings: ConnectorSettings, integrationSettings?: Record<string, unknown>, integrationId?: string): TemplateSchedule;
  /** Autotask entities and actions the API user needs (the permission check). */
  access: Record<string, AutotaskAccess[]>;
  /** More it needs when some setting is on (Product Sync's inventory), checked for a connector with those settings. */
  settingsAccess?: (settings: ConnectorSettings) => Record<string, AutotaskAccess[]>;
  /** Templates (same integration) that must have completed once before this one may be enabled. */
  prerequisites: string[];
  /** Said when a prerequisite is missing. */
  prerequisiteHint?: string;
}

export function defineTemplate(t: TemplateDefinition): TemplateDefinition {
  return t;
}
