// Connectors (one Autotask database + settings) and their integrations (distributors, marketplaces,
// export targets), activation checks and templates. Credentials are sealed with the engine's key ring, never in clear.
// No foreign keys: drizzle-kit writes them schema-qualified ("public"."…"), which would tie the
// migrations to one PostgreSQL schema (DATABASE_SCHEMA and the tests use others).
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const CONNECTOR_STATUSES = ['not_connected', 'connected', 'error', 'disabled'] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];

/** Template names come from the registry (src/templates); stored as text. */
export type TemplateName = string;

export const connectors = pgTable('connectors', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status').$type<ConnectorStatus>().notNull().default('not_connected'),
  statusMessage: text('status_message'),
  autotaskEmail: text('autotask_email').notNull(),
  /** Sealed JSON `{ userName, secret, integrationCode }`. */
  autotaskCredentials: text('autotask_credentials').notNull(),
  /** Manual zone URL; overrides discovery. */
  autotaskZoneUrl: text('autotask_zone_url'),
  /** Discovery host (tests and sandbox point it at the simulator). */
  autotaskDiscoveryUrl: text('autotask_discovery_url'),
  discoveredZoneUrl: text('discovered_zone_url'),
  autotaskResourceId: text('autotask_resource_id'),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One distributor, marketplace or export target of a connector. */
export const integrations = pgTable(
  'integrations',
  {
    connectorId: text('connector_id').notNull(),
    id: text('id').notNull(),
    kind: text('kind').notNull(),
    role: text('role').notNull(),
    /** Non-secret settings, shaped by the kind's settings schema. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    /** Sealed JSON of the kind's secrets. */
    secrets: text('secrets').notNull(),
    /** The integration as an Autotask vendor company (distributors; found at activation). */
    vendorCompanyId: integer('vendor_company_id'),
    vendorCompanyName: text('vendor_company_name'),
    status: text('status').$type<ConnectorStatus>().notNull().default('not_connected'),
    statusMessage: text('status_message'),
    checks: jsonb('checks').$type<Array<{ check: string; ok: boolean; message: string }>>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.id] })],
);

export const connectorChecks = pgTable(
  'connector_checks',
  {
    connectorId: text('connector_id').notNull(),
    check: text('check').notNull(),
    ok: boolean('ok').notNull(),
    message: text('message').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.check] })],
);

export const connectorTemplates = pgTable(
  'connector_templates',
  {
    connectorId: text('connector_id').notNull(),
    template: text('template').$type<TemplateName>().notNull(),
    /** The integration the template runs for ('' for a template that needs none). */
    integrationId: text('integration_id').notNull().default(''),
    enabled: boolean('enabled').notNull().default(false),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastRunStatus: text('last_run_status'),
    lastCompletedAt: timestamp('last_completed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.template, t.integrationId] })],
);

export type ConnectorRow = typeof connectors.$inferSelect;
export type ConnectorCheckRow = typeof connectorChecks.$inferSelect;
export type IntegrationRow = typeof integrations.$inferSelect;
export type ConnectorTemplateRow = typeof connectorTemplates.$inferSelect;
