// Order lifecycle state: one link per Autotask purchase order (client PO number, distributor
// order ids, lifecycle state, what was last written back), and the PO created for a won
// opportunity (so a retried "from opportunity" never creates a second PO).
// No foreign keys: drizzle-kit writes them schema-qualified (see connectors.ts).
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** One PO line as submitted: our line number ↔ the Autotask PO item ↔ the distributor SKU. */
export interface OrderLinkLine {
  lineNumber: string;
  purchaseOrderItemId: number;
  productId: number;
  distributorSku: string;
  quantity: number;
}

/** What the distributor said per line at submission (rejected lines never reach an order). */
export interface SubmittedLineOutcome {
  lineNumber: string;
  accepted: boolean;
  distributorOrderId: string | null;
  reason: string | null;
}

/** Values last written to Autotask, so a write-back sends only what changed. */
export interface WrittenSnapshot {
  po: Record<string, unknown>;
  items: Record<string, Record<string, unknown>>;
  /** Quantity received into Autotask per PO item id. */
  received: Record<string, number>;
}

export const orderLinks = pgTable(
  'order_links',
  {
    connectorId: text('connector_id').notNull(),
    purchaseOrderId: integer('purchase_order_id').notNull(),
    /** The distributor integration the PO goes to. */
    integrationId: text('integration_id').notNull(),
    purchaseOrderNumber: text('purchase_order_number'),
    /** Our PO number at the distributor, derived from the Autotask PO (the exactly-once key). */
    clientPoNumber: text('client_po_number').notNull(),
    /** Lifecycle state (OrderState). */
    state: text('state').notNull(),
    distributorOrderIds: jsonb('distributor_order_ids').$type<string[]>().notNull().default([]),
    /** The distributor's own status text, per order. */
    lastStatus: text('last_status'),
    lines: jsonb('lines').$type<OrderLinkLine[]>().notNull().default([]),
    /** The order as validated (OrderInput), sent by the submit step. */
    orderInput: jsonb('order_input').$type<Record<string, unknown>>(),
    submitted: jsonb('submitted').$type<SubmittedLineOutcome[]>(),
    written: jsonb('written').$type<WrittenSnapshot>(),
    trigger: text('trigger'),
    opportunityId: integer('opportunity_id'),
    lastError: text('last_error'),
    workflowId: text('workflow_id'),
    submitAttemptedAt: timestamp('submit_attempted_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
    /** When every live line was first seen shipped: the start of the bounded wait for the invoice. */
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.connectorId, t.purchaseOrderId] }),
    uniqueIndex('order_links_client_po_idx').on(t.connectorId, t.clientPoNumber),
    index('order_links_state_idx').on(t.connectorId, t.state),
  ],
);

export const opportunityOrders = pgTable(
  'opportunity_orders',
  {
    connectorId: text('connector_id').notNull(),
    opportunityId: integer('opportunity_id').notNull(),
    /** Written on the PO (externalPONumber) before its id is known, to find it after a crash. */
    marker: text('marker').notNull(),
    purchaseOrderId: integer('purchase_order_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.opportunityId] })],
);

export type OrderLinkRow = typeof orderLinks.$inferSelect;
export type OpportunityOrderRow = typeof opportunityOrders.$inferSelect;
