// Product Sync activities: each reads catalog pages, writes Autotask and the product links, and
// returns only a cursor and counters (pages of rows never travel through Temporal). Every page is
// checkpointed in the database and in the heartbeat, and every record inside a page in its link
// and in the heartbeat (done / total), so a retried activity redoes only what did not finish.
import { activityInfo, cancellationSignal } from '@temporalio/activity';
import { beat } from './heartbeat';
import type { SyncCounters } from '../../db/schema/catalog';
import type { ConnectorClientCache } from '../connector/clients';
import type { ConnectorStore } from '../connector/store';
import { ahead, mapWithConcurrency } from '../concurrency';
import { addCounters, emptySamples, mergeSamples, scaleCounters, ZERO_COUNTERS, type PlanSamples } from '../product-sync/counters';
import type { PageProgress } from '../product-sync/apply';
import { checkDistinctLocationNames, findOrCreateLocation, inventoryLocationName, type InventoryTarget } from '../product-sync/inventory';
import { processPage, readAhead, type PageContext, type PageRead } from '../product-sync/page';
import type { Checkpoint, LinkScope, ProductSyncStore } from '../product-sync/store';
import type { AutotaskClient } from '../autotask/client';
import type { ProductSyncSettings } from '../connector/settings';
import { BridgeError } from '../failures';
import { integrationKind } from '../integrations/registry';

export interface CatalogActivityDeps {
  clients: ConnectorClientCache;
  connectors: ConnectorStore;
  sync: ProductSyncStore;
}

export interface SyncPagesInput {
  connectorId: string;
  integrationId: string;
  runId: string;
  dryRun: boolean;
  cursor: string | null;
  /** The run's counters so far (their `processed` counts toward the selection limit). */
  runCounters: SyncCounters;
  /** The run's pages so far (absent in histories from before it: the checkpoint then counts this activity's). */
  runPages?: number;
  /**
   * A page lane (productSync.parallelPages): its index, and every lane's next cursor (null: ended) and
   * counters of its finished activities when this one was scheduled (counters absent in histories from before them).
   */
  lane?: { index: number; cursors: Array<string | null>; counters?: SyncCounters[] };
}

export interface SyncPagesResult {
  cursor: string | null;
  /** Counters of this call only. */
  counters: SyncCounters;
  pages: number;
  samples: PlanSamples;
  /** The catalog walk reached its end. */
  endOfCatalog: boolean;
  /** The selection limit was reached before the end of the catalog. */
  limitReached: boolean;
}

interface Progress {
  cursor: string | null;
  counters: SyncCounters;
  pages: number;
  processed: number;
  samples: PlanSamples;
  endOfCatalog: boolean;
  /** The page in progress (the one at `cursor`): records done of those taken, and writes Autotask rejected. */
  page?: PageProgress & { cursor: string | null };
}

export function createCatalogActivities({ clients, connectors, sync }: CatalogActivityDeps) {
  async function pageContext(scope: LinkScope, runId: string, dryRun: boolean): Promise<PageContext & { limit: number; pagesPerActivity: number; pageActivityMs: number }> {
    const { connector, autotask, distributor, vendorCompanyId, vendorName } = await clients.distributor(scope.connectorId, scope.integrationId);
    const settings = connector.settings.productSync;
    if (!vendorCompanyId) throw new BridgeError('settings', `${vendorName} (integration ${scope.integrationId}) has no Autotask vendor company: run \`autotask-bridge reconnect\``, { source: scope.integrationId });
    if (!settings.billingCodeId) throw new BridgeError('settings', `Connector ${scope.connectorId} has no billing code for products: set productSync.billingCodeId or run \`autotask-bridge reconnect\``, { source: 'autotask' });
    // A dry run writes nothing, so it neither needs nor creates the inventory location.
    const inventory = settings.inventory.enabled && !dryRun ? (await inventoryLocation(scope, settings, autotask)).target : undefined;
    return { scope, runId, dryRun, settings, vendorCompanyId, billingCodeId: settings.billingCodeId, autotask, distributor, store: sync, inventory, limit: settings.selection.limit, pagesPerActivity: settings.pagesPerActivity, pageActivityMs: settings.pageActivitySeconds * 1000 };
  }

  /**
   * The integration's inventory location (productSync.inventory), found by name or created: at activation,
   * and by Product Sync when the setting was turned on since.
   */
  async function inventoryLocation(scope: LinkScope, settings: ProductSyncSettings, autotask: AutotaskClient): Promise<{ target: InventoryTarget; created: boolean }> {
    const distributors = (await connectors.integrations(scope.connectorId)).filter((i) => i.role === 'distributor').map((i) => ({ id: i.id, label: integrationKind(i.kind).label }));
    checkDistinctLocationNames(settings.inventory, distributors);
    const me = distributors.find((d) => d.id === scope.integrationId);
    if (!me) throw new BridgeError('settings', `Connector ${scope.connectorId} has no distributor integration "${scope.integrationId}"`, { source: 'engine' });
    const name = inventoryLocationName(settings.inventory, me);
    const found = (await findOrCreateLocation(autotask, name, true))!;
    return { target: { locationId: found.id, locationName: name, distributor: me.label }, created: found.created };
  }
  /**
   * The lanes' first cursors, or undefined for one lane: when the distributor cannot jump pages, or
   * the selection limit might bind (lanes race, so which records fall under the limit would depend
   * on timing). The first page's total says; a catalog that does not give one is read in one lane.
   */
  async function laneStarts(scope: LinkScope, lanes: number, limit: number, from: string | null): Promise<string[] | undefined> {
    const { distributor } = await clients.distributor(scope.connectorId, scope.integrationId);
    if (!distributor.laneCursor || !distributor.laneResume) return undefined;
    const first = await distributor.fetchProductPage(null);
    if (first.totalRecords === undefined || first.totalRecords >= limit) return undefined;
    return Array.from({ length: lanes }, (_, lane) => distributor.laneCursor!(lane, lanes, from));
  }
  /**
   * Where a retried page activity resumes: its last heartbeat, or the run's checkpoint in sync_runs when
   * that is further on (Temporal throttles heartbeats; every page is checkpointed). Lanes share the run's
   * checkpoint, and histories from before `runPages` cannot tell theirs apart, so they resume from the heartbeat.
   */
  async function resumePoint(input: SyncPagesInput, heartbeat: Progress | undefined): Promise<Progress | undefined> {
    if (activityInfo().attempt === 1 || input.lane || input.runPages === undefined) return heartbeat;
    const run = await sync.run(input.runId);
    const pages = (run?.pages ?? 0) - input.runPages;
    if (!run || pages <= (heartbeat?.pages ?? 0)) return heartbeat;
    const counters = addCounters(run.counters, scaleCounters(input.runCounters, -1));
    return { cursor: run.cursor, counters, pages, processed: run.counters.processed, samples: heartbeat?.samples ?? emptySamples(), endOfCatalog: run.cursor === null };
  }
  const scopeOf = (input: { connectorId: string; integrationId: string }): LinkScope => ({ connectorId: input.connectorId, integrationId: input.integrationId });

  return {
    /** Activation: the distributor's inventory location when productSync.inventory is on (found by name first, never a second one). */
    async ensureInventoryLocation(input: { connectorId: string; integrationId: string }): Promise<string> {
      const { connector, autotask } = await clients.get(input.connectorId);
      const settings = connector.settings.productSync;
      if (!settings.inventory.enabled) return 'Distributor stock is not written to Autotask inventory (productSync.inventory.enabled is off)';
      const { target, created } = await inventoryLocation(scopeOf(input), settings, autotask);
      return `${created ? 'Created' : 'Found'} inventory location "${target.locationName}" (id ${target.locationId}): its items carry ${target.distributor}'s quantity on hand of linked products`;
    },

    /** Opens (or resumes) the run; `lanes` are the page lanes' first cursors when the catalog is read in several (absent: one). */
    async beginProductSync(input: { connectorId: string; integrationId: string; runId: string; dryRun: boolean }): Promise<{ cursor: string | null; counters: SyncCounters; otherRunning?: string; limit: number; lanes?: string[] }> {
      const connector = await connectors.get(input.connectorId);
      if (connector.status !== 'connected' && !input.dryRun) {
        throw new BridgeError('state', `Connector ${input.connectorId} is ${connector.status}: Product Sync needs a connected connector`, { source: 'engine' });
      }
      const begun = await sync.beginRun(scopeOf(input), input.runId, input.dryRun);
      const settings = connector.settings.productSync;
      const lanes = begun.otherRunning || input.dryRun || settings.parallelPages < 2 ? undefined : await laneStarts(scopeOf(input), settings.parallelPages, settings.selection.limit, begun.cursor);
      return { cursor: begun.cursor, counters: begun.counters, otherRunning: begun.otherRunning, limit: settings.selection.limit, ...(lanes ? { lanes } : {}) };
    },

    async syncCatalogPages(input: SyncPagesInput): Promise<SyncPagesResult> {
      const ctx = await pageContext(scopeOf(input), input.runId, input.dryRun);
      // A lane runs only when the catalog is smaller than the limit (laneStarts), and sees only its own share of it.
      if (input.lane) ctx.limit = Number.POSITIVE_INFINITY;
      // A retry continues after the last page the previous attempt finished.
      const resumed = await resumePoint(input, activityInfo().heartbeatDetails as Progress | undefined);
      const progress: Progress = resumed ?? { cursor: input.cursor, counters: { ...ZERO_COUNTERS }, pages: 0, processed: input.runCounters.processed, samples: emptySamples(), endOfCatalog: false };
      // Whether to take another page is decided as a page starts, so the one read ahead is never wasted.
      const deadline = Date.now() + ctx.pageActivityMs;
      let next: Promise<PageRead> | undefined;
      let takeNext = true;
      while (takeNext && !progress.endOfCatalog && progress.processed < ctx.limit) {
        const { page, prices } = await (next ?? { page: await ctx.distributor.fetchProductPage(progress.cursor) });
        takeNext = progress.pages + 1 < ctx.pagesPerActivity && Date.now() < deadline;
        // The next page and its prices are read while this one is planned and written, so the distributor's
        // answer time hides behind the rest. A failure surfaces when that page's turn comes (or never).
        next = page.nextCursor !== null && takeNext ? ahead(readAhead(ctx, page.nextCursor, ctx.limit - progress.processed)) : undefined;
        // Records the last attempt finished are known from their links; its rejections only from its heartbeat.
        const rejected = progress.page?.cursor === page.cursor ? progress.page.rejected : undefined;
        const outcome = await processPage(ctx, page, ctx.limit - progress.processed, { rejected, prices }, {
          signal: cancellationSignal(),
          onProgress: (p) => beat({ ...progress, page: { ...p, cursor: page.cursor } } satisfies Progress),
        });
        progress.page = undefined;
        const linkedBefore = linkedBy(input.runCounters) + linkedBy(progress.counters);
        progress.counters = addCounters(progress.counters, outcome.counters);
        progress.samples = mergeSamples(progress.samples, outcome.samples);
        progress.processed += outcome.taken;
        progress.pages++;
        progress.cursor = page.nextCursor;
        progress.endOfCatalog = page.nextCursor === null;
        // Operators see the run's totals in sync_runs; the heartbeat is what a retry resumes from.
        await sync.checkpoint(input.runId, {
          cursor: checkpointCursor(ctx, input, progress.cursor),
          ...checkpointCounters(input, progress.counters),
          pages: (input.runPages ?? 0) + progress.pages,
          plan: input.dryRun ? { samples: progress.samples } : undefined,
          quarantined: outcome.quarantined,
        });
        beat(progress);
        // After the checkpoint: a failed ANALYZE retries the activity from the next page, not this one.
        if (statisticsDue(linkedBefore, linkedBefore + linkedBy(outcome.counters))) await sync.analyzeLinks();
      }
      return {
        cursor: progress.cursor,
        counters: progress.counters,
        pages: progress.pages,
        samples: progress.samples,
        endOfCatalog: progress.endOfCatalog,
        limitReached: !progress.endOfCatalog && progress.processed >= ctx.limit,
      };
    },

    /** How many products this run would deactivate, against how many are active. */
    async planDeactivations(input: { connectorId: string; integrationId: string; runId: string; includeVanished: boolean }): Promise<{ candidates: number; active: number; guardShare: number; samples: PlanSamples['deactivations'] }> {
      const connector = await connectors.get(input.connectorId);
      const { candidates, active } = await sync.countDeactivations(scopeOf(input), input.runId, input.includeVanished);
      const sample = await sync.deactivationBatch(scopeOf(input), input.runId, input.includeVanished, 10);
      return {
        candidates,
        active,
        guardShare: connector.settings.productSync.deactivationGuardShare,
        samples: sample.map((r) => ({ sku: r.distributorSku, productId: r.autotaskProductId!, reason: r.discontinuedRunId === input.runId ? 'discontinued' : 'no longer listed' })),
      };
    },

    async deactivateProducts(input: { connectorId: string; integrationId: string; runId: string; includeVanished: boolean }): Promise<{ deactivated: number }> {
      const { autotask } = await clients.get(input.connectorId);
      let deactivated = (activityInfo().heartbeatDetails as number | undefined) ?? 0;
      for (;;) {
        // Each batch leaves the candidate set once written, so a retry simply continues.
        const batch = await sync.deactivationBatch(scopeOf(input), input.runId, input.includeVanished, 100);
        if (!batch.length) return { deactivated };
        await mapWithConcurrency(batch, 3, (row) => autotask.products.update({ id: row.autotaskProductId!, isActive: false }));
        await sync.markDeactivated(scopeOf(input), batch);
        deactivated += batch.length;
        beat(deactivated);
      }
    },

    async finishProductSync(input: { connectorId: string; integrationId: string; runId: string; status: string; counters: SyncCounters; message?: string; dryRun: boolean; samples?: PlanSamples }): Promise<void> {
      await sync.finishRun(input.runId, input.status, input.counters, input.message, input.samples ? { samples: input.samples } : undefined);
      if (!input.dryRun) await connectors.recordTemplateRun(input.connectorId, 'product-sync', input.integrationId, input.status, input.status === 'completed');
    },
  };
}

/** Links a run added: created and adopted products. */
const linkedBy = (c: SyncCounters) => c.created + c.adopted;

/** A bulk load is re-analyzed each time the links it added double, from 1,000 on (7 times up to 100k, ~0.1 s each). */
export function statisticsDue(before: number, after: number): boolean {
  const step = (n: number) => (n < 1000 ? -1 : Math.floor(Math.log2(n / 1000)));
  return step(after) > step(before);
}

/**
 * The run's counters in sync_runs: its counters when this activity was scheduled plus this one's. A lane
 * stores its own (its finished activities' plus this one's), and the run's become those before the
 * lanes plus every lane's latest, so the row counts what the other lanes did meanwhile too.
 */
function checkpointCounters(input: SyncPagesInput, progress: SyncCounters): Pick<Checkpoint, 'counters' | 'lane'> {
  const lanes = input.lane?.counters;
  if (!input.lane || !lanes) return { counters: addCounters(input.runCounters, progress) };
  const base = lanes.reduce((c, lane) => addCounters(c, scaleCounters(lane, -1)), input.runCounters);
  return { counters: base, lane: { index: input.lane.index, counters: addCounters(lanes[input.lane.index] ?? ZERO_COUNTERS, progress) } };
}

/**
 * The run's cursor in sync_runs, where `beginRun` resumes an interrupted run. In a lane, the page below
 * which every lane is done, from this lane's cursor and the others' as they were when this activity was
 * scheduled (they only move on since): lanes overwrite each other's checkpoint, but each one is safe,
 * and a resumed run redoes at most the pages the other lanes did past it (their records come out unchanged).
 */
function checkpointCursor(ctx: PageContext, input: SyncPagesInput, cursor: string | null): string | null {
  if (!input.lane || !ctx.distributor.laneResume) return cursor;
  const cursors = input.lane.cursors.map((c, i) => (i === input.lane!.index ? cursor : c));
  return ctx.distributor.laneResume(cursors);
}
