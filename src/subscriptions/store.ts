// Subscription Sync's rows: sync tasks, the Check Changes cursor, customer/product/fee mappings, the
// contract each subscription is synced to, and the write intents that make adjustments exactly once.
import { and, asc, desc, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { actionLog } from '../../db/schema/action-log';
import {
  adjustmentIntents, customerMappings, feeMappings, productMappings, subscriptionContracts, subscriptionCursors, subscriptionTasks,
  type AdjustmentIntentRow, type CustomerMappingRow, type FeeMappingRow, type IntentStatus, type ProductMappingRow, type SubscriptionContractRow,
  type SubscriptionTaskRow, type TaskState,
} from '../../db/schema/subscriptions';
import { BridgeError } from '../failures';

/** A connector's marketplace integration. */
export interface IntegrationScope {
  connectorId: string;
  integrationId: string;
}

export type NewTask = typeof subscriptionTasks.$inferInsert;
export type TaskPatch = Partial<Pick<SubscriptionTaskRow, 'state' | 'reason' | 'waitingFor' | 'contractId' | 'plan' | 'mergedEventIds'>>;
export type NewIntent = Omit<typeof adjustmentIntents.$inferInsert, 'status' | 'autotaskId' | 'createdAt' | 'sentAt'>;

const scoped = <T extends { connectorId: unknown; integrationId: unknown }>(t: T, s: IntegrationScope) =>
  and(eq(t.connectorId as never, s.connectorId), eq(t.integrationId as never, s.integrationId));

export class SubscriptionStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  // ── sync tasks ────────────────────────────────────────────────────────────

  /** Inserts tasks that do not exist yet; returns the ids of those inserted (checking twice creates nothing). */
  async insertTasks(rows: NewTask[]): Promise<string[]> {
    if (!rows.length) return [];
    const inserted = await this.db.insert(subscriptionTasks).values(rows).onConflictDoNothing().returning({ taskId: subscriptionTasks.taskId });
    return inserted.map((r) => r.taskId);
  }

  async task(s: IntegrationScope, taskId: string): Promise<SubscriptionTaskRow> {
    const [row] = await this.db.select().from(subscriptionTasks).where(and(scoped(subscriptionTasks, s), eq(subscriptionTasks.taskId, taskId)));
    if (!row) throw new BridgeError('settings', `No sync task "${taskId}" for integration ${s.integrationId} of connector ${s.connectorId}`, { source: 'engine' });
    return row;
  }

  async findTask(s: IntegrationScope, taskId: string): Promise<SubscriptionTaskRow | undefined> {
    const [row] = await this.db.select().from(subscriptionTasks).where(and(scoped(subscriptionTasks, s), eq(subscriptionTasks.taskId, taskId)));
    return row;
  }

  async updateTask(s: IntegrationScope, taskId: string, patch: TaskPatch): Promise<void> {
    await this.db.update(subscriptionTasks).set({ ...patch, updatedAt: new Date() }).where(and(scoped(subscriptionTasks, s), eq(subscriptionTasks.taskId, taskId)));
  }

  /** Tasks of a connector (optionally one integration / some states), oldest event first. */
  async tasks(filter: { connectorId: string; integrationId?: string; states?: TaskState[]; subscriptionId?: string; limit?: number }): Promise<SubscriptionTaskRow[]> {
    const where = [eq(subscriptionTasks.connectorId, filter.connectorId)];
    if (filter.integrationId) where.push(eq(subscriptionTasks.integrationId, filter.integrationId));
    if (filter.states?.length) where.push(inArray(subscriptionTasks.state, filter.states));
    if (filter.subscriptionId) where.push(eq(subscriptionTasks.subscriptionId, filter.subscriptionId));
    return this.db.select().from(subscriptionTasks).where(and(...where)).orderBy(asc(subscriptionTasks.eventCreatedAt), asc(subscriptionTasks.taskId)).limit(filter.limit ?? 1000);
  }

  /**
   * All tasks of the subscription of task `taskId` (the task too), oldest event first, in one read. None
   * when the task has no subscription or does not exist.
   */
  async subscriptionQueue(s: IntegrationScope, taskId: string, limit = 10_000): Promise<SubscriptionTaskRow[]> {
    // A scalar subquery (not IN): evaluated once, then the subscription index answers (IN may become a join
    // that scans the connector's tasks once per task where the planner has no statistics, e.g. embedded PGlite).
    const subscription = this.db.select({ id: subscriptionTasks.subscriptionId }).from(subscriptionTasks).where(and(scoped(subscriptionTasks, s), eq(subscriptionTasks.taskId, taskId)));
    return this.db.select().from(subscriptionTasks).where(and(scoped(subscriptionTasks, s), eq(subscriptionTasks.subscriptionId, sql`(${subscription})`)))
      .orderBy(asc(subscriptionTasks.eventCreatedAt), asc(subscriptionTasks.taskId)).limit(limit);
  }

  /** How many tasks are in each state. */
  async taskCounts(s: IntegrationScope): Promise<Partial<Record<TaskState, number>>> {
    const rows = await this.db.select({ state: subscriptionTasks.state, n: sql<number>`count(*)::int` }).from(subscriptionTasks).where(scoped(subscriptionTasks, s)).groupBy(subscriptionTasks.state);
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** Creation time of the newest task's marketplace order (the seed: later checks take orders after it). */
  async lastTaskEventAt(s: IntegrationScope): Promise<Date | null> {
    const [row] = await this.db.select({ at: max(subscriptionTasks.eventCreatedAt) }).from(subscriptionTasks).where(scoped(subscriptionTasks, s));
    return row?.at ?? null;
  }

  // ── Check Changes cursor ──────────────────────────────────────────────────

  async cursor(s: IntegrationScope): Promise<{ cursor: string | null; lastEventAt: Date | null; checkedAt: Date } | undefined> {
    const [row] = await this.db.select().from(subscriptionCursors).where(scoped(subscriptionCursors, s));
    return row ? { cursor: row.cursor, lastEventAt: row.lastEventAt, checkedAt: row.checkedAt } : undefined;
  }

  async saveCursor(s: IntegrationScope, cursor: string | null, lastEventAt: Date | null): Promise<void> {
    const now = new Date();
    await this.db
      .insert(subscriptionCursors)
      .values({ ...s, cursor, lastEventAt, checkedAt: now })
      .onConflictDoUpdate({ target: [subscriptionCursors.connectorId, subscriptionCursors.integrationId], set: { cursor, lastEventAt: sql`coalesce(${lastEventAt?.toISOString() ?? null}::timestamptz, ${subscriptionCursors.lastEventAt})`, checkedAt: now } });
  }

  // ── mappings ──────────────────────────────────────────────────────────────

  async customerMapping(s: IntegrationScope, marketplaceCustomerId: string): Promise<CustomerMappingRow | undefined> {
    const [row] = await this.db.select().from(customerMappings).where(and(scoped(customerMappings, s), eq(customerMappings.marketplaceCustomerId, marketplaceCustomerId)));
    return row;
  }

  async customerMappings(s: IntegrationScope): Promise<CustomerMappingRow[]> {
    return this.db.select().from(customerMappings).where(scoped(customerMappings, s)).orderBy(asc(customerMappings.marketplaceName));
  }

  /** Maps (or re-maps) a marketplace customer; clears any flag. */
  async saveCustomerMapping(row: Omit<typeof customerMappings.$inferInsert, 'createdAt' | 'updatedAt' | 'flaggedReason'>): Promise<void> {
    const now = new Date();
    const { connectorId: _c, integrationId: _i, marketplaceCustomerId: _m, ...set } = row;
    await this.db
      .insert(customerMappings)
      .values({ ...row, updatedAt: now })
      .onConflictDoUpdate({ target: [customerMappings.connectorId, customerMappings.integrationId, customerMappings.marketplaceCustomerId], set: { ...set, flaggedReason: null, updatedAt: now } });
  }

  /** Forgets a mapping (never touches Autotask). True when there was one. */
  async removeCustomerMapping(s: IntegrationScope, marketplaceCustomerId: string): Promise<boolean> {
    const rows = await this.db.delete(customerMappings).where(and(scoped(customerMappings, s), eq(customerMappings.marketplaceCustomerId, marketplaceCustomerId))).returning({ id: customerMappings.marketplaceCustomerId });
    return rows.length > 0;
  }

  /** Marks a mapping unusable (its Autotask company is gone or inactive), or clears the mark with null. */
  async flagCustomerMapping(s: IntegrationScope, marketplaceCustomerId: string, reason: string | null): Promise<void> {
    await this.db.update(customerMappings).set({ flaggedReason: reason, updatedAt: new Date() }).where(and(scoped(customerMappings, s), eq(customerMappings.marketplaceCustomerId, marketplaceCustomerId)));
  }

  async productMapping(s: IntegrationScope, marketplaceProductId: string): Promise<ProductMappingRow | undefined> {
    const [row] = await this.db.select().from(productMappings).where(and(scoped(productMappings, s), eq(productMappings.marketplaceProductId, marketplaceProductId)));
    return row;
  }

  async productMappings(s: IntegrationScope): Promise<ProductMappingRow[]> {
    return this.db.select().from(productMappings).where(scoped(productMappings, s)).orderBy(asc(productMappings.marketplaceName));
  }

  async saveProductMapping(row: Omit<typeof productMappings.$inferInsert, 'createdAt' | 'updatedAt' | 'flaggedReason'>): Promise<void> {
    const now = new Date();
    const { connectorId: _c, integrationId: _i, marketplaceProductId: _m, ...set } = row;
    await this.db
      .insert(productMappings)
      .values({ ...row, updatedAt: now })
      .onConflictDoUpdate({ target: [productMappings.connectorId, productMappings.integrationId, productMappings.marketplaceProductId], set: { ...set, flaggedReason: null, updatedAt: now } });
  }

  async removeProductMapping(s: IntegrationScope, marketplaceProductId: string): Promise<boolean> {
    const rows = await this.db.delete(productMappings).where(and(scoped(productMappings, s), eq(productMappings.marketplaceProductId, marketplaceProductId))).returning({ id: productMappings.marketplaceProductId });
    return rows.length > 0;
  }

  async flagProductMapping(s: IntegrationScope, marketplaceProductId: string, reason: string | null): Promise<void> {
    await this.db.update(productMappings).set({ flaggedReason: reason, updatedAt: new Date() }).where(and(scoped(productMappings, s), eq(productMappings.marketplaceProductId, marketplaceProductId)));
  }

  async feeMapping(s: IntegrationScope, feeKey: string): Promise<FeeMappingRow | undefined> {
    const [row] = await this.db.select().from(feeMappings).where(and(scoped(feeMappings, s), eq(feeMappings.feeKey, feeKey)));
    return row;
  }

  async feeMappings(s: IntegrationScope): Promise<FeeMappingRow[]> {
    return this.db.select().from(feeMappings).where(scoped(feeMappings, s)).orderBy(asc(feeMappings.feeKey));
  }

  async saveFeeMapping(row: Omit<typeof feeMappings.$inferInsert, 'createdAt'>): Promise<void> {
    const { connectorId: _c, integrationId: _i, feeKey: _k, ...set } = row;
    await this.db.insert(feeMappings).values(row).onConflictDoUpdate({ target: [feeMappings.connectorId, feeMappings.integrationId, feeMappings.feeKey], set });
  }

  async removeFeeMapping(s: IntegrationScope, feeKey: string): Promise<boolean> {
    const rows = await this.db.delete(feeMappings).where(and(scoped(feeMappings, s), eq(feeMappings.feeKey, feeKey))).returning({ k: feeMappings.feeKey });
    return rows.length > 0;
  }

  // ── subscription ↔ contract ───────────────────────────────────────────────

  async subscriptionContract(s: IntegrationScope, subscriptionId: string): Promise<SubscriptionContractRow | undefined> {
    const [row] = await this.db.select().from(subscriptionContracts).where(and(scoped(subscriptionContracts, s), eq(subscriptionContracts.subscriptionId, subscriptionId)));
    return row;
  }

  async subscriptionContracts(s: IntegrationScope): Promise<SubscriptionContractRow[]> {
    return this.db.select().from(subscriptionContracts).where(scoped(subscriptionContracts, s)).orderBy(asc(subscriptionContracts.subscriptionId));
  }

  /** The subscriptions synced to one service of one contract (the ties that share its contract services). */
  async subscriptionContractsOn(s: IntegrationScope, contractId: number, serviceId: number): Promise<SubscriptionContractRow[]> {
    return this.db.select().from(subscriptionContracts)
      .where(and(scoped(subscriptionContracts, s), eq(subscriptionContracts.contractId, contractId), eq(subscriptionContracts.serviceId, serviceId)))
      .orderBy(asc(subscriptionContracts.subscriptionId));
  }

  /**
   * Ties a subscription to its contract. A subscription never spans several contracts: once tied, a
   * different contract is refused (the operator unties it first by moving the subscription explicitly).
   */
  async saveSubscriptionContract(row: Omit<typeof subscriptionContracts.$inferInsert, 'createdAt' | 'updatedAt'>): Promise<void> {
    const existing = await this.subscriptionContract(row, row.subscriptionId);
    if (existing && existing.contractId !== row.contractId) {
      throw new BridgeError('validation', `Subscription ${row.subscriptionId} is already synced to contract ${existing.contractId}; one subscription cannot be synced with several contracts`, { source: 'engine' });
    }
    const now = new Date();
    await this.db
      .insert(subscriptionContracts)
      .values({ ...row, updatedAt: now })
      .onConflictDoUpdate({
        target: [subscriptionContracts.connectorId, subscriptionContracts.integrationId, subscriptionContracts.subscriptionId],
        set: { serviceId: row.serviceId, contractServiceId: row.contractServiceId ?? null, updatedAt: now },
      });
  }

  // ── write intents (exactly-once adjustments and charges) ──────────────────

  /** Records intents before anything is sent; existing keys are left as they are. */
  async recordIntents(rows: NewIntent[]): Promise<void> {
    if (rows.length) await this.db.insert(adjustmentIntents).values(rows).onConflictDoNothing();
  }

  async intents(connectorId: string, taskId: string): Promise<AdjustmentIntentRow[]> {
    return this.db.select().from(adjustmentIntents).where(and(eq(adjustmentIntents.connectorId, connectorId), eq(adjustmentIntents.taskId, taskId))).orderBy(asc(adjustmentIntents.effectiveDate), asc(adjustmentIntents.key));
  }

  async intent(key: string): Promise<AdjustmentIntentRow | undefined> {
    const [row] = await this.db.select().from(adjustmentIntents).where(eq(adjustmentIntents.key, key));
    return row;
  }

  /** Every intent already sent (or confirmed) for one contract service on one date: Autotask takes one adjustment per service and date. */
  async intentsOn(connectorId: string, contractId: number, serviceId: number, effectiveDate: string): Promise<AdjustmentIntentRow[]> {
    return this.db
      .select()
      .from(adjustmentIntents)
      .where(and(eq(adjustmentIntents.connectorId, connectorId), eq(adjustmentIntents.contractId, contractId), eq(adjustmentIntents.serviceId, serviceId), eq(adjustmentIntents.effectiveDate, effectiveDate)));
  }

  async markIntent(key: string, status: Exclude<IntentStatus, 'intended'>, autotaskId: number | null): Promise<void> {
    await this.db.update(adjustmentIntents).set({ status, autotaskId, sentAt: new Date() }).where(eq(adjustmentIntents.key, key));
  }

  /** Intents still `intended` (sent or not: unknown) — what reconciliation looks at after a crash. */
  async unsettledIntents(connectorId: string, taskId?: string): Promise<AdjustmentIntentRow[]> {
    const where = [eq(adjustmentIntents.connectorId, connectorId), eq(adjustmentIntents.status, 'intended'), isNull(adjustmentIntents.autotaskId)];
    if (taskId) where.push(eq(adjustmentIntents.taskId, taskId));
    return this.db.select().from(adjustmentIntents).where(and(...where)).orderBy(desc(adjustmentIntents.createdAt));
  }

  /** Counts by status for a connector (benchmarks: sent vs intended). */
  async intentCounts(connectorId: string): Promise<Record<IntentStatus, number>> {
    const rows = await this.db.select({ status: adjustmentIntents.status, n: sql<number>`count(*)::int` }).from(adjustmentIntents).where(eq(adjustmentIntents.connectorId, connectorId)).groupBy(adjustmentIntents.status);
    const out: Record<IntentStatus, number> = { intended: 0, sent: 0, confirmed: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  // ── action log ────────────────────────────────────────────────────────────

  async log(connectorId: string, kind: string, message: string, details: Record<string, unknown>, workflowId?: string): Promise<void> {
    await this.db.insert(actionLog).values({ connectorId, kind, message: message.slice(0, 4000), details, workflowId: workflowId ?? null });
  }
}
