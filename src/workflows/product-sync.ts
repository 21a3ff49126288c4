// Product Sync: one run per schedule tick (or `autotask-bridge sync catalog`). Pages through the
// distributor catalog, writes what changed to Autotask, checkpoints after every page, and continues
// as new when history grows. Deactivations come last, behind a guard an operator may have to approve.
// With page lanes (productSync.parallelPages) several page activities run at once, so several
// workers share one run; the Autotask limiter keeps each endpoint to its 3 threads across them all.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import { addCounters, emptySamples, mergeSamples, ZERO_COUNTERS } from '../product-sync/counters';
import { approveDeactivationUpdate, progressQuery, type PageLane, type ProductSyncInput, type ProductSyncResult, type ProductSyncState } from './messages/product-sync';
import { integrationOfRun, reportTemplateRun } from './template-run';
import {
  BridgeConnector, BridgeCreated, BridgeProcessed, BridgeQuarantined, BridgeStatus, BridgeTemplate, BridgeUnchanged, BridgeUpdated,
} from './search-attributes';

export * from './messages/product-sync';

const short = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes } });

export async function productSyncWorkflow(input: ProductSyncInput): Promise<ProductSyncResult> {
  const pages = proxyActivities<Activities>({
    startToCloseTimeout: '30 minutes',
    // Page activities heartbeat every 5 s (src/activities/heartbeat.ts): a dead worker is noticed in 15 s.
    heartbeatTimeout: input.heartbeatTimeout ?? '15 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '2 minutes', nonRetryableErrorTypes },
  });
  const { connectorId } = input;
  const dryRun = !!input.dryRun;
  const info = workflowInfo();
  const state: ProductSyncState = input.state ?? {
    runId: info.workflowId,
    integrationId: input.integrationId ?? '',
    status: 'running',
    cursor: null,
    pages: 0,
    counters: { ...ZERO_COUNTERS },
    samples: emptySamples(),
    endOfCatalog: false,
    limitReached: false,
    limit: 0,
  };

  setHandler(progressQuery, () => state);
  setHandler(
    approveDeactivationUpdate,
    ({ approve }) => {
      state.deactivation!.approved = approve;
      return state;
    },
    {
      validator: (_decision) => {
        if (state.status !== 'awaiting_approval') throw new Error(`Nothing to approve: this Product Sync run is ${state.status}`);
      },
    },
  );

  const publish = () =>
    upsertSearchAttributes([
      { key: BridgeConnector, value: connectorId },
      { key: BridgeTemplate, value: 'product-sync' },
      { key: BridgeStatus, value: state.status },
      { key: BridgeProcessed, value: state.counters.processed },
      { key: BridgeCreated, value: state.counters.created },
      { key: BridgeUpdated, value: state.counters.updated },
      { key: BridgeUnchanged, value: state.counters.unchanged },
      { key: BridgeQuarantined, value: state.counters.quarantined },
    ]);

  try {
    if (!input.state) {
      state.integrationId ||= await integrationOfRun(input, 'distributor');
      const begun = await short.beginProductSync({ connectorId, integrationId: state.integrationId, runId: state.runId, dryRun });
      if (begun.otherRunning) {
        state.status = 'skipped';
        state.message = `Another Product Sync run (${begun.otherRunning}) is still writing for this connector`;
        publish();
        return state;
      }
      state.cursor = begun.cursor;
      state.counters = begun.counters;
      state.limit = begun.limit;
      if (begun.lanes && begun.lanes.length > 1) state.lanes = begun.lanes.map((cursor) => ({ cursor, ended: false, counters: { ...ZERO_COUNTERS } }));
    }
    publish();

    // Only runs begun with lanes take this path, so histories from before it replay unchanged.
    if (state.lanes && patched('parallel-pages')) {
      if (await readLanes(state.lanes)) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof productSyncWorkflow>({ ...input, state });
      }
    }

    while (!state.endOfCatalog && !state.limitReached) {
      const r = await pages.syncCatalogPages({ connectorId, integrationId: state.integrationId, runId: state.runId, dryRun, cursor: state.cursor, runCounters: state.counters, runPages: state.pages });
      state.cursor = r.cursor;
      state.pages += r.pages;
      state.endOfCatalog = r.endOfCatalog;
      state.limitReached = r.limitReached;
      state.counters = addCounters(state.counters, r.counters);
      state.samples = mergeSamples(state.samples, r.samples);
      publish();
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof productSyncWorkflow>({ ...input, state });
      }
    }

    // Products gone from the catalog count only when the whole catalog was read.
    const includeVanished = state.endOfCatalog;
    const plan = await short.planDeactivations({ connectorId, integrationId: state.integrationId, runId: state.runId, includeVanished });
    const share = plan.active ? plan.candidates / plan.active : 0;
    state.deactivation = { candidates: plan.candidates, active: plan.active, share, guardShare: plan.guardShare };
    state.samples.deactivations = plan.samples;
    if (plan.candidates > 0 && !dryRun) {
      if (share > plan.guardShare) {
        state.status = 'awaiting_approval';
        state.message = `This run would deactivate ${plan.candidates} of ${plan.active} products (${pct(share)} > ${pct(plan.guardShare)}): approve or reject with \`autotask-bridge sync approve\``;
        publish();
        await condition(() => state.deactivation?.approved !== undefined);
      } else {
        state.deactivation.approved = true;
      }
      if (state.deactivation.approved) {
        state.status = 'deactivating';
        publish();
        const { deactivated } = await pages.deactivateProducts({ connectorId, integrationId: state.integrationId, runId: state.runId, includeVanished });
        state.counters.deactivated += deactivated;
      }
    }
    state.status = dryRun ? 'dry_run' : 'completed';
    state.message = summary(state);
    await short.finishProductSync({ connectorId, integrationId: state.integrationId, runId: state.runId, status: state.status, counters: state.counters, message: state.message, dryRun, samples: state.samples });
    publish();
    await report(state);
    return state;
  } catch (err) {
    state.status = 'failed';
    state.message = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
    await short.finishProductSync({ connectorId, integrationId: state.integrationId, runId: state.runId, status: 'failed', counters: state.counters, message: state.message, dryRun }).catch(() => undefined);
    publish();
    await report(state);
    throw ApplicationFailure.nonRetryable(`Product Sync failed: ${state.message}`, 'product-sync-failed', state);
  }

  /**
   * Every lane loops over its page activities until it ends; results are added as they come. True when
   * history asks to continue as new (each lane stops after its current activity; the lanes' cursors carry over).
   */
  async function readLanes(lanes: PageLane[]): Promise<boolean> {
    let renew = false;
    await Promise.all(lanes.map(async (lane, index) => {
      while (!lane.ended && !renew && !state.limitReached) {
        const cursors = lanes.map((l) => (l.ended ? null : l.cursor));
        const counters = lanes.map((l) => l.counters ?? ZERO_COUNTERS);
        const r = await pages.syncCatalogPages({ connectorId, integrationId: state.integrationId, runId: state.runId, dryRun, cursor: lane.cursor, runCounters: state.counters, runPages: state.pages, lane: { index, cursors, counters } });
        lane.cursor = r.cursor;
        lane.ended = r.endOfCatalog;
        lane.counters = addCounters(lane.counters ?? ZERO_COUNTERS, r.counters);
        state.pages += r.pages;
        state.limitReached ||= r.limitReached;
        state.counters = addCounters(state.counters, r.counters);
        state.samples = mergeSamples(state.samples, r.samples);
        publish();
        if (workflowInfo().continueAsNewSuggested) renew = true;
      }
    }));
    // Vanished products are deactivated only when every lane read its part of the catalog.
    state.endOfCatalog = lanes.every((l) => l.ended);
    return renew && !state.endOfCatalog && !state.limitReached;
  }

  async function report(s: ProductSyncState): Promise<void> {
    if (dryRun) return;
    await reportTemplateRun(connectorId, { template: 'product-sync', integrationId: s.integrationId, status: s.status === 'completed' ? 'completed' : 'failed', at: new Date().toISOString(), summary: s.message });
  }
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function summary(s: ProductSyncState): string {
  const c = s.counters;
  const deact = s.deactivation?.approved === false ? `, deactivation of ${s.deactivation.candidates} rejected` : '';
  return `${c.processed} processed: ${c.created} created, ${c.updated} updated, ${c.adopted} adopted, ${c.unchanged} unchanged, ${c.deactivated} deactivated, ${c.quarantined} quarantined, ${c.skipped} skipped${deact}${s.limitReached ? ` (selection limit ${s.limit} reached)` : ''}`;
}
