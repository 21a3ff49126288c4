// Product Sync's database side: product links, run checkpoints and quarantine, batched per page.
import { and, eq, getTableColumns, isNotNull, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Database } from '../../db';
import { productLinks, quarantine, syncRuns, type ProductLinkRow, type SyncCounters } from '../../db/schema/catalog';
import { chunks } from '../concurrency';
import { ZERO_COUNTERS } from './counters';

export interface LinkWrite {
  distributorSku: string;
  autotaskProductId: number;
  productVendorId: number | null;
  hash: string;
  written: Record<string, unknown>;
  isActive: boolean;
  origin: 'created' | 'adopted' | 'recovered';
  mpn: string | null;
  discontinuedRunId: string | null;
  /** Orders for the SKU must name the end user (read by order validation). */
  endUserRequired: boolean;
  /** What this page did with the SKU (see `product_links.processed_as`). */
  processedAs: 'created' | 'updated' | 'adopted' | 'unchanged';
}

/** A page's checkpoint (see `checkpoint`). */
export interface Checkpoint {
  cursor: string | null;
  /** The run's counters; with `lane`, the run's before its lanes' (each lane's latest is added). */
  counters: SyncCounters;
  pages: number;
  /** Kept as it is when not given. */
  plan?: Record<string, unknown>;
  quarantined?: QuarantineEntry[];
  /** A page lane's index and its counters so far. */
  lane?: { index: number; counters: SyncCounters };
}

export interface QuarantineEntry {
  recordKey: string;
  reason: string;
  record: unknown;
}

/** Links belong to one distributor integration of one connector. */
export interface LinkScope {
  connectorId: string;
  integrationId: string;
}

export class ProductSyncStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  private inScope(scope: LinkScope) {
    return and(eq(productLinks.connectorId, scope.connectorId), eq(productLinks.integrationId, scope.integrationId));
  }

  /**
   * Fresh planner statistics for the links table. A first sync is a bulk load: until the table is
   * analyzed the planner guesses a scope holds a handful of rows and answers "these 100 SKUs" by
   * scanning the whole scope through the MPN index, so every page costs more than the last (measured:
   * 75 ms a query at 50k links, the no-change run 6x slower at 20k than at 5k). Autovacuum would
   * analyze in time where it runs; PGlite has none in its first 5 minutes, and a server may have it off.
   */
  async analyzeLinks(): Promise<void> {
    await this.database.query(sql`analyze ${productLinks}`);
  }

  async links(scope: LinkScope, skus: string[]): Promise<Map<string, ProductLinkRow>> {
    return (await this.pageLinks(scope, skus, [])).links;
  }

  /** A page's links, and the linked SKU of each of its MPNs (one MPN under two SKUs is quarantined): one query. */
  async pageLinks(scope: LinkScope, skus: string[], mpns: string[]): Promise<{ links: Map<string, ProductLinkRow>; skusByMpn: Map<string, string> }> {
    const links = new Map<string, ProductLinkRow>();
    const skusByMpn = new Map<string, string>();
    if (!skus.length && !mpns.length) return { links, skusByMpn };
    // Raw rows (prepared by `query`), named as the row type: drizzle's mapping of 18 columns a row was 4 % of a no-change run.
    // An MPN this page's own link holds stays its own, whatever other SKU holds it too.
    const own = new Set<string>();
    for (const row of await this.database.query<ProductLinkRow>(this.pageLinksQuery(scope, skus, mpns))) {
      // A claim's row (no product yet) names its MPN for the claims of other pages only.
      const owner = row.mpn && row.autotaskProductId !== null ? row.mpn : null;
      // A row found by its MPN (another SKU's) has only its owner's columns: no `updatedAt`, which a stored link always has.
      if (row.updatedAt === null) {
        if (owner && !own.has(owner)) skusByMpn.set(owner, row.distributorSku);
        continue;
      }
      // Timestamps arrive as text on postgres.js (drizzle's driver leaves them to its own row mapping).
      row.updatedAt = new Date(row.updatedAt);
      links.set(row.distributorSku, row);
      if (owner) {
        skusByMpn.set(owner, row.distributorSku);
        own.add(owner);
      }
    }
    return { links, skusByMpn };
  }

  /**
   * The statement behind `pageLinks` (test/product-sync/statistics.test.ts checks its plan): the SKUs'
   * links, then (union all) the SKU and product of each other link holding one of the MPNs, every other
   * column null. One `sku = any(…) or mpn = any(…)` made a bitmap scan: 8.6 ms a page of 100 on PGlite
   * against 3.6 ms, and 1.2–1.9 against 1.0–1.4 ms on PostgreSQL (micro-benchmark, 20k links).
   */
  pageLinksQuery(scope: LinkScope, skus: string[], mpns: string[]): SQL {
    const bySku = sql`select ${LINK_COLUMNS} from ${productLinks} where ${and(this.inScope(scope), anyOf(productLinks.distributorSku, skus))}`;
    if (!mpns.length) return bySku;
    const others = sql`${productLinks.distributorSku} <> all(${arrayParam(skus, 'text')})`;
    return sql`${bySku} union all select ${MPN_OWNER_COLUMNS} from ${productLinks} where ${and(this.inScope(scope), anyOf(productLinks.mpn, mpns), others)}`;
  }

  /** Links (of other SKUs) that already point at these Autotask products. */
  async linksForProducts(scope: LinkScope, productIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (!productIds.length) return out;
    const rows = await this.db
      .select({ sku: productLinks.distributorSku, id: productLinks.autotaskProductId })
      .from(productLinks)
      .where(and(this.inScope(scope), anyOf(productLinks.autotaskProductId, productIds)));
    for (const r of rows) if (r.id !== null) out.set(r.id, r.sku);
    return out;
  }

  /**
   * Stores links (insert or update), each column as one array parameter: one statement text whatever
   * the number of rows (prepared once), and no per-row SQL building (drizzle's insert builder was 5 %
   * of an initial sync's main thread).
   */
  async upsertLinks(scope: LinkScope, runId: string, processedMarker: string, writes: LinkWrite[]): Promise<void> {
    for (const part of chunks(writes, 500)) {
      if (!part.length) continue;
      // Booleans go as text: postgres.js types a parameter by its first element, and a bool-typed array fails.
      const column = (pick: (w: LinkWrite) => string | number | null, type: string) => arrayParam(part.map(pick), type);
      await this.database.query(sql`
        insert into ${productLinks} (connector_id, integration_id, distributor_sku, autotask_product_id, product_vendor_id, hash, written, is_active,
          origin, mpn, end_user_required, discontinued_run_id, processed_as, last_seen_run_id, processed_run_id, updated_at)
        select ${scope.connectorId}, ${scope.integrationId}, sku, product_id, vendor_id, hash, written::jsonb, is_active::bool,
          origin, mpn, end_user_required::bool, discontinued_run_id, processed_as, ${runId}, ${processedMarker}, now()
        from unnest(${column((w) => w.distributorSku, 'text')}, ${column((w) => w.autotaskProductId, 'int')}, ${column((w) => w.productVendorId, 'int')},
          ${column((w) => w.hash, 'text')}, ${column((w) => JSON.stringify(w.written), 'text')}, ${column((w) => String(w.isActive), 'text')},
          ${column((w) => w.origin, 'text')}, ${column((w) => w.mpn, 'text')}, ${column((w) => String(w.endUserRequired), 'text')},
          ${column((w) => w.discontinuedRunId, 'text')}, ${column((w) => w.processedAs, 'text')})
          as t(sku, product_id, vendor_id, hash, written, is_active, origin, mpn, end_user_required, discontinued_run_id, processed_as)
        on conflict (connector_id, integration_id, distributor_sku) do update set
          autotask_product_id = excluded.autotask_product_id, product_vendor_id = excluded.product_vendor_id, hash = excluded.hash,
          written = excluded.written, is_active = excluded.is_active, mpn = excluded.mpn, end_user_required = excluded.end_user_required,
          discontinued_run_id = excluded.discontinued_run_id, last_seen_run_id = excluded.last_seen_run_id,
          processed_run_id = excluded.processed_run_id, processed_as = excluded.processed_as, updated_at = excluded.updated_at`);
    }
  }

  /**
   * Claims SKUs for one page of a run before their Autotask writes, and returns those it got: a SKU
   * another page of this run holds is not returned. Page lanes run at once, and a SKU listed on two of
   * their pages (a duplicate in the distributor's catalog) would otherwise be written twice, created
   * twice even: both plans saw no link. A claim clears `processed_as`, so a retried page counts the SKU
   * as finished only once its link is stored; a SKU without a link gets a row with no product yet.
   *
   * The same for vendor part numbers: a SKU whose MPN another page of this run claimed under another
   * SKU is not returned either (`mpnHeldBy` names that SKU), as a serial run quarantines the second
   * SKU of an MPN. Both pages' plans saw no link of the MPN, and both would have created (or adopted
   * the same product by its part number). No unique index can hold an MPN (linked products may share
   * one), so a run's claims take turns under a transaction lock: a claim sees every earlier one.
   */
  async claimForPage(scope: LinkScope, runId: string, processedMarker: string, writes: Array<{ sku: string; mpn?: string | null }>): Promise<{ granted: Set<string>; mpnHeldBy: Map<string, string> }> {
    const granted = new Set<string>();
    const mpnHeldBy = new Map<string, string>();
    if (!writes.length) return { granted, mpnHeldBy };
    const run = `${runId}@`;
    const claim = sql`
      with wanted as (
        select * from unnest(${arrayParam(writes.map((w) => w.sku), 'text')}, ${arrayParam(writes.map((w) => w.mpn ?? null), 'text')}) as t(sku, mpn)
      ), held as (
        select w.sku, min(o.distributor_sku) as other from wanted w
        join ${productLinks} o on o.connector_id = ${scope.connectorId} and o.integration_id = ${scope.integrationId}
          and o.mpn = w.mpn and o.distributor_sku <> w.sku
          and left(o.processed_run_id, ${run.length}::int) = ${run} and o.processed_run_id <> ${processedMarker}
        group by w.sku
      ), claimed as (
        insert into ${productLinks} (connector_id, integration_id, distributor_sku, mpn, processed_run_id)
        select ${scope.connectorId}, ${scope.integrationId}, w.sku, w.mpn, ${processedMarker} from wanted w
        where not exists (select 1 from held h where h.sku = w.sku)
        on conflict (connector_id, integration_id, distributor_sku) do update
          set processed_run_id = excluded.processed_run_id, processed_as = null, mpn = coalesce(excluded.mpn, product_links.mpn)
          where product_links.processed_run_id is null or product_links.processed_run_id = excluded.processed_run_id
            or left(product_links.processed_run_id, ${run.length}::int) <> ${run}
        returning distributor_sku as sku
      )
      select sku, null as other from claimed union all select sku, other from held`;
    const rows = writes.some((w) => w.mpn)
      ? await this.database.queryLocked<{ sku: string; other: string | null }>(`product-sync-claims:${runId}`, claim)
      : await this.database.query<{ sku: string; other: string | null }>(claim);
    for (const r of rows) {
      if (r.other) mpnHeldBy.set(r.sku, r.other);
      else granted.add(r.sku);
    }
    return { granted, mpnHeldBy };
  }

  /**
   * Gives up the MPN claims of SKUs whose create Autotask rejected (their rows have no product): a later
   * page's SKU with the same part number is then written, as a serial run's plan sees no owner of it.
   * The SKU claim stays, so a second listing of the SKU in this run is still a duplicate.
   */
  async releaseMpnClaims(scope: LinkScope, processedMarker: string, skus: string[]): Promise<void> {
    if (!skus.length) return;
    await this.db
      .update(productLinks)
      .set({ mpn: null })
      .where(and(this.inScope(scope), anyOf(productLinks.distributorSku, skus), isNull(productLinks.autotaskProductId), eq(productLinks.processedRunId, processedMarker)));
  }

  /** Records that this run handled these SKUs without writing them (unchanged). */
  markProcessed(scope: LinkScope, processedMarker: string, skus: string[]): Promise<void> {
    return this.setForSkus(scope, skus, { processedRunId: processedMarker, processedAs: 'unchanged' });
  }

  /**
   * Marks every linked SKU listed on a catalog page as seen by this run (vanished ones are not), and,
   * in the same statement, those of `unchanged` as handled by this page (what `markProcessed` does).
   */
  async markSeen(scope: LinkScope, runId: string, skus: string[], unchanged?: { marker: string; skus: string[] }): Promise<void> {
    if (!skus.length) return;
    const handled = unchanged?.skus.length ? anyOf(productLinks.distributorSku, unchanged.skus) : undefined;
    await this.db
      .update(productLinks)
      .set({
        lastSeenRunId: runId,
        ...(handled ? {
          processedRunId: sql`case when ${handled} then ${unchanged!.marker} else ${productLinks.processedRunId} end`,
          processedAs: sql`case when ${handled} then 'unchanged' else ${productLinks.processedAs} end`,
        } : {}),
      })
      .where(and(this.inScope(scope), anyOf(productLinks.distributorSku, skus)))
      .prepare(handled ? 'mark_seen_unchanged' : 'mark_seen')
      .execute();
  }

  /** Linked SKUs this run saw discontinued: deactivated in the run's final phase. */
  markDiscontinued(scope: LinkScope, runId: string, skus: string[]): Promise<void> {
    return this.setForSkus(scope, skus, { discontinuedRunId: runId });
  }

  /** The inventory item a SKU's stock was written to, and the quantity (see inventory.ts). */
  setInventory(scope: LinkScope, sku: string, written: { locationId: number; itemId: number; quantity: number }): Promise<void> {
    return this.setForSkus(scope, [sku], { inventoryLocationId: written.locationId, inventoryItemId: written.itemId, inventoryQuantity: written.quantity });
  }

  private async setForSkus(scope: LinkScope, skus: string[], values: Partial<typeof productLinks.$inferInsert>): Promise<void> {
    if (!skus.length) return;
    await this.db.update(productLinks).set(values).where(and(this.inScope(scope), anyOf(productLinks.distributorSku, skus)));
  }

  /** Active linked products this run will deactivate: discontinued now, or (after a full walk) gone from the catalog. */
  deactivationCandidates(scope: LinkScope, runId: string, includeVanished: boolean) {
    const vanished = includeVanished ? sql`${productLinks.lastSeenRunId} is distinct from ${runId}` : sql`false`;
    return and(
      this.inScope(scope),
      eq(productLinks.isActive, true),
      isNotNull(productLinks.autotaskProductId),
      or(eq(productLinks.discontinuedRunId, runId), vanished),
    );
  }

  async countDeactivations(scope: LinkScope, runId: string, includeVanished: boolean): Promise<{ candidates: number; active: number }> {
    const [c] = await this.db.select({ n: sql<number>`count(*)::int` }).from(productLinks).where(this.deactivationCandidates(scope, runId, includeVanished));
    const [a] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(productLinks)
      .where(and(this.inScope(scope), eq(productLinks.isActive, true), isNotNull(productLinks.autotaskProductId)));
    return { candidates: c?.n ?? 0, active: a?.n ?? 0 };
  }

  async deactivationBatch(scope: LinkScope, runId: string, includeVanished: boolean, limit: number): Promise<ProductLinkRow[]> {
    return this.db.select().from(productLinks).where(this.deactivationCandidates(scope, runId, includeVanished)).orderBy(productLinks.distributorSku).limit(limit);
  }

  async markDeactivated(scope: LinkScope, rows: ProductLinkRow[]): Promise<void> {
    for (const row of rows) {
      await this.db
        .update(productLinks)
        .set({ isActive: false, written: { ...(row.written ?? {}), active: false }, updatedAt: new Date() })
        .where(and(this.inScope(scope), eq(productLinks.distributorSku, row.distributorSku)));
    }
  }

  // ---- runs ----

  async beginRun(scope: LinkScope, runId: string, dryRun: boolean): Promise<{ resumed: boolean; cursor: string | null; counters: SyncCounters; otherRunning?: string }> {
    const [existing] = await this.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    if (existing) {
      // The run's counters already hold its lanes' so far; the resumed run's lanes count from zero.
      if (existing.laneCounters) await this.db.update(syncRuns).set({ laneCounters: null }).where(eq(syncRuns.id, runId));
      return { resumed: true, cursor: existing.cursor, counters: existing.counters };
    }
    // One writing run per connector at a time (a manual run and a scheduled one must not interleave).
    if (!dryRun) {
      const [other] = await this.db
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(and(eq(syncRuns.connectorId, scope.connectorId), eq(syncRuns.integrationId, scope.integrationId), eq(syncRuns.status, 'running'), eq(syncRuns.dryRun, false), sql`${syncRuns.startedAt} > now() - interval '1 day'`));
      if (other) return { resumed: false, cursor: null, counters: ZERO_COUNTERS, otherRunning: other.id };
    }
    await this.db.insert(syncRuns).values({ id: runId, ...scope, dryRun, counters: ZERO_COUNTERS }).onConflictDoNothing();
    return { resumed: false, cursor: null, counters: ZERO_COUNTERS };
  }

  /**
   * The run's position after a page, and the page's quarantined records, in one statement: a page
   * whose checkpoint did not land is done again and quarantines its records again, so both land or
   * neither does (as two statements, such a retry stored its quarantine rows twice).
   */
  async checkpoint(runId: string, at: Checkpoint): Promise<void> {
    const { cursor, counters, pages, plan, quarantined = [], lane } = at;
    // One array parameter per column (one statement text, prepared, whatever the count); the
    // connector comes from the run's row.
    const records = quarantined.map((e) => (e.record === null || e.record === undefined ? null : JSON.stringify(truncateRecord(e.record))));
    await this.database.query(sql`
      with stored as (
        insert into ${quarantine} (connector_id, run_id, template, record_key, reason, record)
        select r.connector_id, r.id, 'product-sync', t.record_key, t.reason, t.record::jsonb
        from ${syncRuns} r, unnest(${arrayParam(quarantined.map((e) => e.recordKey), 'text')}, ${arrayParam(quarantined.map((e) => e.reason.slice(0, 2000)), 'text')}, ${arrayParam(records, 'text')})
          as t(record_key, reason, record)
        where r.id = ${runId}
      )
      update ${syncRuns} set cursor = ${cursor}, pages = ${pages}::int, plan = coalesce(${plan === undefined ? null : JSON.stringify(plan)}::jsonb, plan),
        ${lane ? laneCountersSet(counters, lane) : sql`counters = ${JSON.stringify(counters)}::jsonb`}
      where id = ${runId}`);
  }

  async finishRun(runId: string, status: string, counters: SyncCounters, message?: string, plan?: Record<string, unknown>): Promise<void> {
    await this.db.update(syncRuns).set({ status, counters, message: message ?? null, finishedAt: new Date(), ...(plan ? { plan } : {}) }).where(eq(syncRuns.id, runId));
  }

  async run(runId: string) {
    const [row] = await this.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    return row;
  }
}

/** Every column of `product_links` under its row type's name (`<value> as "distributorSku"`, ...), each value chosen by `value`. */
function linkColumns(value: (key: string, column: AnyColumn) => string): SQL {
  return sql.raw(Object.entries(getTableColumns(productLinks)).map(([key, column]) => `${value(key, column)} as "${key}"`).join(', '));
}

const LINK_COLUMNS = linkColumns((_, column) => `"${column.name}"`);

/** The same columns for a link found by its MPN: only what names its owner, the rest null (typed, for the union). */
const OWNER_KEYS = new Set(['distributorSku', 'mpn', 'autotaskProductId']);
const MPN_OWNER_COLUMNS = linkColumns((key, column) => (OWNER_KEYS.has(key) ? `"${column.name}"` : `null::${column.getSQLType()}`));

/**
 * `column = any($1)` with the values as one array parameter. drizzle's `inArray` makes a parameter
 * of each value, and building those statements took a fifth of a no-change run's main thread.
 */
function anyOf(column: AnyColumn, values: string[] | number[]): SQL {
  return sql`${column} = any(${arrayParam(values, column.getSQLType())})`;
}

/** Values as one array parameter of SQL type `type[]`. */
function arrayParam(values: Array<string | number | null>, type: string): SQL {
  return sql`${sql.param(values)}::${sql.raw(type)}[]`;
}

/**
 * Page lanes checkpoint at once, each knowing only its own progress: a lane stores its counters under
 * its index, and the run's counters become the base plus every lane's latest. Both are computed from
 * the row as updated (not a snapshot read before), so concurrent lanes lose none of each other's.
 */
function laneCountersSet(base: SyncCounters, lane: { index: number; counters: SyncCounters }): SQL {
  const lanes = sql`jsonb_set(coalesce(${syncRuns.laneCounters}, '{}'::jsonb), array[${String(lane.index)}::text], ${JSON.stringify(lane.counters)}::jsonb)`;
  return sql`lane_counters = ${lanes}, counters = (
    select jsonb_object_agg(b.key, b.value::bigint + coalesce((select sum((l.c ->> b.key)::bigint) from jsonb_each(${lanes}) as l(i, c)), 0))
    from jsonb_each_text(${JSON.stringify(base)}::jsonb) as b(key, value))`;
}

function truncateRecord(record: unknown): unknown {
  const text = JSON.stringify(record ?? null);
  return text.length > 20_000 ? { truncated: text.slice(0, 20_000) } : record;
}
