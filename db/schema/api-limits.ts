// Autotask's limits are per integration code and per database, not per process, so every worker
// of a deployment coordinates through these two tables (see src/autotask/README.md).
import { doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per busy thread slot: (endpoint key, slot 0..limit-1). Expired rows are free to take. */
export const apiLeases = pgTable(
  'api_leases',
  {
    key: text('key').notNull(),
    slot: integer('slot').notNull(),
    holder: text('holder').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.slot] })],
);

/** Token bucket per Autotask database, plus the last usage ThresholdInformation reported. */
export const apiBudgets = pgTable('api_budgets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  capacity: doublePrecision('capacity').notNull(),
  /** Tokens added per second. */
  rate: doublePrecision('rate').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  observedUsed: integer('observed_used'),
  observedLimit: integer('observed_limit'),
  observedAt: timestamp('observed_at', { withTimezone: true }),
});

export type ApiLeaseRow = typeof apiLeases.$inferSelect;
export type ApiBudgetRow = typeof apiBudgets.$inferSelect;
