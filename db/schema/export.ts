// The customer export's state (seed 003): one row per Autotask company and contract an export target
// has seen, with the hash and version of its current document and what was delivered, so an
// unchanged record is never re-sent and a failed delivery waits in the dead-letter list (state
// `dead`) for `export retry`; and per target its polling cursors and the Autotask webhook it owns.
// No foreign keys: drizzle-kit writes them schema-qualified (see connectors.ts).
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export type ExportRecordKind = 'customer' | 'contract';
/** `none`: nothing to send (not an active customer, or that sync type is off); `pending`: being sent; `dead`: dead letter. */
export type ExportRecordState = 'none' | 'pending' | 'delivered' | 'dead';

export const exportRecords = pgTable(
  'export_records',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    kind: text('kind').$type<ExportRecordKind>().notNull(),
    /** The Autotask company or contract id. */
    recordId: integer('record_id').notNull(),
    companyId: integer('company_id').notNull(),
    /** Customer rows: the company's name and whether it is an active customer now (contracts read them). */
    companyName: text('company_name'),
    active: boolean('active').notNull().default(false),
    /** Hash of the record's current document (empty: none yet). */
    hash: text('hash').notNull().default(''),
    /** Type of the current document (`customer.upserted`, `customer.deactivated`, `contract.upserted`). */
    docType: text('doc_type'),
    /** Bumped each time the hash changes: the idempotency key is per version. */
    version: integer('version').notNull().default(0),
    deliveredVersion: integer('delivered_version').notNull().default(0),
    state: text('state').$type<ExportRecordState>().notNull().default('none'),
    /** The document being sent or dead-lettered (cleared once delivered). */
    document: jsonb('document'),
    lastError: text('last_error'),
    attempts: integer('attempts').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.connectorId, t.integrationId, t.kind, t.recordId] }),
    index('export_records_company_idx').on(t.connectorId, t.integrationId, t.companyId),
    index('export_records_state_idx').on(t.connectorId, t.integrationId, t.state),
  ],
);
export type ExportRecordRow = typeof exportRecords.$inferSelect;

export const exportTargets = pgTable(
  'export_targets',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    /** Polling cursors: the newest change date seen (Autotask's own clock), read again with `gte`. */
    companiesSince: text('companies_since'),
    contractsSince: text('contracts_since'),
    /** Set once the first full pass completed: until then every run is a full pass. */
    fullPassAt: timestamp('full_pass_at', { withTimezone: true }),
    /** The CompanyWebhook activation created, and its secret key (sealed with the key ring). */
    webhookId: integer('webhook_id'),
    webhookSecret: text('webhook_secret'),
    webhookUrl: text('webhook_url'),
    webhookStatus: text('webhook_status'),
    webhookCheckedAt: timestamp('webhook_checked_at', { withTimezone: true }),
    /** When Autotask called the deactivation URL (cleared when the webhook is re-enabled). */
    webhookDeactivatedAt: timestamp('webhook_deactivated_at', { withTimezone: true }),
    /** Hash of the export settings of the last pass: a change (e.g. a sync type turned on) makes the next pass a full one. */
    settingsHash: text('settings_hash'),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastRunSummary: text('last_run_summary'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.integrationId] })],
);
export type ExportTargetRow = typeof exportTargets.$inferSelect;
