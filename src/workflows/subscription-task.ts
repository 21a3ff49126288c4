// One workflow per marketplace order (`subscription-task/<connector>/<integration>/<task id>`): the
// sync task as a saga. Customer → product → contract → plan → apply → synced. Each step is an
// activity that decides what it can (a mapped customer, the only compatible contract, …); where a
// decision is missing the task waits in `action_required` for an operator's update and resumes.
// Without automatic processing it stops at `planned` (the plan is what will be written: proration
// lines cannot be reversed) until `sync`. A permanent failure parks it in `error` with the reason
// until `retry`. Only orchestration here; the steps are re-run from the start on every resume (they
// are idempotent and cheap), so a decision made elsewhere (a mapping command) is picked up too.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import type { TaskDecision, TaskPlan, TaskState, TaskView } from '../subscriptions/types';
import {
  chooseContractUpdate, earlierTaskSettledSignal, ignoreUpdate, mapCustomerUpdate, mapProductUpdate, retryUpdate, SUBSCRIPTION_TEMPLATE, syncUpdate, taskViewQuery, unignoreUpdate,
  type IgnoreRequest, type SubscriptionTaskInput,
} from './messages/subscriptions';
import { BridgeConnector, BridgeStatus, BridgeTemplate } from './search-attributes';

/** Continue as new well before Temporal's suggestion on a task that waits a long time. */
const MAX_HISTORY_EVENTS = 1_000;
/** A task waiting for an earlier one of its subscription looks again this often, besides being told. */
const EARLIER_RECHECK = '10 minutes';

type Step = 'customer' | 'plan';

export async function subscriptionTaskWorkflow(input: SubscriptionTaskInput): Promise<TaskView> {
  const { connectorId, integrationId, taskId } = input;
  const workflowId = workflowInfo().workflowId;
  const ref = { connectorId, integrationId, taskId };
  const view: TaskView = input.carry?.view ?? {
    connectorId, integrationId, taskId, workflowId, type: 'change', state: 'pending', reason: null, waitingFor: null, customerId: '',
    subscriptionId: null, productId: null, effectiveDate: '', contractId: null, plan: null, updatedAt: new Date().toISOString(),
  };
  let loaded = !!input.carry;
  /** Requests made, taken up by the saga, and answered (the saga reached its next stop after taking them up). */
  let requested = 0;
  let taken = 0;
  let served = 0;
  let decided = false;
  let retryRequested = false;
  let syncRequested = false;
  let unignoreRequested = false;
  let ignoreRequest: IgnoreRequest | null = null;
  let done = false;
  /** Waiting for an earlier task of the same subscription to be synced or ignored. */
  let waitingForEarlier = false;
  let recheck = false;
  /** Every earlierTaskSettled signal, also those that came while not waiting (see `advance`). */
  let earlierSettled = 0;

  const timeout = input.activityTimeoutMs ?? 120_000;
  const retry = { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 8, nonRetryableErrorTypes };
  // Every activity heartbeats at least every 5 s (keptAlive in src/activities): a lost worker is noticed
  // in 15 s, not after the start-to-close timeout.
  const heartbeatTimeout = Math.min(timeout, 15_000);
  const acts = proxyActivities<Activities>({ startToCloseTimeout: timeout, heartbeatTimeout, retry });
  // Apply writes one intent at a time and heartbeats after each: a lost worker is noticed by the
  // heartbeat, and the next attempt reconciles before sending again (exactly once). Generous attempts:
  // every attempt after the first one starts with reconciliation, never with a blind resend.
  const writer = proxyActivities<Activities>({
    startToCloseTimeout: timeout * 5, heartbeatTimeout,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 25, nonRetryableErrorTypes },
  });
  const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: timeout, heartbeatTimeout, retry: { ...retry, maximumAttempts: 10 } });

  // ---- visibility ----------------------------------------------------------------------------
  let published = '';
  function publish(): void {
    if (published === view.state) return;
    published = view.state;
    upsertSearchAttributes([
      { key: BridgeConnector, value: connectorId },
      { key: BridgeTemplate, value: SUBSCRIPTION_TEMPLATE },
      { key: BridgeStatus, value: view.state },
    ]);
  }

  /** Sets and records the state (action log, notification, the task row); recording is best effort. */
  async function settle(state: TaskState, reason: string | null = null, waitingFor: TaskDecision | null = null): Promise<void> {
    const changed = view.state !== state || view.reason !== reason || view.waitingFor !== waitingFor;
    view.state = state;
    view.reason = reason;
    view.waitingFor = waitingFor;
    view.updatedAt = new Date().toISOString();
    if (state !== 'action_required') view.suggestions = undefined;
    publish();
    if (!changed) return;
    try {
      await bookkeeping.recordTaskState({ ...ref, state, reason, waitingFor, workflowId });
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The state stays visible through the query; the next change records again.
    }
  }

  // ---- messages ------------------------------------------------------------------------------
  setHandler(taskViewQuery, () => view);
  setHandler(earlierTaskSettledSignal, () => {
    earlierSettled++;
    if (!waitingForEarlier) return;
    recheck = true;
    requested++;
  });

  /** Tells the later tasks of this subscription that this one no longer changes its units. */
  async function wakeLaterTasks(): Promise<void> {
    let later: string[] = [];
    try {
      later = await bookkeeping.laterOpenTaskWorkflows(ref);
    } catch (err) {
      if (isCancellation(err)) throw err;
      return; // they look again on their own (EARLIER_RECHECK)
    }
    for (const id of later) {
      try {
        await getExternalWorkflowHandle(id).signal(earlierTaskSettledSignal);
      } catch {
        // Not running (not started yet, or finished): it finds the order itself when it runs.
      }
    }
  }

  /** Wakes the saga and answers once it has taken the request up and reached its next stop. */
  async function request(mark: () => void): Promise<TaskView> {
    mark();
    const ticket = ++requested;
    await condition(() => served >= ticket || done);
    return view;
  }
  const who = (by?: string) => by || 'operator';
  const named = () => `Task ${taskId}`;
  function waitingFor(decision: TaskDecision): void {
    if (view.state === 'action_required' && view.waitingFor === decision) return;
    const now = view.state === 'action_required' ? `waits for a ${view.waitingFor} decision` : `is ${view.state}`;
    throw new Error(`${named()} ${now}, not for a ${decision}`);
  }
  const positiveId = (value: unknown, what: string) => {
    if (!Number.isInteger(value) || (value as number) <= 0) throw new Error(`${what} must be a positive whole number (got ${String(value)})`);
  };

  setHandler(
    mapCustomerUpdate,
    async ({ companyId, by }) => {
      await operatorStep(() => acts.mapCustomer({ connectorId, integrationId, marketplaceCustomerId: view.customerId, companyId, by: who(by) }));
      return request(() => (decided = true));
    },
    { validator: ({ companyId }) => { waitingFor('customer'); positiveId(companyId, 'The Autotask company id'); } },
  );
  setHandler(
    mapProductUpdate,
    async ({ serviceId, create, by }) => {
      const marketplaceProductId = productKey();
      await operatorStep(() => acts.mapProduct({ connectorId, integrationId, marketplaceProductId, serviceId, create, by: who(by) }));
      return request(() => (decided = true));
    },
    {
      validator: ({ serviceId, create }) => {
        waitingFor('product');
        if (!productKey()) throw new Error(`${named()} names no marketplace product`);
        if (create && serviceId !== undefined) throw new Error('Give a service id or --create, not both');
        if (!create) positiveId(serviceId, 'The Autotask service id');
      },
    },
  );
  setHandler(
    chooseContractUpdate,
    async ({ contractId, by }) => {
      await operatorStep(() => acts.chooseTaskContract({ ...ref, contractId, by: who(by) }));
      return request(() => (decided = true));
    },
    {
      validator: ({ contractId }) => {
        // A refused contract (currency, billing cycle, closed) ends in error: choosing another is the fix.
        if (view.state !== 'error') waitingFor('contract');
        positiveId(contractId, 'The Autotask contract id');
      },
    },
  );
  setHandler(syncUpdate, () => request(() => (syncRequested = true)), {
    validator: (_r) => {
      if (view.state === 'planned') return;
      if (view.state === 'synced') throw new Error(`${named()} is already synced`);
      const why = view.state === 'action_required' ? `waits for a ${view.waitingFor} decision${view.reason ? `: ${view.reason}` : ''}` : `is ${view.state}${view.reason ? `: ${view.reason}` : ''}`;
      throw new Error(`${named()} ${why}; only a planned task can be synced`);
    },
  });
  setHandler(ignoreUpdate, (r) => request(() => (ignoreRequest = { reason: r?.reason, by: who(r?.by) })), {
    validator: (_r) => {
      if (view.state === 'synced' || view.state === 'syncing' || view.state === 'ignored') throw new Error(`${named()} is ${view.state}: it cannot be ignored`);
    },
  });
  setHandler(unignoreUpdate, () => request(() => (unignoreRequested = true)), {
    validator: (_r) => {
      if (view.state !== 'ignored') throw new Error(`${named()} is ${view.state}, not ignored`);
    },
  });
  setHandler(retryUpdate, () => request(() => (retryRequested = true)), {
    validator: (_r) => {
      if (view.state !== 'error' && view.state !== 'action_required') throw new Error(`${named()} is ${view.state}: only a task in error or waiting for a decision can be retried`);
    },
  });

  /** The marketplace product key of the task's mapping (plan id where there is one). */
  function productKey(): string {
    return view.productId ?? '';
  }

  /** An operator's mapping or choice: refused with the activity's reason (the task keeps waiting). */
  async function operatorStep(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (isCancellation(err)) throw err;
      const f = failure(err);
      throw ApplicationFailure.create({ message: f.message, type: f.type ?? 'validation', nonRetryable: true });
    }
  }

  // ---- the saga ------------------------------------------------------------------------------
  /** Runs from `from` to the next stop; the state says which stop. */
  async function advance(from: Step, apply: boolean): Promise<void> {
    if (from === 'customer') {
      if (view.state !== 'pending') await settle('pending');
      const customer = await acts.resolveTaskCustomer({ ...ref, auto: input.auto });
      if (customer.companyId === null) {
        view.suggestions = customer.suggestions;
        return settle('action_required', customer.reason ?? 'The marketplace customer is not mapped to an Autotask company', 'customer');
      }
      if (ignoreRequest) return;
      const product = await acts.resolveTaskProduct({ ...ref, auto: input.auto });
      if (product.serviceId === null) return settle('action_required', product.reason ?? 'The marketplace product is not mapped to an Autotask service', 'product');
      if (ignoreRequest) return;
      const contract = await acts.resolveTaskContract({ ...ref, companyId: customer.companyId, serviceId: product.serviceId, auto: input.auto });
      if (contract.contractId === null) {
        if (contract.permanent) return settle('error', contract.reason ?? 'The contract cannot take this subscription');
        view.suggestions = contract.candidates.map((c) => ({ id: c.id, name: c.name, why: c.problems.length ? c.problems.join('; ') : 'compatible' }));
        return settle('action_required', contract.reason ?? 'Choose the contract for this subscription', 'contract');
      }
      view.contractId = contract.contractId;
      if (ignoreRequest) return;
    }
    // Tasks of one subscription are planned and written in marketplace order: each plans against the
    // units the earlier ones left (planned out of order, a change would count an earlier order twice or not at all).
    const told = earlierSettled;
    const earlier = await acts.earlierOpenTasks(ref);
    waitingForEarlier = earlier.length > 0;
    if (waitingForEarlier) {
      view.plan = null;
      await settle('pending', `Waits for task ${earlier[0]} of the same subscription: the tasks of one subscription are synced in marketplace order`);
      // An earlier task that settled while this one was looking told it before it waited: look again now,
      // not after EARLIER_RECHECK (added later: `patched` keeps older runs replaying).
      if (earlierSettled !== told && patched('earlier-settled-while-looking')) {
        recheck = true;
        requested++;
      }
      return;
    }
    let plan: TaskPlan;
    try {
      plan = await acts.planSyncTask(ref);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const f = failure(err);
      if (f.type === 'validation' && isFeeProblem(f.message)) return settle('action_required', f.message.replace(/^fee:\s*/, ''), 'fee');
      throw err;
    }
    view.plan = plan;
    view.contractId = plan.contractId;
    if (!apply) return settle('planned');
    if (ignoreRequest) return;
    await settle('syncing');
    await writer.applySyncTask(ref);
    await settle('synced');
    await wakeLaterTasks();
  }

  /** `advance`, with a failure parked in `error` (transient ones only after the retry policy gave up). */
  async function run(from: Step, apply: boolean): Promise<void> {
    try {
      await advance(from, apply);
    } catch (err) {
      if (isCancellation(err)) throw err;
      await settle('error', failure(err).message);
    }
  }

  // ---- the lifecycle -------------------------------------------------------------------------
  publish();
  if (!loaded) {
    const stored = await bookkeeping.getTaskView(ref);
    Object.assign(view, { ...stored, workflowId, suggestions: stored.suggestions });
    loaded = true;
    publish();
    // A restarted workflow finds what its predecessor left: synced and ignored stay so; anything else runs again.
    if (view.state !== 'synced' && view.state !== 'ignored') await run('customer', input.auto);
  }
  while (view.state !== 'synced') {
    served = taken;
    const info = workflowInfo();
    if (requested === taken && (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof subscriptionTaskWorkflow>({ ...input, carry: { view } });
    }
    const woke = waitingForEarlier ? await condition(() => requested > taken, EARLIER_RECHECK) : await condition(() => requested > taken).then(() => true);
    if (!woke) recheck = true;
    taken = requested;
    // (Set by handlers: TypeScript cannot see that.)
    const ignore = ignoreRequest as IgnoreRequest | null;
    const state = view.state as TaskState;
    const sync = syncRequested;
    const again = decided || retryRequested || unignoreRequested || recheck;
    recheck = false;
    ignoreRequest = null;
    syncRequested = false;
    decided = false;
    retryRequested = false;
    unignoreRequested = false;
    if (ignore && state !== 'ignored' && state !== 'synced') {
      view.plan = state === 'planned' ? view.plan : null;
      waitingForEarlier = false;
      await settle('ignored', `Ignored by ${ignore.by}${ignore.reason ? `: ${ignore.reason}` : ''}`);
      await wakeLaterTasks();
    } else if (state === 'ignored') {
      if (again) await run('customer', input.auto);
    } else if (sync && state === 'planned') {
      // Planned again right before writing: another task may have changed the service since.
      await run('plan', true);
    } else if (again) {
      await run('customer', input.auto);
    }
  }
  served = taken;
  done = true;
  await condition(allHandlersFinished);
  return view;
}

function isFeeProblem(message: string): boolean {
  return /^fee:/i.test(message) || /fee .*not mapped/i.test(message);
}

function failure(err: unknown): { type?: string; message: string } {
  if (err instanceof ActivityFailure && err.cause) {
    const cause = err.cause;
    return { type: cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined, message: cause.message };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}
