// One workflow per Autotask purchase order (`order/<connector>/<PO id>`): Submit Order, then Get
// Order Status. awaiting_submission → validated → submitted → processing → backordered /
// partially_shipped → shipped → delivered / closed, or rejected / cancelled / error.
//
// Only orchestration here: validation, the exactly-once submit (link → distributor lookup by our
// PO number → submit) and each poll's write-back are activities. Polling backs off while nothing
// changes; `distributorEvent` (a webhook, when a distributor offers them) polls at once. A
// permanent failure parks the order in `error` (reason in the action log and in Autotask) until
// an operator sends `retryOrder`. A shipped order whose invoice never comes is closed by the poll
// after `invoiceWaitMs` (setting `orders.invoiceWaitDays`): tracking always ends.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import { isTerminal, type OrderLifecycleInput, type OrderState, type OrderTiming, type OrderView, type SubmitOutcome } from '../orders/types';
import {
  cancelOrderUpdate, distributorEventSignal, orderQuery, retryOrderUpdate, submitOrderUpdate, submitSignal, type CancelRequest,
} from './messages/orders';
import { BridgeConnector, BridgeDistributorOrderId, BridgePoNumber, BridgeStatus, BridgeTemplate } from './search-attributes';

const DEFAULT_TIMING: OrderTiming = { pollInitialMs: 300_000, pollMaxMs: 3_600_000, pollBackoff: 2, trackUntil: 'closed' };
/** Continue as new well before Temporal's suggestion on long-tracked orders (cheap replays). */
const MAX_HISTORY_EVENTS = 1_000;

export async function orderLifecycleWorkflow(input: OrderLifecycleInput): Promise<OrderView> {
  const { connectorId, purchaseOrderId, integrationId } = input;
  const workflowId = workflowInfo().workflowId;
  const carry = input.carry;
  const view: OrderView = carry?.view ?? {
    connectorId, purchaseOrderId, purchaseOrderNumber: null, clientPoNumber: null, state: 'awaiting_submission', distributorOrderIds: [],
    lastStatus: null, lastError: null, problems: [], lines: [], polls: 0, lastPolledAt: null, trigger: input.trigger,
  };
  let timing: OrderTiming = carry?.timing ?? { ...DEFAULT_TIMING, ...input.timing };
  let delayMs = carry?.delayMs ?? timing.pollInitialMs;
  let submitRequested = carry?.submitRequested ?? (input.trigger === 'schedule' || input.trigger === 'opportunity');
  let retryRequested = false;
  /** Retry requests made and served: a retry answers with the step that took it up, not one already under way. */
  let retryTickets = 0;
  let retryServed = 0;
  let serving = 0;
  let pollNow = false;
  let cancelRequest: CancelRequest | null = null;
  let cancelResult: { error?: string } | null = null;
  /** Submission attempts finished: what a waiting submit update watches. */
  let attempts = 0;
  let done = false;
  /** A validation/submission is under way (a submit request then just waits for its outcome). */
  let submitting = false;
  /** The scan's copy of the PO: for the first validation only (a retry reads the PO as fixed). */
  let scanned = carry ? undefined : input.scanned;

  const timeout = input.activityTimeoutMs ?? 120_000;
  const retry = { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: [...nonRetryableErrorTypes, 'order-state'] };
  // Order activities heartbeat while they run (src/activities/heartbeat.ts): a worker that dies mid-step
  // is noticed after the heartbeat timeout, not after the whole start-to-close timeout. 15 s is three
  // keep-alive beats (every 5 s); only the options of activities scheduled from now on change.
  const heartbeatTimeout = Math.min(timeout, 15_000);
  const acts = proxyActivities<Activities>({ startToCloseTimeout: timeout, heartbeatTimeout, retry });
  const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: timeout, heartbeatTimeout, retry: { ...retry, maximumAttempts: 5 } });

  // ---- messages ------------------------------------------------------------------------------
  setHandler(orderQuery, () => view);
  setHandler(submitSignal, () => {
    if (!view.distributorOrderIds.length && view.state !== 'cancelled' && !submitting) submitRequested = true;
  });
  setHandler(distributorEventSignal, () => {
    pollNow = true;
  });
  setHandler(
    submitOrderUpdate,
    async (_request) => {
      if (view.distributorOrderIds.length) return outcome(true);
      const before = attempts;
      if (!submitting) submitRequested = true;
      await condition(() => attempts > before || done);
      return outcome(false);
    },
    {
      validator: (_request) => {
        if (view.state === 'cancelled') throw new Error(`PO ${view.purchaseOrderNumber ?? purchaseOrderId} was cancelled; it will not be submitted`);
      },
    },
  );
  setHandler(
    retryOrderUpdate,
    async (_request) => {
      const ticket = ++retryTickets;
      retryRequested = true;
      await condition(() => retryServed >= ticket || done);
      return view;
    },
    {
      validator: (_request) => {
        // Meant for error and rejected orders; on a healthy one it just runs the current step again.
        if (view.state === 'cancelled' || isTerminal(view.state, timing.trackUntil)) throw new Error(`PO ${view.purchaseOrderNumber ?? purchaseOrderId} is ${view.state}: nothing to retry`);
      },
    },
  );
  setHandler(
    cancelOrderUpdate,
    async (request) => {
      cancelRequest = request ?? {};
      await condition(() => cancelResult !== null);
      const result = cancelResult!;
      cancelResult = null;
      cancelRequest = null;
      if (result.error) throw ApplicationFailure.create({ message: result.error, type: 'cancel-refused', nonRetryable: true });
      return view;
    },
    {
      validator: (_request) => {
        if (view.state === 'cancelled' || isTerminal(view.state, timing.trackUntil)) throw new Error(`PO ${view.purchaseOrderNumber ?? purchaseOrderId} is already ${view.state}`);
        if (cancelRequest) throw new Error('A cancellation is already in progress');
      },
    },
  );

  // ---- visibility ----------------------------------------------------------------------------
  let published = '';
  function publish(): void {
    const pairs: SearchAttributePair[] = [
      { key: BridgeConnector, value: connectorId },
      { key: BridgeTemplate, value: 'order' },
      { key: BridgeStatus, value: view.state },
    ];
    if (view.purchaseOrderNumber) pairs.push({ key: BridgePoNumber, value: view.purchaseOrderNumber });
    if (view.distributorOrderIds[0]) pairs.push({ key: BridgeDistributorOrderId, value: view.distributorOrderIds[0] });
    const signature = JSON.stringify(pairs.map((p) => p.value));
    if (signature === published) return;
    published = signature;
    upsertSearchAttributes(pairs);
  }
  function setState(state: OrderState): void {
    view.state = state;
    publish();
  }
  function outcome(alreadySubmitted: boolean): SubmitOutcome {
    const accepted = view.distributorOrderIds.length > 0;
    const message = accepted
      ? `PO ${view.purchaseOrderNumber ?? purchaseOrderId} ${alreadySubmitted ? 'was already submitted' : 'submitted'} as ${view.distributorOrderIds.join(', ')} (${view.state})`
      : view.state === 'rejected' ? `PO ${view.purchaseOrderNumber ?? purchaseOrderId} was rejected: ${view.problems.join(' ')}`
        : `PO ${view.purchaseOrderNumber ?? purchaseOrderId} is ${view.state}${view.lastError ? `: ${view.lastError}` : ''}`;
    return {
      accepted, state: view.state, problems: view.problems, purchaseOrderNumber: view.purchaseOrderNumber, clientPoNumber: view.clientPoNumber,
      distributorOrderIds: view.distributorOrderIds, alreadySubmitted, message,
    };
  }

  // ---- steps ---------------------------------------------------------------------------------
  async function record(state: 'rejected' | 'error' | 'cancelled', reason: string): Promise<void> {
    try {
      await bookkeeping.recordOrderOutcome({ connectorId, purchaseOrderId, integrationId, workflowId, state, reason });
    } catch (err) {
      if (isCancellation(err)) throw err;
      // Recording is best effort: the state and reason stay visible through the query.
    }
  }

  async function submitOnce(): Promise<void> {
    try {
      const first = scanned;
      scanned = undefined;
      const v = await acts.validateOrder({ connectorId, purchaseOrderId, integrationId, workflowId, trigger: input.trigger, opportunityId: input.opportunityId, ...(first ? { scanned: first } : {}) });
      timing = { ...v.timing, ...input.timing };
      delayMs = timing.pollInitialMs;
      view.purchaseOrderNumber = v.purchaseOrderNumber ?? view.purchaseOrderNumber;
      view.clientPoNumber = v.clientPoNumber;
      if (v.alreadySubmitted) {
        view.distributorOrderIds = v.distributorOrderIds;
        setState(v.state);
        pollNow = true;
        return;
      }
      if (!v.ok) {
        view.problems = v.problems;
        setState('rejected');
        await record('rejected', v.problems.join(' '));
        return;
      }
      view.problems = [];
      view.lastError = null;
      setState('validated');
      const s = await acts.submitDistributorOrder({ connectorId, purchaseOrderId, workflowId });
      view.distributorOrderIds = s.distributorOrderIds;
      view.problems = s.rejectedLines.map((l) => `Line ${l.lineNumber} rejected by the distributor: ${l.reason}`);
      setState('submitted');
      pollNow = true; // the first write-back right away
    } catch (err) {
      if (isCancellation(err)) throw err;
      const f = failure(err);
      if (f.type === 'validation' && view.state === 'validated') {
        // The distributor refused every line: nothing was ordered.
        view.problems = [f.message];
        setState('rejected');
        await record('rejected', f.message);
      } else {
        view.lastError = f.message;
        setState('error');
        await record('error', f.message);
      }
    }
  }

  /** One poll and write-back; true when something changed. */
  async function poll(): Promise<boolean> {
    try {
      const r = await acts.syncOrderStatus({ connectorId, purchaseOrderId, workflowId, trackUntil: timing.trackUntil, invoiceWaitMs: timing.invoiceWaitMs });
      view.polls++;
      view.lastPolledAt = new Date().toISOString();
      view.lines = r.lines;
      view.lastStatus = r.lastStatus;
      view.distributorOrderIds = r.distributorOrderIds;
      if (r.error) {
        if (view.state !== 'error' || view.lastError !== r.error) {
          view.lastError = r.error;
          setState('error');
          await record('error', r.error);
        }
        return true;
      }
      const changed = r.changed || r.state !== view.state;
      view.lastError = null;
      setState(r.state);
      return changed;
    } catch (err) {
      if (isCancellation(err)) throw err;
      view.lastError = failure(err).message;
      setState('error');
      await record('error', view.lastError);
      return true;
    }
  }

  async function cancel(): Promise<void> {
    const reason = cancelRequest?.reason ?? `cancelled${cancelRequest?.by ? ` by ${cancelRequest.by}` : ''}`;
    if (!view.distributorOrderIds.length) {
      setState('cancelled');
      await record('cancelled', reason);
      cancelResult = {};
      return;
    }
    try {
      await acts.cancelDistributorOrders({ connectorId, purchaseOrderId, workflowId });
    } catch (err) {
      if (isCancellation(err)) throw err;
      cancelResult = { error: `The distributor refused to cancel: ${failure(err).message}` };
      return;
    }
    await poll();
    cancelResult = {};
  }

  async function restore(): Promise<void> {
    const l = await acts.loadOrder({ connectorId, purchaseOrderId, workflowId });
    timing = { ...l.timing, ...input.timing };
    delayMs = timing.pollInitialMs;
    if (!l.exists || !l.state) return;
    view.purchaseOrderNumber = l.purchaseOrderNumber;
    view.clientPoNumber = l.clientPoNumber;
    view.distributorOrderIds = l.distributorOrderIds;
    view.lastStatus = l.lastStatus;
    view.lastError = l.lastError;
    setState(l.state);
    if (l.state === 'validated') submitRequested = true;
    pollNow = true;
  }

  // ---- the lifecycle -------------------------------------------------------------------------
  publish();
  if (!carry && input.trigger === 'sweep') await restore();
  while (!isTerminal(view.state, timing.trackUntil)) {
    if (!view.distributorOrderIds.length) {
      // Before submission: wait for a trigger (schedule/opportunity runs have one already).
      await condition(() => submitRequested || retryRequested || cancelRequest !== null);
      if (cancelRequest) await cancel();
      else {
        submitRequested = false;
        retryRequested = false;
        serving = retryTickets;
        submitting = true;
        await submitOnce();
        submitting = false;
        attempts++;
      }
    } else if (view.state === 'error') {
      await condition(() => retryRequested || pollNow || cancelRequest !== null);
      if (cancelRequest) await cancel();
      else {
        retryRequested = false;
        serving = retryTickets;
        pollNow = false;
        await poll();
      }
    } else {
      if (!pollNow) await condition(() => pollNow || retryRequested || cancelRequest !== null, delayMs);
      if (cancelRequest) await cancel();
      else {
        pollNow = false;
        retryRequested = false;
        serving = retryTickets;
        const changed = await poll();
        delayMs = changed ? timing.pollInitialMs : Math.min(timing.pollMaxMs, Math.round(delayMs * timing.pollBackoff));
      }
    }
    retryServed = serving;
    const info = workflowInfo();
    if (!isTerminal(view.state, timing.trackUntil) && !retryRequested && (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof orderLifecycleWorkflow>({ ...input, scanned: undefined, carry: { view, timing, submitRequested, delayMs } });
    }
  }
  done = true;
  if (cancelRequest && !cancelResult) cancelResult = { error: `PO ${view.purchaseOrderNumber ?? purchaseOrderId} is already ${view.state}` };
  await condition(allHandlersFinished);
  return view;
}

function failure(err: unknown): { type?: string; message: string } {
  if (err instanceof ActivityFailure && err.cause) {
    const cause = err.cause;
    return { type: cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined, message: cause.message };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}
