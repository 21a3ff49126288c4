// Executes a page plan against Autotask. Each record's link is stored as soon as Autotask accepted
// its writes (with those of records finished within LINK_LINGER_MS), marked with the page and what
// was done, so a retried page (crash, timeout, a failed request) skips it and redoes only the rest.
// Exactly once: a create the transport cannot confirm is checked by SKU before it is repeated, and a
// retry's plan looks every unlinked SKU up first (a crash between a write and its link included).
import type { SyncCounters } from '../../db/schema/catalog';
import type { AutotaskClient } from '../autotask/client';
import { AutotaskError } from '../autotask/errors';
import { f } from '../autotask/query';
import { groupCommit, mapWithConcurrency } from '../concurrency';
import { SAMPLE_LIMIT, type PlanSamples } from './counters';
import { syncInventory, type InventoryTarget } from './inventory';
import { COUNTER_OF, DUPLICATE_SKU, mpnListedTwice, type AutotaskRecord, type PagePlan, type PlannedWrite } from './plan';
import type { LinkScope, LinkWrite, ProductSyncStore, QuarantineEntry } from './store';

/**
 * Parallel writes per page. The Autotask limiter keeps each endpoint at its 3-thread limit, and a write
 * that waits out a backoff or Retry-After holds no thread, so more writers than threads keep the
 * threads busy while some wait (a record usually needs Products and ProductVendors: 2 endpoints).
 */
const WRITE_CONCURRENCY = 12;

/** Links of records finished within this long of each other are stored in one statement (a commit each otherwise). */
const LINK_LINGER_MS = 20;
const LINK_BATCH = 100;

/** Least time between two progress reports (heartbeats) of a page, except those that must go out. */
const REPORT_EVERY_MS = 250;

export interface ApplyContext {
  scope: LinkScope;
  runId: string;
  vendorCompanyId: number;
  autotask: AutotaskClient;
  store: ProductSyncStore;
  /** Distributor stock goes to this inventory location (productSync.inventory on); see inventory.ts. */
  inventory?: InventoryTarget;
}

/** Records finished on the page (of those taken), and the writes Autotask rejected so far. */
export interface PageProgress {
  done: number;
  total: number;
  rejected: Record<string, string>;
}

export interface ApplyOptions {
  onProgress?: (progress: PageProgress) => void;
  /** Aborted (activity cancelled or timed out): no new record is started; those in flight finish. */
  signal?: AbortSignal;
}

export interface PageOutcome {
  counters: SyncCounters;
  samples: PlanSamples;
  /** SKUs taken toward the run's limit. */
  taken: number;
  /** Records to quarantine, stored with the page's checkpoint (ProductSyncStore.checkpoint). */
  quarantined: QuarantineEntry[];
}

export async function applyPlan(ctx: ApplyContext, plan: PagePlan, options: ApplyOptions = {}): Promise<PageOutcome> {
  const counters = { ...plan.settled };
  const samples = structuredClone(plan.samples);
  const quarantined: QuarantineEntry[] = [...plan.quarantined];
  const progress: PageProgress = { done: plan.taken - plan.writes.length, total: plan.taken, rejected: {} };
  // Progress goes out at most every REPORT_EVERY_MS (a heartbeat per record was 3 % of a worker's CPU),
  // and at once when a write is rejected or the writes end, however they end: a retry resumes from it.
  let reportedAt = 0;
  const report = (now = false) => {
    if (!options.onProgress || (!now && Date.now() - reportedAt < REPORT_EVERY_MS)) return;
    reportedAt = Date.now();
    options.onProgress({ ...progress, rejected: { ...progress.rejected } });
  };

  // Unchanged records are done once marked, except that inventory still writes their stock (below).
  const unchangedNow = !ctx.inventory;
  await ctx.store.markSeen(ctx.scope, ctx.runId, plan.seen, unchangedNow ? { marker: plan.marker, skus: plan.unchanged } : undefined);
  const quarantineOne = (sku: string, reason: string) => {
    counters.quarantined++;
    quarantined.push({ recordKey: sku, reason, record: null });
    if (samples.quarantined.length < SAMPLE_LIMIT) samples.quarantined.push({ sku, reason });
  };
  // A SKU another page of this run holds (a page lane got to it first) is that page's to write.
  // So is a SKU whose vendor part number another page of this run claimed under another SKU.
  const claims = await ctx.store.claimForPage(ctx.scope, ctx.runId, plan.marker, plan.writes.map((w) => ({ sku: w.sku, mpn: w.link.mpn })));
  const writes: PlannedWrite[] = [];
  for (const w of plan.writes) {
    if (claims.granted.has(w.sku)) {
      writes.push(w);
      continue;
    }
    const other = claims.mpnHeldBy.get(w.sku);
    const reason = other ? mpnListedTwice(w.link.mpn!, other) : DUPLICATE_SKU;
    quarantineOne(w.sku, reason);
    progress.rejected[w.sku] = reason;
    progress.done++;
  }
  report(true);
  // A record counts as done once its link is stored. Links go out together, LINK_LINGER_MS after the
  // first of them (or LINK_BATCH at once), and a writer moves on to its next record meanwhile.
  const storeLink = groupCommit((links: LinkWrite[]) => ctx.store.upsertLinks(ctx.scope, ctx.runId, plan.marker, links), { lingerMs: LINK_LINGER_MS, maxItems: LINK_BATCH });
  const linksStored: Promise<void>[] = [];
  let linkFailed: { error: unknown } | undefined;
  // Writes run in parallel; a record Autotask rejects is quarantined and the page goes on. Any other
  // failure (a link that could not be stored included) stops new records, lets those in flight finish
  // (and record their links), then fails the page.
  try {
    await mapWithConcurrency(writes, WRITE_CONCURRENCY, async (w) => {
      options.signal?.throwIfAborted();
      if (linkFailed) throw linkFailed.error;
      let link: LinkWrite;
      try {
        link = await write(ctx, w);
      } catch (err) {
        if (!(err instanceof AutotaskError && err.kind === 'validation')) throw err;
        const reason = `Autotask rejected the write: ${err.message}`;
        quarantineOne(w.sku, reason);
        progress.rejected[w.sku] = reason;
        // A discontinued SKU still waits for deactivation even when this update was refused.
        if (w.action === 'update' && w.link.discontinuedRunId === ctx.runId) await ctx.store.markDiscontinued(ctx.scope, ctx.runId, [w.sku]);
        // A SKU left unlinked owns no part number: another page's SKU with the same one may be written.
        if (w.action !== 'update' && w.link.mpn) await ctx.store.releaseMpnClaims(ctx.scope, plan.marker, [w.sku]);
        progress.done++;
        report(true);
        return;
      }
      linksStored.push(storeLink(link).then(() => {
        counters[COUNTER_OF[w.action]]++;
        progress.done++;
        report();
      }, (error) => {
        linkFailed ??= { error };
      }));
    });
  } finally {
    storeLink.flush();
    await Promise.all(linksStored);
    report(true);
  }
  if (linkFailed) throw linkFailed.error;

  // Stock once the page's products exist, before unchanged records are marked done (a retry redoes them).
  if (ctx.inventory) {
    const stock = Object.fromEntries(Object.entries(plan.stock).filter(([sku]) => !progress.rejected[sku]));
    quarantined.push(...(await syncInventory(ctx, stock, options.signal)).quarantined);
  }
  await ctx.store.upsertLinks(ctx.scope, ctx.runId, plan.marker, plan.relinks);
  if (!unchangedNow) await ctx.store.markProcessed(ctx.scope, plan.marker, plan.unchanged);
  return { counters, samples, taken: plan.taken, quarantined };
}

/** One record's Autotask writes; returns the link to store. */
async function write(ctx: ApplyContext, w: PlannedWrite): Promise<LinkWrite> {
  const { autotask } = ctx;
  switch (w.action) {
    case 'create': {
      const productId = await autotask.products.create(w.product, { recover: () => productIdBySku(ctx, w.sku) });
      const vendorId = await autotask.productVendors.create(productId, { vendorID: ctx.vendorCompanyId, ...w.vendor }, { recover: () => vendorRowId(ctx, productId) });
      return { ...w.link, autotaskProductId: productId, productVendorId: vendorId };
    }
    case 'adopt': {
      if (w.productPatch) await autotask.products.update({ ...w.productPatch, id: w.productId });
      const vendorId = await upsertVendor(ctx, w.productId, null, w.vendor, w.vendor);
      return { ...w.link, autotaskProductId: w.productId, productVendorId: vendorId };
    }
    case 'update': {
      if (w.productPatch) await autotask.products.update({ ...w.productPatch, id: w.productId });
      const vendorId = Object.keys(w.vendorChanges).length || !w.vendorId ? await upsertVendor(ctx, w.productId, w.vendorId, w.vendor, w.vendorChanges) : w.vendorId;
      return { ...w.link, autotaskProductId: w.productId, productVendorId: vendorId };
    }
  }
}

/** Creates or updates the distributor's ProductVendors row of a product (looked up when unknown). */
async function upsertVendor(ctx: ApplyContext, productId: number, knownId: number | null, vendor: AutotaskRecord, changes: AutotaskRecord): Promise<number> {
  let vendorId = knownId;
  if (!vendorId) {
    vendorId = await vendorRowId(ctx, productId);
    if (!vendorId) return ctx.autotask.productVendors.create(productId, { vendorID: ctx.vendorCompanyId, ...vendor }, { recover: () => vendorRowId(ctx, productId) });
    changes = vendor;
  }
  if (Object.keys(changes).length) await ctx.autotask.productVendors.update(productId, { id: vendorId, ...changes });
  return vendorId;
}

async function productIdBySku(ctx: ApplyContext, sku: string): Promise<number | null> {
  const found = await ctx.autotask.products.query(f.eq('sku', sku), { maxRecords: 1 });
  return (found.items[0] as AutotaskRecord | undefined)?.id ?? null;
}

async function vendorRowId(ctx: ApplyContext, productId: number): Promise<number | null> {
  const found = await ctx.autotask.productVendors.query([f.eq('productID', productId), f.eq('vendorID', ctx.vendorCompanyId)], { maxRecords: 1 });
  return (found.items[0] as AutotaskRecord | undefined)?.id ?? null;
}
