// Subscription Sync state that outlives a task workflow: customer, product and fee mappings per
// marketplace integration, the sync tasks Check Changes created (one per marketplace order), the
// contract each subscription is synced to, the marketplace cursor, and one intent per Autotask write
// (adjustment or charge) so a write whose answer was lost is reconciled, never sent twice.
// No foreign keys: drizzle-kit writes them schema-qualified (see connectors.ts).
import { index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** How a mapping was made. */
export type MappedBy = 'operator' | 'import' | 'task' | 'created';

/** Marketplace customer ↔ Autotask company. */
export const customerMappings = pgTable(
  'customer_mappings',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    marketplaceCustomerId: text('marketplace_customer_id').notNull(),
    marketplaceName: text('marketplace_name').notNull(),
    companyId: integer('company_id').notNull(),
    companyName: text('company_name').notNull(),
    mappedBy: text('mapped_by').$type<MappedBy>().notNull(),
    /** Set when the Autotask company was found deleted or inactive: the mapping is not used until fixed. */
    flaggedReason: text('flagged_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.integrationId, t.marketplaceCustomerId] }), index('customer_mappings_company_idx').on(t.connectorId, t.companyId)],
);

/** Marketplace product (plan) ↔ Autotask Service. */
export const productMappings = pgTable(
  'product_mappings',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    /** The marketplace plan id (the product id where the marketplace has no plans). */
    marketplaceProductId: text('marketplace_product_id').notNull(),
    marketplaceName: text('marketplace_name').notNull(),
    serviceId: integer('service_id').notNull(),
    serviceName: text('service_name').notNull(),
    mappedBy: text('mapped_by').$type<MappedBy>().notNull(),
    flaggedReason: text('flagged_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.integrationId, t.marketplaceProductId] })],
);

/** A marketplace fee (e.g. `cancellation`, or `cancellation:<product id>`) ↔ what Autotask bills it as. */
export const feeMappings = pgTable(
  'fee_mappings',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    feeKey: text('fee_key').notNull(),
    /** The charge's billing code (Autotask requires one on a contract charge). */
    billingCodeId: integer('billing_code_id').notNull(),
    /** The charge's name in Autotask. */
    chargeName: text('charge_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.integrationId, t.feeKey] })],
);

export const TASK_TYPES = ['sales', 'change', 'billing', 'cancellation'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/**
 * pending: created, not looked at yet · action_required: waits for an operator's decision ·
 * planned: plan ready, waits for `sync` (automatic off) · syncing: writing · synced: done ·
 * error: a permanent failure, reason kept · ignored: the operator said so.
 */
export const TASK_STATES = ['pending', 'action_required', 'planned', 'syncing', 'synced', 'error', 'ignored'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** One marketplace order (or billing record) to bring into Autotask. */
export const subscriptionTasks = pgTable(
  'subscription_tasks',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    /** Deterministic from the marketplace event id; also the task workflow's id suffix. */
    taskId: text('task_id').notNull(),
    eventId: text('event_id').notNull(),
    /** Later same-day events of the same subscription folded into this task (Autotask takes one adjustment per service and date). */
    mergedEventIds: jsonb('merged_event_ids').$type<string[]>().notNull().default([]),
    type: text('type').$type<TaskType>().notNull(),
    state: text('state').$type<TaskState>().notNull().default('pending'),
    /** Why it waits or failed, in words an operator acts on. */
    reason: text('reason'),
    /** What decision it waits for: `customer`, `product`, `contract`, `fee`. */
    waitingFor: text('waiting_for'),
    customerId: text('customer_id').notNull(),
    subscriptionId: text('subscription_id'),
    productId: text('product_id'),
    effectiveDate: text('effective_date').notNull(),
    /** The normalised marketplace event (without `raw`). */
    event: jsonb('event').$type<Record<string, unknown>>().notNull(),
    contractId: integer('contract_id'),
    /** The last plan (what would be / was written). */
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    eventCreatedAt: timestamp('event_created_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectorId, t.integrationId, t.taskId] }),
    index('subscription_tasks_state_idx').on(t.connectorId, t.state),
    index('subscription_tasks_subscription_idx').on(t.connectorId, t.integrationId, t.subscriptionId),
  ],
);

/** The contract (and contract service) a marketplace subscription is synced to: one subscription, one contract. */
export const subscriptionContracts = pgTable(
  'subscription_contracts',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    contractId: integer('contract_id').notNull(),
    serviceId: integer('service_id').notNull(),
    contractServiceId: integer('contract_service_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.integrationId, t.subscriptionId] })],
);

export type IntentKind = 'adjustment' | 'charge' | 'service';
/** intended: recorded before sending · sent: Autotask answered with an id · confirmed: found by reconciliation after a lost answer. */
export type IntentStatus = 'intended' | 'sent' | 'confirmed';

/** One Autotask write of a task, keyed deterministically, recorded before it is sent. */
export const adjustmentIntents = pgTable(
  'adjustment_intents',
  {
    key: text('key').primaryKey(),
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    taskId: text('task_id').notNull(),
    kind: text('kind').$type<IntentKind>().notNull(),
    contractId: integer('contract_id').notNull(),
    serviceId: integer('service_id'),
    contractServiceId: integer('contract_service_id'),
    /** yyyy-mm-dd */
    effectiveDate: text('effective_date').notNull(),
    unitChange: integer('unit_change'),
    /** Units of the service on `effectiveDate` before this write: with unitChange, what reconciliation looks for. */
    unitsBefore: integer('units_before'),
    unitPrice: numeric('unit_price', { mode: 'number' }),
    unitCost: numeric('unit_cost', { mode: 'number' }),
    /** Charges: quantity and the billing period they cover. */
    quantity: numeric('quantity', { mode: 'number' }),
    period: text('period'),
    status: text('status').$type<IntentStatus>().notNull().default('intended'),
    /** The created record's id (adjustment: the response's itemId; charge: the ContractCharges id). */
    autotaskId: integer('autotask_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('adjustment_intents_task_idx').on(t.connectorId, t.taskId), index('adjustment_intents_service_idx').on(t.contractId, t.serviceId, t.effectiveDate)],
);

/** Where Check Changes goes on from, per marketplace integration. */
export const subscriptionCursors = pgTable(
  'subscription_cursors',
  {
    connectorId: text('connector_id').notNull(),
    integrationId: text('integration_id').notNull(),
    cursor: text('cursor'),
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.integrationId] })],
);

export type CustomerMappingRow = typeof customerMappings.$inferSelect;
export type ProductMappingRow = typeof productMappings.$inferSelect;
export type FeeMappingRow = typeof feeMappings.$inferSelect;
export type SubscriptionTaskRow = typeof subscriptionTasks.$inferSelect;
export type SubscriptionContractRow = typeof subscriptionContracts.$inferSelect;
export type AdjustmentIntentRow = typeof adjustmentIntents.$inferSelect;
