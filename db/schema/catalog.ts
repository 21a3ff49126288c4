// Product Sync state: the link from a distributor SKU to its Autotask product (with the hash of
// what we last wrote), each run's counters and checkpoint, and quarantined records.
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const productLinks = pgTable(
  'product_links',
  {
    connectorId: text('connector_id').notNull(),
    /** The distributor integration whose SKU this is. */
    integrationId: text('integration_id').notNull(),
    distributorSku: text('distributor_sku').notNull(),
    autotaskProductId: integer('autotask_product_id'),
    productVendorId: integer('product_vendor_id'),
    /** Hash of the fields we write; equal hash → nothing to write. */
    hash: text('hash'),
    /** The product, vendor and UDF values last written, so an update sends only what changed. */
    written: jsonb('written').$type<Record<string, unknown>>(),
    isActive: boolean('is_active').notNull().default(true),
    /** Orders for this SKU must name the end user (licences, digital products): recorded by Product Sync so validation needs no distributor call. */
    endUserRequired: boolean('end_user_required').notNull().default(false),
    /** `created` or `adopted` (an existing Autotask product matched by the configured key). */
    origin: text('origin').notNull().default('created'),
    mpn: text('mpn'),
    /** Sync run that last saw this SKU in the catalog; older → vanished. */
    lastSeenRunId: text('last_seen_run_id'),
    /** `runId@pageCursor` that last handled this SKU: the same SKU on another page of one run is a duplicate. */
    processedRunId: text('processed_run_id'),
    /** What that page did with the SKU (`created`, `updated`, `adopted`, `unchanged`): a retried page counts it without redoing it. */
    processedAs: text('processed_as'),
    /** Set when a run saw the SKU discontinued: deactivation waits for the run's final phase (and its guard). */
    discontinuedRunId: text('discontinued_run_id'),
    /**
     * The distributor's stock as last written to Autotask's Inventory (productSync.inventory): the item's
     * location and id, and the quantity on hand it was set to. A run writes only when the quantity differs.
     */
    inventoryLocationId: integer('inventory_location_id'),
    inventoryItemId: integer('inventory_item_id'),
    inventoryQuantity: integer('inventory_quantity'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectorId, t.integrationId, t.distributorSku] }),
    index('product_links_product_idx').on(t.connectorId, t.autotaskProductId),
    // Each page asks which linked SKU already has an MPN: without this a sync is quadratic.
    index('product_links_mpn_idx').on(t.connectorId, t.integrationId, t.mpn),
  ],
);

export interface SyncCounters {
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  adopted: number;
  deactivated: number;
  quarantined: number;
  skipped: number;
}

export const syncRuns = pgTable(
  'sync_runs',
  {
    id: text('id').primaryKey(),
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    status: text('status').notNull().default('running'),
    cursor: text('cursor'),
    pages: integer('pages').notNull().default(0),
    counters: jsonb('counters').$type<SyncCounters>().notNull(),
    /** With page lanes: each lane's counters so far, by lane index (`counters` adds them up). */
    laneCounters: jsonb('lane_counters').$type<Record<string, SyncCounters>>(),
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    message: text('message'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('sync_runs_connector_idx').on(t.connectorId, t.integrationId, t.startedAt)],
);

export const quarantine = pgTable(
  'quarantine',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    connectorId: text('connector_id').notNull(),
    runId: text('run_id').notNull(),
    template: text('template').notNull(),
    recordKey: text('record_key').notNull(),
    reason: text('reason').notNull(),
    record: jsonb('record'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quarantine_run_idx').on(t.runId)],
);

export type ProductLinkRow = typeof productLinks.$inferSelect;
export type SyncRunRow = typeof syncRuns.$inferSelect;
