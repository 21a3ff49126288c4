// The Autotask side of Subscription Sync: which contract a subscription goes to, the plan of what a
// task writes, the exactly-once apply, and reconciliation of the marketplace with ContractServiceUnits.
//
// Exactly once (issue 13): ContractServiceAdjustments cannot be queried, so every write gets an intent
// with a deterministic key, recorded before it is sent. A write that may have happened (a retry of the
// activity, a lost answer) is looked for first: an adjustment in ContractServiceUnits (a row of the
// contract service starting on its date with the units it makes), a charge by the key it carries in
// `internalPurchaseOrderNumber`. Found → confirmed; not found → sent. A heartbeat follows every write.
import type { AutotaskClient } from '../../autotask/client';
import { toAutotaskDateTime } from '../../autotask/dates';
import { f } from '../../autotask/query';
import { addDays, periodContaining } from '../../autotask/sim/contract-model';
import { BridgeError, isBridgeError } from '../../failures';
import type { MarketplaceAdapter, MarketplaceSubscription } from '../../marketplaces/adapter';
import { companyContracts, contractFacts, rowOn, serviceFacts, serviceState, serviceUnitRows } from '../../subscriptions/autotask';
import { contractProblems, type SubscriptionTerms } from '../../subscriptions/contract-choice';
import { planTask } from '../../subscriptions/plan';
import { findDrifts, type Drift, type ReconcileRow } from '../../subscriptions/reconcile';
import { subscriptionSettingsFor } from '../../subscriptions/settings';
import type { IntegrationScope, NewIntent } from '../../subscriptions/store';
import type { ContractFacts, PlannedWrite, ServiceState, TaskEvent, TaskPlan, TaskState } from '../../subscriptions/types';
import type { SubscriptionTaskRow } from '../../../db/schema/subscriptions';
import { beat } from '../heartbeat';
import type { SubscriptionActivityDeps } from './index';

interface TaskInput extends IntegrationScope {
  taskId: string;
}

export interface ContractCandidate {
  id: number;
  name: string;
  problems: string[];
}

export interface ResolveContractResult {
  contractId: number | null;
  reason: string | null;
  /** True when the subscription's contract can no longer take it: an operator must fix data, then retry. */
  permanent: boolean;
  candidates: ContractCandidate[];
}

export interface ApplyResult {
  sent: number;
  confirmed: number;
  alreadyDone: number;
}

export interface ReconcileResult {
  checked: number;
  drifts: Drift[];
  tasksCreated: string[];
}

/** Tasks that still may change Autotask (reconciliation counts them as the likely cause of a drift). */
const OPEN_STATES: TaskState[] = ['pending', 'action_required', 'planned', 'syncing', 'error'];
/** Picklist labels tried in order for a charge (values differ per database; unverified which one a sync should use). */
const CHARGE_TYPE_LABELS = ['Operational'];
const CHARGE_STATUS_LABELS = ['Approved', 'Pending Approval'];

const scopeOf = (i: IntegrationScope): IntegrationScope => ({ connectorId: i.connectorId, integrationId: i.integrationId });
const eventOf = (task: SubscriptionTaskRow) => task.event as unknown as TaskEvent;
const fail = (kind: 'validation' | 'state' | 'settings', message: string) => new BridgeError(kind, message, { source: 'engine' });
const money = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.round(n * 10_000) / 10_000);

/** `reconcile-<subscription>-<period>`, safe for a workflow id. */
export function reconcileTaskId(subscriptionId: string, period: string): string {
  return `reconcile-${subscriptionId}-${period}`.replace(/[^A-Za-z0-9._:-]/g, '_');
}

export function contractActivities({ clients, subscriptions: store }: SubscriptionActivityDeps) {
  /** The task's billing terms: the event's, completed from the marketplace subscription where it says nothing. */
  async function termsOf(marketplace: MarketplaceAdapter, task: SubscriptionTaskRow): Promise<SubscriptionTerms> {
    const event = eventOf(task);
    const terms: SubscriptionTerms = { billingCycle: event.billingCycle ?? null, termMonths: null, currency: event.currency ?? null, effectiveDate: task.effectiveDate };
    if (task.subscriptionId && (!terms.billingCycle || !terms.currency)) {
      const sub = await marketplace.getSubscription(task.subscriptionId);
      if (sub) Object.assign(terms, { billingCycle: terms.billingCycle ?? sub.billingCycle, currency: terms.currency ?? sub.currency, termMonths: sub.termMonths });
    }
    return terms;
  }

  /**
   * contractProblems, plus: the contract belongs to the customer's company, and no other subscription is
   * synced to the same service on it (their units would share one contract service, and each task would
   * take the other's units for its own) — unless the settings allow a repeat: then it gets its own.
   */
  async function problemsOf(s: IntegrationScope, task: SubscriptionTaskRow, contract: ContractFacts, terms: SubscriptionTerms, companyId: number | null, serviceId: number | null): Promise<string[]> {
    const problems = contractProblems(contract, terms);
    if (companyId !== null && contract.companyId !== companyId) problems.unshift(`contract ${contract.id} belongs to company ${contract.companyId}, not to the customer's company ${companyId}`);
    const sharing = serviceId === null ? [] : await othersOn(s, task, contract.id, serviceId);
    if (sharing.length && !(await repeatsAllowed(s))) {
      problems.push(
        `subscription ${sharing[0].subscriptionId} is already synced to service ${serviceId} on contract ${contract.id}: one contract service per subscription ` +
          `(a second contract service of the same service needs \`autotask-bridge settings --integration ${s.integrationId} --subscriptions-allow-repeat-service true\`)`,
      );
    }
    return problems;
  }

  /** Other subscriptions synced to the service on the contract. */
  async function othersOn(s: IntegrationScope, task: SubscriptionTaskRow, contractId: number, serviceId: number) {
    return (await store.subscriptionContractsOn(s, contractId, serviceId)).filter((r) => r.subscriptionId !== task.subscriptionId);
  }

  async function repeatsAllowed(s: IntegrationScope): Promise<boolean> {
    const { connector } = await clients.get(s.connectorId);
    return subscriptionSettingsFor(connector.settings, s.integrationId).allowRepeatService;
  }

  /** The service's contract services on the contract, oldest first. */
  async function contractServiceIds(autotask: AutotaskClient, contractId: number, serviceId: number): Promise<number[]> {
    const ids: number[] = [];
    for await (const cs of autotask.contractServices.all({ filter: [f.eq('contractID', contractId), f.eq('serviceID', serviceId)] })) ids.push(cs.id);
    return ids.sort((a, b) => a - b);
  }

  /**
   * The contract service the task's subscription writes to: its own once tied to it; while no other subscription
   * is synced to the service on the contract, the service's contract service if it has one (null: serviceState
   * finds it) or none yet (the first adjustment adds it); else a new one beside the others' (`repeatOf`) when the
   * settings allow a repeat, refused otherwise. One subscription never has more than one, nor spans contracts.
   */
  async function contractServiceOf(autotask: AutotaskClient, s: IntegrationScope, task: SubscriptionTaskRow, contractId: number, serviceId: number, allowRepeat: boolean): Promise<{ contractServiceId: number | null; repeatOf?: number[] }> {
    const tied = task.subscriptionId ? await store.subscriptionContract(s, task.subscriptionId) : undefined;
    if (tied?.contractId === contractId && tied.serviceId === serviceId && tied.contractServiceId) return { contractServiceId: tied.contractServiceId };
    const others = await othersOn(s, task, contractId, serviceId);
    // The service's contract service, if any: serviceState finds it (no request here).
    if (!others.length) return { contractServiceId: null };
    if (!allowRepeat) {
      throw fail('validation', `subscription ${others[0].subscriptionId} is already synced to service ${serviceId} on contract ${contractId}: one contract service per subscription (allow a second one with \`autotask-bridge settings --integration ${s.integrationId} --subscriptions-allow-repeat-service true\`)`);
    }
    return { contractServiceId: null, repeatOf: await contractServiceIds(autotask, contractId, serviceId) };
  }

  /**
   * The contract service a repeat added (an adjustment sent with allowRepeatService): one of the service's on the
   * contract that was not there when planned and no other subscription is synced to — the one with a row from the
   * adjustment's date with its units, else (with `anyRow`) the oldest such. Null when there is none.
   */
  async function addedContractService(autotask: AutotaskClient, s: IntegrationScope, task: SubscriptionTaskRow, w: Extract<PlannedWrite, { kind: 'adjustment' }>, anyRow = false): Promise<number | null> {
    const before = new Set(w.repeatOf ?? []);
    const claimed = new Set((await othersOn(s, task, w.contractId, w.serviceId)).map((r) => r.contractServiceId));
    const fresh = (await contractServiceIds(autotask, w.contractId, w.serviceId)).filter((id) => !before.has(id) && !claimed.has(id));
    for (const id of fresh) {
      const row = (await serviceUnitRows(autotask, w.contractId, w.serviceId, id)).find((r) => r.startDate === w.effectiveDate);
      if (row && row.units === w.unitsBefore + w.unitChange) return id;
    }
    return anyRow ? fresh[0] ?? null : null;
  }

  /** The Service the task's product maps to: the mapping of its plan/product, else the service its subscription is synced with. */
  async function serviceIdOf(s: IntegrationScope, task: SubscriptionTaskRow): Promise<number | null> {
    const event = eventOf(task);
    for (const id of [event.planId, event.productId, task.productId]) {
      if (!id) continue;
      const m = await store.productMapping(s, id);
      if (m && !m.flaggedReason) return m.serviceId;
    }
    const tie = task.subscriptionId ? await store.subscriptionContract(s, task.subscriptionId) : undefined;
    return tie?.serviceId ?? null;
  }

  async function tie(s: IntegrationScope, task: SubscriptionTaskRow, contractId: number, serviceId: number, contractServiceId: number | null = null): Promise<void> {
    if (task.subscriptionId) await store.saveSubscriptionContract({ ...s, subscriptionId: task.subscriptionId, contractId, serviceId, contractServiceId });
    if (task.contractId !== contractId) await store.updateTask(s, task.taskId, { contractId });
  }

  /** What the subscription's newest task with a write in Autotask left there (tells a manual edit from a missed task). */
  async function lastSynced(s: IntegrationScope, subscriptionId: string): Promise<ReconcileRow['synced']> {
    const tasks = await store.tasks({ ...s, subscriptionId, limit: 10_000 });
    for (const task of tasks.reverse()) {
      const plan = task.plan as unknown as TaskPlan | null;
      if (!plan?.writes.length) continue;
      const done = (await store.intents(s.connectorId, task.taskId)).filter((x) => x.status !== 'intended');
      if (!done.length) continue;
      const last = plan.writes.filter((w) => w.kind === 'adjustment').pop() as Extract<PlannedWrite, { kind: 'adjustment' }> | undefined;
      return { quantity: plan.newQuantity, price: last?.unitPrice ?? null, cost: last?.unitCost ?? null };
    }
    return null;
  }

  // ── exactly-once writes ────────────────────────────────────────────────────

  /** Whether the adjustment is in Autotask: its contract service has a row from its date with the units (or prices) it makes. */
  async function adjustmentWritten(autotask: AutotaskClient, i: TaskInput, w: Extract<PlannedWrite, { kind: 'adjustment' }>): Promise<boolean> {
    // A repeat is written when the contract service it adds is there with its units.
    if (w.repeatOf) return (await addedContractService(autotask, scopeOf(i), await store.task(scopeOf(i), i.taskId), w)) !== null;
    // Another contract service of the same service (a repeat) has adjustments of its own.
    const ours = (await store.intentsOn(i.connectorId, w.contractId, w.serviceId, w.effectiveDate))
      .filter((x) => x.key !== w.key && x.status !== 'intended' && (!w.contractServiceId || !x.contractServiceId || x.contractServiceId === w.contractServiceId));
    // Autotask takes one adjustment per service and date: a row another intent of ours explains is not this one.
    if (ours.length) return false;
    const row = (await serviceUnitRows(autotask, w.contractId, w.serviceId, w.contractServiceId)).find((r) => r.startDate === w.effectiveDate);
    if (!row) return false;
    if (w.unitChange !== 0) return row.units === w.unitsBefore + w.unitChange;
    return (w.unitPrice === null || money(row.price) === money(w.unitPrice)) && (w.unitCost === null || money(row.cost) === money(w.unitCost));
  }

  /** The charge carrying this key, if Autotask has it. */
  async function chargeWritten(autotask: AutotaskClient, w: Extract<PlannedWrite, { kind: 'charge' }>): Promise<number | null> {
    const found = await autotask.contractCharges.query([f.eq('contractID', w.contractId), f.eq('internalPurchaseOrderNumber', w.key)], { maxRecords: 5 });
    return found.items[0]?.id ?? null;
  }

  async function picklist(autotask: AutotaskClient, entity: string, field: string, labels: string[]): Promise<number> {
    for (const label of labels) {
      const v = await autotask.metadata.picklistValue(entity, field, label);
      if (v !== undefined) return Number(v);
    }
    const fallback = (await autotask.metadata.field(entity, field))?.picklistValues?.find((p) => p.isDefaultValue && p.isActive !== false)?.value;
    if (fallback === undefined) throw fail('settings', `Autotask ${entity}.${field} has no picklist value labelled ${labels.map((l) => `"${l}"`).join(' or ')}`);
    return Number(fallback);
  }

  /** Sends one write; returns the created record's id. */
  async function send(autotask: AutotaskClient, w: PlannedWrite): Promise<number> {
    const date = toAutotaskDateTime(`${w.effectiveDate}T00:00:00Z`);
    if (w.kind === 'adjustment') {
      return autotask.contractServiceAdjustments.create(w.contractId, {
        serviceID: w.serviceId, unitChange: w.unitChange, effectiveDate: date,
        ...(w.contractServiceId ? { contractServiceID: w.contractServiceId } : {}),
        ...(w.repeatOf ? { allowRepeatService: true } : {}),
        ...(w.unitPrice !== null ? { adjustedUnitPrice: w.unitPrice } : {}),
        ...(w.unitCost !== null ? { adjustedUnitCost: w.unitCost } : {}),
      });
    }
    const [chargeType, status] = await Promise.all([picklist(autotask, 'ContractCharges', 'chargeType', CHARGE_TYPE_LABELS), picklist(autotask, 'ContractCharges', 'status', CHARGE_STATUS_LABELS)]);
    // The key travels in internalPurchaseOrderNumber: a charge whose answer is lost is found by it (applySyncTask).
    return autotask.contractCharges.create(w.contractId, {
      name: w.name.slice(0, 100), description: w.description.slice(0, 2000), datePurchased: date, unitQuantity: w.quantity, unitPrice: w.unitPrice,
      ...(w.unitCost !== null ? { unitCost: w.unitCost } : {}), ...(w.billingCodeId ? { billingCodeID: w.billingCodeId } : {}),
      chargeType, status, isBillableToCompany: true, internalPurchaseOrderNumber: w.key,
    });
  }

  /** The record an earlier (or this) attempt wrote, if Autotask has it: a charge's id, true for an adjustment. */
  async function written(autotask: AutotaskClient, i: TaskInput, w: PlannedWrite): Promise<{ id: number | null } | null> {
    if (w.kind === 'charge') {
      const id = await chargeWritten(autotask, w);
      return id === null ? null : { id };
    }
    return (await adjustmentWritten(autotask, i, w)) ? { id: null } : null;
  }

  const mayHaveHappened = (err: unknown) => isBridgeError(err) && (err.kind === 'outcome_unknown' || err.kind === 'transient');

  function intentOf(i: TaskInput, w: PlannedWrite): NewIntent {
    const base = { key: w.key, connectorId: i.connectorId, integrationId: i.integrationId, taskId: i.taskId, contractId: w.contractId, effectiveDate: w.effectiveDate };
    return w.kind === 'adjustment'
      ? { ...base, kind: 'adjustment', serviceId: w.serviceId, contractServiceId: w.contractServiceId, unitChange: w.unitChange, unitsBefore: w.unitsBefore, unitPrice: w.unitPrice, unitCost: w.unitCost }
      : { ...base, kind: 'charge', serviceId: null, unitPrice: w.unitPrice, unitCost: w.unitCost, quantity: w.quantity, period: w.period };
  }

  return {
    /**
     * The contract the task's subscription goes to: the one it is synced with (re-checked: problems are
     * permanent), else the only compatible recurring contract of the company when `auto`, else none with
     * the candidates and what to do.
     */
    async resolveTaskContract(i: TaskInput & { companyId: number; serviceId: number; auto: boolean }): Promise<ResolveContractResult> {
      const s = scopeOf(i);
      const task = await store.task(s, i.taskId);
      const { autotask, marketplace } = await clients.marketplace(i.connectorId, i.integrationId);
      const terms = await termsOf(marketplace, task);
      const tied = task.subscriptionId ? await store.subscriptionContract(s, task.subscriptionId) : undefined;
      if (tied) {
        const facts = await contractFacts(autotask, tied.contractId, 'fresh');
        const problems = facts ? await problemsOf(s, task, facts, terms, i.companyId, i.serviceId) : [`contract ${tied.contractId} no longer exists in Autotask`];
        if (problems.length) {
          return {
            contractId: null, permanent: true, candidates: [{ id: tied.contractId, name: facts?.name ?? `Contract ${tied.contractId}`, problems }],
            reason: `Subscription ${task.subscriptionId} is synced to contract ${tied.contractId}${facts ? ` (${facts.name})` : ''}, which cannot take this change: ${problems.join('; ')}. Fix the contract in Autotask, then retry the task (one subscription is never synced with several contracts).`,
          };
        }
        await tie(s, task, tied.contractId, i.serviceId, tied.serviceId === i.serviceId ? tied.contractServiceId : null);
        return { contractId: tied.contractId, reason: null, permanent: false, candidates: [] };
      }

      const contracts = await companyContracts(autotask, i.companyId);
      const candidates = (await Promise.all(contracts.map(async (c) => ({ id: c.id, name: c.name, problems: await problemsOf(s, task, c, terms, i.companyId, i.serviceId) }))))
        .sort((a, b) => a.problems.length - b.problems.length || a.id - b.id);
      const fitting = candidates.filter((c) => !c.problems.length);
      if (fitting.length === 1 && i.auto) {
        await tie(s, task, fitting[0].id, i.serviceId);
        return { contractId: fitting[0].id, reason: null, permanent: false, candidates };
      }
      const what = [terms.billingCycle, terms.currency].filter(Boolean).join(', ');
      const choose = `\`autotask-bridge tasks choose-contract ${i.taskId} <contract id>\``;
      const reason = !contracts.length
        ? `Company ${i.companyId} has no recurring-service contract: create one in Autotask (${what || 'matching the subscription'}), then choose it with ${choose}`
        : !fitting.length
          ? `None of company ${i.companyId}'s ${contracts.length} recurring-service contract(s) can take this subscription (${what}): ${candidates.map((c) => `${c.id} ${c.problems.join(', ')}`).join('; ')}. Create or fix one, then choose it with ${choose}`
          : fitting.length === 1
            ? `Contract ${fitting[0].id} (${fitting[0].name}) fits: confirm it with ${choose}`
            : `${fitting.length} contracts fit (${fitting.map((c) => `${c.id} ${c.name}`).join('; ')}): choose one with ${choose}`;
      return { contractId: null, reason, permanent: false, candidates };
    },

    /** The operator's choice: checked like an automatic one, then the subscription is tied to it. */
    async chooseTaskContract(i: TaskInput & { contractId: number; by: string }): Promise<{ contractId: number; problems: string[] }> {
      const s = scopeOf(i);
      const task = await store.task(s, i.taskId);
      const tied = task.subscriptionId ? await store.subscriptionContract(s, task.subscriptionId) : undefined;
      if (tied && tied.contractId !== i.contractId) {
        throw fail('validation', `Subscription ${task.subscriptionId} is already synced to contract ${tied.contractId}; one subscription cannot be synced with several contracts`);
      }
      const { autotask, marketplace } = await clients.marketplace(i.connectorId, i.integrationId);
      const facts = await contractFacts(autotask, i.contractId, 'fresh');
      if (!facts) throw fail('validation', `Contract ${i.contractId} does not exist in Autotask`);
      const serviceId = await serviceIdOf(s, task);
      if (serviceId === null) throw fail('validation', `Map the product of task ${i.taskId} to an Autotask service before choosing its contract`);
      const company = (await store.customerMapping(s, task.customerId))?.companyId ?? null;
      const problems = await problemsOf(s, task, facts, await termsOf(marketplace, task), company, serviceId);
      if (problems.length) throw fail('validation', `Contract ${i.contractId} (${facts.name}) cannot take subscription ${task.subscriptionId ?? task.taskId}: ${problems.join('; ')}`);
      await tie(s, task, i.contractId, serviceId, tied?.contractServiceId ?? null);
      await store.log(i.connectorId, 'subscription.contract.chosen', `Task ${i.taskId}: contract ${i.contractId} (${facts.name}) chosen by ${i.by}`, { taskId: i.taskId, contractId: i.contractId, subscriptionId: task.subscriptionId, by: i.by });
      return { contractId: i.contractId, problems: [] };
    },

    /**
     * What the task writes, computed from Autotask's state and stored on the task (state unchanged).
     * Once any write of the task was recorded the stored plan stands: re-planning against a state the
     * task already changed would write the change twice.
     */
    async planSyncTask(i: TaskInput): Promise<TaskPlan> {
      const s = scopeOf(i);
      const task = await store.task(s, i.taskId);
      if (task.plan && (await store.intents(i.connectorId, i.taskId)).length) return task.plan as unknown as TaskPlan;
      const event = eventOf(task);
      const tied = task.subscriptionId ? await store.subscriptionContract(s, task.subscriptionId) : undefined;
      const contractId = task.contractId ?? tied?.contractId;
      if (!contractId) throw fail('state', `Task ${i.taskId} has no contract yet: choose one with \`autotask-bridge tasks choose-contract ${i.taskId} <contract id>\``);
      const serviceId = await serviceIdOf(s, task);
      if (serviceId === null) throw fail('state', `Task ${i.taskId}: the marketplace product ${task.productId ?? '?'} is not mapped to an Autotask service`);
      const { connector, autotask } = await clients.get(i.connectorId);
      const settings = subscriptionSettingsFor(connector.settings, i.integrationId);

      let fee: { billingCodeId: number; chargeName: string } | null = null;
      if (task.type === 'cancellation' && event.cancellationFee) {
        const keys = [...new Set([event.productId, event.planId, task.productId].filter((x): x is string => !!x).map((p) => `cancellation:${p}`)), 'cancellation'];
        let mapping;
        for (const k of keys) if (!mapping) mapping = await store.feeMapping(s, k);
        if (!mapping) {
          throw fail('validation', `fee: the cancellation fee of ${event.cancellationFee.amount}${event.currency ? ` ${event.currency}` : ''} is not mapped: map it with \`autotask-bridge mapping fees map cancellation <billing code id> --name <charge name>\``);
        }
        fee = { billingCodeId: mapping.billingCodeId, chargeName: mapping.chargeName };
      }

      const contract = await contractFacts(autotask, contractId);
      if (!contract) throw fail('validation', `Contract ${contractId} no longer exists in Autotask`);
      const service = await serviceFacts(autotask, serviceId);
      if (!service) throw fail('validation', `Service ${serviceId} (mapped to marketplace product ${task.productId ?? '?'}) no longer exists in Autotask`);
      const own = await contractServiceOf(autotask, s, task, contractId, serviceId, settings.allowRepeatService);
      // A repeat starts as a contract service of its own with nothing on it.
      const state: ServiceState = own.repeatOf
        ? { contractServiceId: null, serviceId, units: 0, unitPrice: null, unitCost: null, adjustmentDates: [], rows: [], repeatOf: own.repeatOf }
        : await serviceState(autotask, contractId, serviceId, task.effectiveDate, contract, own.contractServiceId);
      const productIds = [event.productId, event.planId, task.productId].filter((x): x is string => !!x);
      const plan = planTask({
        taskId: task.taskId, connectorId: i.connectorId, integrationId: i.integrationId, type: task.type, event, contract, service, state,
        settings: { priceSource: settings.priceSource, proration: settings.proration },
        usageAsUnits: productIds.some((p) => settings.usageAsUnits.includes(p)),
        fee, usageBillingCodeId: service.billingCodeId,
      });
      await store.updateTask(s, i.taskId, { plan: plan as unknown as Record<string, unknown>, contractId });
      return plan;
    },

    /** Writes the stored plan exactly once (see the top of this file). */
    async applySyncTask(i: TaskInput): Promise<ApplyResult> {
      const s = scopeOf(i);
      const task = await store.task(s, i.taskId);
      const plan = task.plan as unknown as TaskPlan | null;
      if (!plan) throw fail('state', `Task ${i.taskId} has no plan: plan it first (\`autotask-bridge tasks plan ${i.taskId}\`)`);
      const { autotask } = await clients.get(i.connectorId);
      // Intents that exist before this call may have been sent by an earlier attempt (or, for a usage charge keyed
      // per subscription and period, by another task): those are looked for first.
      const earlier = new Map((await Promise.all(plan.writes.map((w) => store.intent(w.key)))).filter((r) => !!r).map((r) => [r.key, r]));
      await store.recordIntents(plan.writes.map((w) => intentOf(i, w)));
      const result: ApplyResult = { sent: 0, confirmed: 0, alreadyDone: 0 };
      for (const w of plan.writes) {
        const prior = earlier.get(w.key);
        if (prior && prior.status !== 'intended') {
          result.alreadyDone++;
          continue;
        }
        const found = prior ? await written(autotask, i, w) : null;
        if (found) {
          await store.markIntent(w.key, 'confirmed', found.id);
          result.confirmed++;
          beat(result);
          continue;
        }
        let id: number;
        try {
          id = await send(autotask, w);
        } catch (err) {
          // The answer was lost or an error came after the write: look before anyone sends it again.
          const after = mayHaveHappened(err) ? await written(autotask, i, w).catch(() => null) : null;
          if (!after) throw err;
          await store.markIntent(w.key, 'confirmed', after.id);
          result.confirmed++;
          beat(result);
          continue;
        }
        await store.markIntent(w.key, 'sent', id);
        result.sent++;
        beat(result);
      }
      const tied = task.subscriptionId ? await store.subscriptionContract(s, task.subscriptionId) : undefined;
      const serviceId = plan.serviceId ?? tied?.serviceId;
      if (serviceId) {
        // The contract service's id, once it exists, never changes: the plan (or the tie) knows it unless this task added the service.
        const known = plan.writes.flatMap((w) => (w.kind === 'adjustment' && w.serviceId === serviceId && w.contractServiceId ? [w.contractServiceId] : []))[0]
          ?? (tied?.contractId === plan.contractId && tied.serviceId === serviceId ? tied.contractServiceId : null);
        // A repeat added one beside the other subscriptions' (never theirs); else the service's only one.
        const repeat = plan.writes.find((w): w is Extract<PlannedWrite, { kind: 'adjustment' }> => w.kind === 'adjustment' && !!w.repeatOf);
        const csId = known
          ?? (repeat ? await addedContractService(autotask, s, task, repeat, true)
            : (await othersOn(s, task, plan.contractId, serviceId)).length ? null
              : (await autotask.contractServices.query([f.eq('contractID', plan.contractId), f.eq('serviceID', serviceId)], { maxRecords: 1 })).items[0]?.id ?? null);
        await tie(s, task, plan.contractId, serviceId, csId);
      }
      await store.log(i.connectorId, 'subscription.task.applied', `Task ${i.taskId}: ${result.sent} write(s) sent, ${result.confirmed} confirmed after a lost answer, ${result.alreadyDone} already done`, { taskId: i.taskId, contractId: plan.contractId, ...result });
      return result;
    },

    /**
     * Per synced subscription (and active subscriptions of mapped customers that are not synced), the
     * marketplace's quantity, price and cost against ContractServiceUnits of the period; `createTasks`
     * adds a `change` task per drifting subscription that brings Autotask to the marketplace.
     */
    async reconcileSubscriptions(i: IntegrationScope & { period: string; createTasks?: boolean }): Promise<ReconcileResult> {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(i.period)) throw fail('validation', `period must be YYYY-MM, not "${i.period}"`);
      const s = scopeOf(i);
      const { connector, autotask, marketplace } = await clients.marketplace(i.connectorId, i.integrationId);
      const subs = new Map<string, MarketplaceSubscription>();
      for (let cursor: string | null | undefined = null, first = true; first || cursor; first = false) {
        const page = await marketplace.listSubscriptions({ cursor });
        for (const sub of page.items) subs.set(sub.id, sub);
        cursor = page.next;
        beat({ subscriptions: subs.size });
      }
      const ties = new Map((await store.subscriptionContracts(s)).map((t) => [t.subscriptionId, t]));
      const customers = new Set((await store.customerMappings(s)).filter((m) => !m.flaggedReason).map((m) => m.marketplaceCustomerId));
      const pending = new Map<string, number>();
      for (const t of await store.tasks({ ...s, states: OPEN_STATES, limit: 100_000 })) if (t.subscriptionId) pending.set(t.subscriptionId, (pending.get(t.subscriptionId) ?? 0) + 1);

      // Units on the month's last day, and those the next billing period starts with (a decrease applies from then).
      const [y, m] = i.period.split('-').map(Number);
      const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      const contracts = new Map<number, ContractFacts | null>();
      const rows: ReconcileRow[] = [];
      for (const [subscriptionId, t] of ties) {
        const sub = subs.get(subscriptionId);
        if (!contracts.has(t.contractId)) contracts.set(t.contractId, await contractFacts(autotask, t.contractId));
        const contract = contracts.get(t.contractId)!;
        const unitRows = await serviceUnitRows(autotask, t.contractId, t.serviceId, t.contractServiceId);
        const now = rowOn(unitRows, monthEnd);
        const period = contract && contract.periodMonths > 0 && contract.startDate <= monthEnd && monthEnd <= contract.endDate
          ? periodContaining({ startDate: contract.startDate, endDate: contract.endDate, periodMonths: contract.periodMonths }, monthEnd) : undefined;
        const next = period && contract && period.end < contract.endDate ? rowOn(unitRows, addDays(period.end, 1)) : undefined;
        rows.push({
          subscriptionId, customerId: sub?.customerId ?? '', productId: sub?.productId ?? '', mapped: true,
          marketplace: sub && sub.status !== 'cancelled' ? { quantity: sub.quantity, price: sub.price, cost: sub.cost } : null,
          autotask: { units: now?.units ?? 0, price: now?.price ?? null, cost: now?.cost ?? null, nextUnits: next ? next.units : null },
          pendingTasks: pending.get(subscriptionId) ?? 0,
          synced: await lastSynced(s, subscriptionId),
        });
        beat({ checked: rows.length });
      }
      // Subscriptions of mapped customers that never reached a contract: an unmapped product or a missed task.
      for (const sub of subs.values()) {
        if (ties.has(sub.id) || !customers.has(sub.customerId) || sub.status !== 'active' || sub.quantity <= 0) continue;
        const mapped = !!((await store.productMapping(s, sub.planId)) ?? (await store.productMapping(s, sub.productId)));
        rows.push({
          subscriptionId: sub.id, customerId: sub.customerId, productId: sub.productId, mapped,
          marketplace: { quantity: sub.quantity, price: sub.price, cost: sub.cost }, autotask: null, pendingTasks: pending.get(sub.id) ?? 0,
        });
      }
      const drifts = findDrifts(rows, subscriptionSettingsFor(connector.settings, i.integrationId).priceSource);

      const tasksCreated: string[] = [];
      if (i.createTasks) {
        const now = new Date();
        const today = now.toISOString().slice(0, 10);
        const drifting = [...new Set(drifts.map((d) => d.subscriptionId))];
        // The key the product is mapped under: a CloudBlue subscription names a plan id that its orders and products do not.
        const productKey = async (sub: MarketplaceSubscription) => {
          for (const key of [sub.planId, sub.productId]) if (key && (await store.productMapping(s, key))) return key;
          return sub.planId || sub.productId;
        };
        const fresh = (await Promise.all(drifting.map(async (id) => {
          const sub = subs.get(id);
          if (!sub) return [];
          const taskId = reconcileTaskId(id, i.period);
          const units = rows.find((r) => r.subscriptionId === id)?.autotask?.units ?? null;
          const event: TaskEvent = {
            id: taskId, type: 'change', vendorType: 'reconcile', customerId: sub.customerId, subscriptionId: sub.id, productId: sub.productId, planId: sub.planId,
            quantityBefore: units, quantityAfter: sub.status === 'cancelled' ? 0 : sub.quantity, effectiveDate: today, period: null, billingCycle: sub.billingCycle,
            currency: sub.currency, unitPrice: sub.price, unitCost: sub.cost, usage: null, cancellationFee: null, createdAt: now.toISOString(),
          };
          return [{
            ...s, taskId, eventId: taskId, type: 'change' as const, customerId: sub.customerId, subscriptionId: sub.id, productId: await productKey(sub),
            effectiveDate: today, event: event as unknown as Record<string, unknown>, eventCreatedAt: now,
          }];
        }))).flat();
        tasksCreated.push(...(await store.insertTasks(fresh)));
      }
      await store.log(i.connectorId, 'subscription.reconcile', `Reconciliation of ${i.period}: ${rows.length} subscription(s) checked, ${drifts.length} drift(s)${i.createTasks ? `, ${tasksCreated.length} task(s) created` : ''}`, {
        integrationId: i.integrationId, period: i.period, checked: rows.length, drifts: drifts.length, tasksCreated,
      });
      return { checked: rows.length, drifts, tasksCreated };
    },
  };
}
