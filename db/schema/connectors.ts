// Connectors (one Autotask database + one distributor account + settings), their activation
// checks and their templates. Credentials are sealed with the engine's key ring, never in clear.
// No foreign keys: drizzle-kit writes them schema-qualified ("public"."…"), which would tie the
// migrations to one PostgreSQL schema (DATABASE_SCHEMA and the tests use others).
import { boolean, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const CONNECTOR_STATUSES = ['not_connected', 'connected', 'error', 'disabled'] as const;
export type ConnectorStatus = (typeof CONNECTOR_STATUSES)[number];

export const TEMPLATES = ['product-sync', 'submit-order', 'get-order-status'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

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
  distributorKind: text('distributor_kind').notNull(),
  /** Non-secret distributor settings (base URL, customer number, country). */
  distributorSettings: jsonb('distributor_settings').$type<Record<string, unknown>>().notNull().default({}),
  /** Sealed JSON of the distributor's secrets. */
  distributorCredentials: text('distributor_credentials').notNull(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

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
    enabled: boolean('enabled').notNull().default(false),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastRunStatus: text('last_run_status'),
    lastCompletedAt: timestamp('last_completed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.template] })],
);

export type ConnectorRow = typeof connectors.$inferSelect;
export type ConnectorCheckRow = typeof connectorChecks.$inferSelect;
export type ConnectorTemplateRow = typeof connectorTemplates.$inferSelect;
