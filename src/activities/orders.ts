// Order activities: thin steps over the Autotask client, the distributor adapter and the order
// links. Each returns a small summary; PO rows and distributor orders never travel through Temporal.
// Vendor errors are classified by the interceptor; activities catch only to look an order up
// (unknown submit outcome) or to decide something.
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Database } from '../../db';
import type { OrderLinkRow, SubmittedLineOutcome, WrittenSnapshot } from '../../db/schema/orders';
import type { AutotaskClient } from '../autotask/client';
import { f } from '../autotask/query';
import type { ConnectorClientCache } from '../connector/clients';
import type { OrderSettings } from '../connector/settings';
import { mapWithConcurrency } from '../concurrency';
import { findOrderByPoWithin, type OrderInput, type PoLookup } from '../distributors/adapter';
import { isDistributorError } from '../distributors/errors';
import { BridgeError } from '../failures';
import type { ConnectorStore } from '../connector/store';
import { clientPoNumber } from '../orders/client-po';
import { orderProgress } from '../orders/status';
import { OrderStore } from '../orders/store';
import {
  isOpen, ORDER_MESSAGES, ORDER_WORKFLOW_TYPE, type LineView, type OrderLifecycleInput, type OrderState, type OrderTiming, type OrderTrigger,
} from '../orders/types';
import { validatePurchaseOrder } from '../orders/validate';
import { changedFields, desiredWrites, emptySnapshot, ITEM_MEMO_LIMIT, MEMO_KEY, PO_MEMO_LIMIT, problemMemoSection, spliceMemo } from '../orders/write-back';
import { workflowIds } from '../workflows/ids';
import { orderWorkflowOptions } from '../client/order-workflow';

export interface OrderActivityDeps {
  clients: ConnectorClientCache;
  connectorStore: ConnectorStore;
  database: Database;
  temporal: Client;
  taskQueue: string;
}

export interface OrderRef {
  connectorId: string;
  purchaseOrderId: number;
  /** The distributor integration (known once the PO is linked). */
  integrationId?: string;
  workflowId?: string;
}

export interface ValidateOrderResult {
  ok: boolean;
  problems: string[];
  purchaseOrderNumber: string | null;
  clientPoNumber: string;
  /** A link with distributor orders already exists: skip to tracking. */
  alreadySubmitted: boolean;
  state: OrderState;
  distributorOrderIds: string[];
  timing: OrderTiming;
}

export interface SubmitOrderOutcome {
  distributorOrderIds: string[];
  split: boolean;
  partial: boolean;
  rejectedLines: Array<{ lineNumber: string; reason: string }>;
  /** Found at the distributor by our PO number instead of submitted by this call. */
  recovered: boolean;
}

export interface SyncStatusResult {
  state: OrderState;
  lastStatus: string;
  distributorOrderIds: string[];
  /** Something at the distributor or in Autotask changed since the last poll. */
  changed: boolean;
  writes: number;
  lines: LineView[];
  error: string | null;
}

export interface LoadOrderResult {
  exists: boolean;
  state: OrderState | null;
  purchaseOrderNumber: string | null;
  clientPoNumber: string | null;
  distributorOrderIds: string[];
  lastStatus: string | null;
  lastError: string | null;
  timing: OrderTiming;
}

export interface StartCounts {
  found: number;
  started: number;
  alreadyRunning: number;
  linked: number;
}

export function orderTiming(settings: OrderSettings): OrderTiming {
  return { pollInitialMs: settings.pollSeconds.initial * 1000, pollMaxMs: settings.pollSeconds.max * 1000, pollBackoff: settings.pollSeconds.backoff, trackUntil: settings.trackUntil };
}

const SHIPPED_STATES: OrderState[] = ['partially_shipped', 'shipped', 'delivered', 'closed'];

export function createOrderActivities({ clients, connectorStore, database, temporal, taskQueue }: OrderActivityDeps) {
  const orders = new OrderStore(database);
  /** Autotask and the order's distributor: the given integration, else the connector's only distributor. */
  async function context(connectorId: string, integrationId?: string) {
    const c = await clients.distributor(connectorId, integrationId || undefined);
    return { ...c, settings: c.connector.settings.orders };
  }

  /** The distributor a PO goes to: its link's, the one asked for, the one whose vendor company the PO names, or the only one. */
  async function integrationFor(connectorId: string, asked: string | undefined, vendorId: number | undefined): Promise<string | undefined> {
    if (asked) return asked;
    if (vendorId === undefined) return undefined;
    const match = (await connectorStore.integrations(connectorId)).find((i) => i.role === 'distributor' && i.vendorCompanyId === vendorId);
    return match?.id;
  }

  async function requireLink(ref: OrderRef): Promise<OrderLinkRow> {
    const link = await orders.link(ref.connectorId, ref.purchaseOrderId);
    if (!link) throw ApplicationFailure.nonRetryable(`PO ${ref.purchaseOrderId} has not been validated for connector ${ref.connectorId}`, 'order-state');
    return link;
  }

  /** Starts (or finds running) one lifecycle workflow; `submit` also sends the submit signal. */
  async function startLifecycle(input: OrderLifecycleInput, purchaseOrderNumber: string | null, submit: boolean): Promise<'started' | 'running'> {
    const options = orderWorkflowOptions(taskQueue, input, purchaseOrderNumber);
    if (submit) {
      await temporal.workflow.signalWithStart(ORDER_WORKFLOW_TYPE, { ...options, signal: ORDER_MESSAGES.submitSignal, signalArgs: [{ by: input.trigger }] });
      return 'started';
    }
    try {
      await temporal.workflow.start(ORDER_WORKFLOW_TYPE, { ...options, workflowIdConflictPolicy: 'FAIL' });
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'running';
      throw err;
    }
  }

  async function poStatusValue(autotask: AutotaskClient, settings: OrderSettings, state: OrderState): Promise<number | null> {
    // Receiving moves the PO to Received Partial/Full itself; don't fight it.
    if (settings.receiveShipped && SHIPPED_STATES.includes(state)) return null;
    const labels = (settings.statusLabels as Record<string, string[] | undefined>)[state];
    if (!labels?.length) return null;
    const field = (await autotask.metadata.fields('PurchaseOrders')).find((x) => x.name.toLowerCase() === 'status');
    for (const label of labels) {
      const v = field?.picklistValues?.find((p) => p.isActive !== false && p.label?.toLowerCase() === label.toLowerCase());
      if (v) return Number(v.value);
    }
    return null;
  }

  /** Writes a problem/cancellation note: a UDF when configured and the entity has UDFs, else the PO memo. */
  async function writeProblem(autotask: AutotaskClient, settings: OrderSettings, purchaseOrderId: number, section: string, snapshot: WrittenSnapshot): Promise<boolean> {
    if (snapshot.po[MEMO_KEY] === section) return false;
    if (settings.writeBackTarget === 'udf' && (await autotask.metadata.info('PurchaseOrders')).hasUserDefinedFields) {
      await autotask.purchaseOrders.update({ id: purchaseOrderId, userDefinedFields: [{ name: settings.reasonUdf, value: section.slice(0, 8000) }] });
    } else {
      const po = await autotask.purchaseOrders.get(purchaseOrderId);
      if (!po) return false;
      await autotask.purchaseOrders.update({ id: purchaseOrderId, generalMemo: spliceMemo(po.generalMemo, section, PO_MEMO_LIMIT) });
    }
    snapshot.po[MEMO_KEY] = section;
    return true;
  }

  async function recordSubmitted(ref: OrderRef, link: OrderLinkRow, ids: string[], submitted: SubmittedLineOutcome[] | null, recovered: boolean, vendorName: string): Promise<void> {
    await orders.updateLink(ref.connectorId, ref.purchaseOrderId, { distributorOrderIds: ids, submitted, state: 'submitted', submittedAt: new Date(), lastError: null });
    await orders.log(ref.connectorId, recovered ? 'order.recovered' : 'order.submitted',
      `PO ${link.purchaseOrderNumber ?? ref.purchaseOrderId} ${recovered ? 'found at' : 'submitted to'} ${vendorName} as ${ids.join(', ')} (PO number ${link.clientPoNumber})`,
      { purchaseOrderId: ref.purchaseOrderId, clientPoNumber: link.clientPoNumber, distributorOrderIds: ids, rejectedLines: (submitted ?? []).filter((s) => !s.accepted) }, ref.workflowId);
  }

  return {
    async validateOrder(input: OrderRef & { trigger: OrderTrigger; opportunityId?: number }): Promise<ValidateOrderResult> {
      const link = await orders.link(input.connectorId, input.purchaseOrderId);
      const { autotask } = await clients.get(input.connectorId);
      const po = link?.distributorOrderIds.length ? undefined : await autotask.purchaseOrders.get(input.purchaseOrderId);
      const { integration, distributor, settings, vendorName, vendorCompanyId } = await context(input.connectorId, link?.integrationId ?? (await integrationFor(input.connectorId, input.integrationId, po?.vendorID ?? undefined)));
      const timing = orderTiming(settings);
      const poNumber = clientPoNumber(input.purchaseOrderId, settings.clientPoPrefix);
      if (link && link.distributorOrderIds.length) {
        return { ok: true, problems: [], purchaseOrderNumber: link.purchaseOrderNumber, clientPoNumber: link.clientPoNumber, alreadySubmitted: true, state: link.state as OrderState, distributorOrderIds: link.distributorOrderIds, timing };
      }
      let problems: string[];
      let purchaseOrderNumber: string | null = null;
      if (!po) {
        problems = [`Autotask has no purchase order ${input.purchaseOrderId}.`];
      } else {
        purchaseOrderNumber = po.purchaseOrderNumber ?? String(po.id);
        const items = await autotask.purchaseOrderItems.forParent(po.id);
        const products = await orders.productMappings({ connectorId: input.connectorId, integrationId: integration.id }, [...new Set(items.map((i) => i.productID).filter((x): x is number => !!x))]);
        const result = validatePurchaseOrder(po, items, products, { vendorCompanyId, vendorName, shipToCountryCode: settings.shipToCountryCode, acceptBackOrder: settings.acceptBackOrder, addressRules: distributor.capabilities.orderAddress });
        problems = result.problems;
        if (!problems.length) {
          await orders.upsertLink(input.connectorId, input.purchaseOrderId, {
            integrationId: integration.id, clientPoNumber: link?.clientPoNumber ?? poNumber, state: 'validated', purchaseOrderNumber, lines: result.lines,
            orderInput: result.order as unknown as Record<string, unknown>, trigger: input.trigger, opportunityId: input.opportunityId ?? null,
            workflowId: input.workflowId ?? null, lastError: null,
          });
        }
      }
      return { ok: !problems.length, problems, purchaseOrderNumber, clientPoNumber: link?.clientPoNumber ?? poNumber, alreadySubmitted: false, state: problems.length ? 'rejected' : 'validated', distributorOrderIds: [], timing };
    },

    /** Exactly once: the link, then the distributor (by our PO number), and only then a submit. */
    async submitDistributorOrder(ref: OrderRef): Promise<SubmitOrderOutcome> {
      const link = await requireLink(ref);
      const { distributor, vendorName } = await context(ref.connectorId, link.integrationId);
      if (link.distributorOrderIds.length) {
        return { distributorOrderIds: link.distributorOrderIds, split: link.distributorOrderIds.length > 1, partial: false, rejectedLines: [], recovered: true };
      }
      const recover = async (lookup: PoLookup): Promise<SubmitOrderOutcome> => {
        await recordSubmitted(ref, link, lookup.distributorOrderIds, null, true, vendorName);
        return { distributorOrderIds: lookup.distributorOrderIds, split: lookup.distributorOrderIds.length > 1, partial: false, rejectedLines: [], recovered: true };
      };
      const existing = link.submitAttemptedAt ? await findOrderByPoWithin(distributor, link.clientPoNumber) : await distributor.findOrderByPo(link.clientPoNumber);
      if (existing) return recover(existing);
      if (!link.orderInput) throw ApplicationFailure.nonRetryable(`PO ${ref.purchaseOrderId} has no validated order to submit`, 'order-state');
      await orders.updateLink(ref.connectorId, ref.purchaseOrderId, { submitAttemptedAt: new Date() });
      let result;
      try {
        result = await distributor.submitOrder(link.orderInput as unknown as OrderInput, link.clientPoNumber);
      } catch (err) {
        // The order may exist although no answer came back (or came back "duplicate"): look before anything else.
        if (isDistributorError(err) && (err.kind === 'outcome_unknown' || err.kind === 'conflict')) {
          const found = await findOrderByPoWithin(distributor, link.clientPoNumber);
          if (found) return recover(found);
        }
        throw err;
      }
      const submitted: SubmittedLineOutcome[] = result.lines.map((l) => ({ lineNumber: l.lineNumber, accepted: l.accepted, distributorOrderId: l.distributorOrderId, reason: l.reason }));
      await recordSubmitted(ref, link, result.distributorOrderIds, submitted, false, vendorName);
      return {
        distributorOrderIds: result.distributorOrderIds, split: result.split, partial: result.partial, recovered: false,
        rejectedLines: result.lines.filter((l) => !l.accepted).map((l) => ({ lineNumber: l.lineNumber, reason: l.reason ?? 'rejected' })),
      };
    },

    /** One poll: the distributor's orders → state, and what changed written back to Autotask. */
    async syncOrderStatus(ref: OrderRef): Promise<SyncStatusResult> {
      const link = await requireLink(ref);
      const { autotask, distributor, settings, vendorName } = await context(ref.connectorId, link.integrationId);
      const ids = link.distributorOrderIds;
      const found = await mapWithConcurrency(ids, 4, (id) => distributor.getOrder(id));
      const progress = orderProgress(link.lines, link.submitted ?? null, found, ids);
      const snapshot: WrittenSnapshot = structuredClone(link.written ?? emptySnapshot());
      const desired = desiredWrites(progress, {
        distributorName: vendorName, clientPoNumber: link.clientPoNumber, distributorOrderIds: ids,
        statusValue: await poStatusValue(autotask, settings, progress.state),
      });
      let writes = 0;
      const poId = ref.purchaseOrderId;

      const poChanges = changedFields(desired.po, snapshot.po);
      if (Object.keys(poChanges).length) {
        const { [MEMO_KEY]: section, ...fields } = poChanges;
        const body: Record<string, unknown> = { ...fields };
        if (section !== undefined) {
          const po = await autotask.purchaseOrders.get(poId);
          body.generalMemo = spliceMemo(po?.generalMemo, String(section), PO_MEMO_LIMIT);
        }
        await autotask.purchaseOrders.update({ id: poId, ...body });
        writes++;
        Object.assign(snapshot.po, poChanges);
      }

      const itemChanges = Object.entries(desired.items)
        .map(([id, d]) => [id, changedFields(d, snapshot.items[id])] as const)
        .filter(([, c]) => Object.keys(c).length);
      if (itemChanges.length) {
        const needMemo = itemChanges.some(([, c]) => MEMO_KEY in c);
        const current = needMemo ? new Map((await autotask.purchaseOrderItems.forParent(poId)).map((i) => [String(i.id), i])) : new Map();
        await mapWithConcurrency(itemChanges, 3, async ([id, c]) => {
          const { [MEMO_KEY]: section, ...fields } = c;
          const body: Record<string, unknown> = { ...fields };
          if (section !== undefined) body.memo = spliceMemo(current.get(id)?.memo, String(section), ITEM_MEMO_LIMIT);
          await autotask.purchaseOrderItems.update(poId, { id: Number(id), ...body });
          snapshot.items[id] = { ...snapshot.items[id], ...c };
        });
        writes += itemChanges.length;
      }

      if (settings.receiveShipped) {
        for (const line of progress.lines) {
          const target = Math.min(line.shipped, line.ordered);
          const key = String(line.purchaseOrderItemId);
          if (target <= (snapshot.received[key] ?? 0)) continue;
          // Receiving is a create: count what Autotask already holds so a repeat never receives twice.
          const { items } = await autotask.purchaseOrderItemReceiving.query(f.eq('purchaseOrderItemID', line.purchaseOrderItemId));
          const already = items.reduce((n, r) => n + (r.quantityNowReceiving ?? 0), 0);
          const now = target - already;
          if (now > 0) {
            await autotask.purchaseOrderItemReceiving.create(line.purchaseOrderItemId, {
              quantityNowReceiving: now,
              quantityBackOrdered: Math.max(0, Math.min(line.backordered, line.ordered - target)),
              receiveDate: new Date().toISOString(),
              ...(line.invoiceNumbers[0] ? { vendorInvoiceNumber: line.invoiceNumbers[0].slice(0, 50) } : {}),
            });
            writes++;
          }
          snapshot.received[key] = Math.max(already, target);
        }
      }

      const state = progress.error ? (link.state as OrderState) : progress.state;
      const changed = writes > 0 || state !== link.state || progress.vendorStatus !== link.lastStatus;
      await orders.updateLink(ref.connectorId, poId, {
        state, lastStatus: progress.vendorStatus, written: snapshot, lastPolledAt: new Date(),
        ...(state === 'closed' || state === 'cancelled' ? { closedAt: new Date() } : {}),
      });
      if (state !== link.state) {
        await orders.log(ref.connectorId, 'order.status', `PO ${link.purchaseOrderNumber ?? poId}: ${link.state} → ${state} (${progress.vendorStatus})`, { purchaseOrderId: poId, from: link.state, to: state, writes }, ref.workflowId);
      }
      return {
        state, lastStatus: progress.vendorStatus, distributorOrderIds: ids, changed, writes, error: progress.error,
        lines: progress.lines.slice(0, 100).map((l) => ({
          lineNumber: l.lineNumber, purchaseOrderItemId: l.purchaseOrderItemId, distributorSku: l.distributorSku, distributorOrderId: l.distributorOrderId,
          status: l.status, ordered: l.ordered, shipped: l.shipped, backordered: l.backordered, eta: l.eta,
          tracking: l.tracking.map((t) => `${t.carrier ?? ''} ${t.trackingNumber ?? ''}`.trim()),
        })),
      };
    },

    /** Rejected, error or cancelled before submission: the link, the action log and a note in Autotask. */
    async recordOrderOutcome(input: OrderRef & { state: 'rejected' | 'error' | 'cancelled'; reason: string }): Promise<{ written: boolean }> {
      const link = await orders.link(input.connectorId, input.purchaseOrderId);
      const { autotask, settings, vendorName, integration } = await context(input.connectorId, link?.integrationId ?? input.integrationId);
      const snapshot: WrittenSnapshot = structuredClone(link?.written ?? emptySnapshot());
      // After a submission the state comes from the distributor; an error is noted beside it.
      const state = input.state === 'error' || !link?.distributorOrderIds.length ? input.state : (link.state as OrderState);
      await orders.upsertLink(input.connectorId, input.purchaseOrderId, {
        integrationId: integration.id, clientPoNumber: link?.clientPoNumber ?? clientPoNumber(input.purchaseOrderId, settings.clientPoPrefix),
        state, lastError: input.state === 'cancelled' ? null : input.reason.slice(0, 4000), workflowId: input.workflowId ?? null,
      });
      await orders.log(input.connectorId, `order.${input.state}`, `PO ${link?.purchaseOrderNumber ?? input.purchaseOrderId} ${input.state}: ${input.reason}`, { purchaseOrderId: input.purchaseOrderId }, input.workflowId);
      const written = await writeProblem(autotask, settings, input.purchaseOrderId, problemMemoSection(input.state, vendorName, input.reason), snapshot);
      if (written) await orders.updateLink(input.connectorId, input.purchaseOrderId, { written: snapshot });
      return { written };
    },

    /** Cancels every distributor order of the PO (the distributor may refuse: a non-retryable failure). */
    async cancelDistributorOrders(ref: OrderRef): Promise<{ cancelled: string[] }> {
      const link = await requireLink(ref);
      const { distributor, vendorName } = await context(ref.connectorId, link.integrationId);
      const cancelled: string[] = [];
      for (const id of link.distributorOrderIds) {
        const order = await distributor.getOrder(id);
        if (!order || order.status === 'cancelled') continue;
        await distributor.cancelOrder(id);
        cancelled.push(id);
      }
      await orders.log(ref.connectorId, 'order.cancel', `PO ${link.purchaseOrderNumber ?? ref.purchaseOrderId}: cancelled ${cancelled.join(', ') || 'nothing'} at ${vendorName}`, { purchaseOrderId: ref.purchaseOrderId, cancelled }, ref.workflowId);
      return { cancelled };
    },

    /** The link as stored: how a restarted (sweep) run picks up where the last one was. */
    async loadOrder(ref: OrderRef): Promise<LoadOrderResult> {
      const link = await orders.link(ref.connectorId, ref.purchaseOrderId);
      const settings = (await clients.get(ref.connectorId)).connector.settings.orders;
      return {
        exists: !!link, state: (link?.state as OrderState | undefined) ?? null, purchaseOrderNumber: link?.purchaseOrderNumber ?? null,
        clientPoNumber: link?.clientPoNumber ?? null, distributorOrderIds: link?.distributorOrderIds ?? [], lastStatus: link?.lastStatus ?? null,
        lastError: link?.lastError ?? null, timing: orderTiming(settings),
      };
    },

    /** Submit Order tick: POs of the distributor's vendor company in a submit status and not yet linked get a workflow. */
    async scanPurchaseOrders(input: { connectorId: string; integrationId: string }): Promise<StartCounts> {
      const { autotask, settings, vendorCompanyId, vendorName } = await context(input.connectorId, input.integrationId);
      if (!vendorCompanyId) throw new BridgeError('settings', `${vendorName} (integration ${input.integrationId}) has no Autotask vendor company: run \`autotask-bridge reconnect\``, { source: input.integrationId });
      const counts: StartCounts = { found: 0, started: 0, alreadyRunning: 0, linked: 0 };
      const filter = [f.eq('vendorID', vendorCompanyId), settings.submitStatuses.length === 1 ? f.eq('status', settings.submitStatuses[0]) : f.in('status', settings.submitStatuses)];
      for await (const page of autotask.purchaseOrders.pages({ filter, includeFields: ['id', 'purchaseOrderNumber'] })) {
        counts.found += page.items.length;
        const linked = await orders.linkedPurchaseOrders(input.connectorId, page.items.map((p) => p.id));
        counts.linked += linked.size;
        const todo = page.items.filter((p) => !linked.has(p.id)).slice(0, Math.max(0, settings.maxStartsPerScan - counts.started));
        const results = await mapWithConcurrency(todo, 16, (p) =>
          startLifecycle({ connectorId: input.connectorId, integrationId: input.integrationId, purchaseOrderId: p.id, trigger: 'schedule' }, p.purchaseOrderNumber ?? String(p.id), false));
        for (const r of results) counts[r === 'started' ? 'started' : 'alreadyRunning']++;
        heartbeat(counts);
        if (counts.started >= settings.maxStartsPerScan) break;
      }
      if (counts.started) await orders.log(input.connectorId, 'order.scan', `Submit Order scan: ${counts.started} purchase order(s) started, ${counts.alreadyRunning} already running`, { ...counts });
      return counts;
    },

    /** Get Order Status tick: every open linked order has its lifecycle workflow running. */
    async ensureOrderWorkflows(input: { connectorId: string; integrationId: string }): Promise<StartCounts> {
      const { settings } = await context(input.connectorId, input.integrationId);
      const states = ['validated', 'submitted', 'processing', 'backordered', 'partially_shipped', 'shipped', 'delivered', 'error'].filter((s) => isOpen(s as OrderState, settings.trackUntil));
      const open = await orders.linksInStates({ connectorId: input.connectorId, integrationId: input.integrationId }, states, settings.maxStartsPerScan * 10);
      const results = await mapWithConcurrency(open, 16, (l) =>
        startLifecycle({ connectorId: input.connectorId, integrationId: input.integrationId, purchaseOrderId: l.purchaseOrderId, trigger: 'sweep' }, l.purchaseOrderNumber, false));
      const started = results.filter((r) => r === 'started').length;
      if (started) await orders.log(input.connectorId, 'order.sweep', `Get Order Status: restarted tracking of ${started} order(s)`, { open: open.length, started });
      return { found: open.length, started, alreadyRunning: results.length - started, linked: open.length };
    },

    /** The "single click": a won opportunity's quote products become an Autotask PO for the distributor, once. */
    async createPurchaseOrderFromOpportunity(input: { connectorId: string; integrationId?: string; opportunityId: number; workflowId?: string }): Promise<{ purchaseOrderId: number; purchaseOrderNumber: string; created: boolean; items: number }> {
      const { autotask, settings, vendorCompanyId, vendorName } = await context(input.connectorId, input.integrationId);
      const { opportunityId } = input;
      if (!vendorCompanyId) throw new BridgeError('settings', `${vendorName} has no Autotask vendor company: run \`autotask-bridge reconnect\``, { source: input.integrationId ?? 'engine' });
      const opp = await autotask.opportunities.get(opportunityId);
      if (!opp) throw ApplicationFailure.nonRetryable(`Autotask has no opportunity ${opportunityId}`, 'validation');
      const statusField = (await autotask.metadata.fields('Opportunities')).find((x) => x.name === 'status');
      const statusLabel = statusField?.picklistValues?.find((p) => p.value === String(opp.status))?.label ?? String(opp.status);
      if (!settings.fromOpportunity.wonStatusLabels.some((l) => l.toLowerCase() === statusLabel.toLowerCase())) {
        throw ApplicationFailure.nonRetryable(`Opportunity ${opportunityId} is ${statusLabel}, not won (${settings.fromOpportunity.wonStatusLabels.join(' or ')})`, 'validation');
      }
      const { items: quotes } = await autotask.quotes.query(f.eq('opportunityID', opportunityId));
      const quote = quotes.find((q) => q.primaryQuote) ?? quotes[0];
      if (!quote) throw ApplicationFailure.nonRetryable(`Opportunity ${opportunityId} has no quote`, 'validation');
      const productType = await autotask.metadata.picklistValue('QuoteItems', 'quoteItemType', 'Product');
      const quoteItems = (await autotask.quoteItems.forParent(quote.id))
        .filter((q) => q.productID && !q.isOptional && (productType === undefined || String(q.quoteItemType) === productType))
        .sort((a, b) => a.id - b.id);
      if (!quoteItems.length) throw ApplicationFailure.nonRetryable(`Quote ${quote.id} of opportunity ${opportunityId} has no product items`, 'validation');

      const marker = `opp-${opportunityId}`;
      await orders.claimOpportunity(input.connectorId, opportunityId, marker);
      let purchaseOrderId = (await orders.opportunityOrder(input.connectorId, opportunityId))?.purchaseOrderId ?? null;
      let created = false;
      if (!purchaseOrderId) {
        // A crash after the create but before we stored its id: the marker finds it.
        const { items: found } = await autotask.purchaseOrders.query([f.eq('externalPONumber', marker), f.eq('vendorID', vendorCompanyId)]);
        purchaseOrderId = found[0]?.id ?? null;
      }
      if (!purchaseOrderId) {
        const company = opp.companyID ? await autotask.companies.get(opp.companyID) : null;
        const status = await autotask.metadata.picklistValue('PurchaseOrders', 'status', settings.fromOpportunity.statusLabel);
        if (!status) throw ApplicationFailure.nonRetryable(`PurchaseOrders.status has no "${settings.fromOpportunity.statusLabel}" value`, 'settings');
        purchaseOrderId = await autotask.purchaseOrders.create({
          vendorID: vendorCompanyId,
          status: Number(status),
          purchaseForCompanyID: company?.id ?? opp.companyID ?? undefined,
          shipToName: company?.companyName ?? '',
          shipToAddress1: company?.address1 ?? '',
          ...(company?.address2 ? { shipToAddress2: company.address2 } : {}),
          ...(company?.city ? { shipToCity: company.city } : {}),
          ...(company?.state ? { shipToState: company.state } : {}),
          ...(company?.postalCode ? { shipToPostalCode: company.postalCode } : {}),
          externalPONumber: marker,
          generalMemo: `Created by autotask-bridge from won opportunity ${opportunityId} (${opp.title ?? ''}), quote ${quote.id}, for ${vendorName}.`,
        });
        created = true;
      }
      await orders.setOpportunityPurchaseOrder(input.connectorId, opportunityId, purchaseOrderId);

      // Items: create only those not there yet (a retry after a crash mid-way finds the rest).
      const existing = await autotask.purchaseOrderItems.forParent(purchaseOrderId);
      const have = new Map<number, number>();
      for (const i of existing) if (i.productID) have.set(i.productID, (have.get(i.productID) ?? 0) + 1);
      const missing = quoteItems.filter((q) => {
        const n = have.get(q.productID!) ?? 0;
        if (n > 0) {
          have.set(q.productID!, n - 1);
          return false;
        }
        return true;
      });
      if (missing.length) {
        const location = settings.fromOpportunity.inventoryLocationId ?? (await defaultInventoryLocation(autotask));
        if (!location) throw ApplicationFailure.nonRetryable('No active Autotask inventory location for PO items: set orders.fromOpportunity.inventoryLocationId', 'settings');
        for (const q of missing) {
          await autotask.purchaseOrderItems.create(purchaseOrderId, {
            productID: q.productID!, quantity: Math.round(q.quantity ?? 0), unitCost: q.unitCost ?? 0, inventoryLocationID: location,
          });
        }
      }
      if (created) {
        await orders.log(input.connectorId, 'order.from-opportunity', `Opportunity ${opportunityId}: created PO ${purchaseOrderId} with ${quoteItems.length} item(s)`, { opportunityId, purchaseOrderId, quoteId: quote.id }, input.workflowId);
      }
      const po = await autotask.purchaseOrders.get(purchaseOrderId);
      return { purchaseOrderId, purchaseOrderNumber: po?.purchaseOrderNumber ?? String(purchaseOrderId), created, items: quoteItems.length };
    },

    /** Starts the PO's lifecycle workflow (or signals the running one) and asks it to submit. */
    async startOrderSubmission(input: { connectorId: string; integrationId?: string; purchaseOrderId: number; purchaseOrderNumber?: string; trigger: OrderTrigger; opportunityId?: number; timing?: Partial<OrderTiming>; activityTimeoutMs?: number }): Promise<{ workflowId: string }> {
      const { purchaseOrderNumber, ...lifecycle } = input;
      await startLifecycle(lifecycle, purchaseOrderNumber ?? null, true);
      return { workflowId: workflowIds.order(input.connectorId, input.purchaseOrderId) };
    },

    /** PO number (or id) → the Autotask PO id, for `autotask-bridge orders submit <PO number>`. */
    async findPurchaseOrder(input: { connectorId: string; purchaseOrderNumber: string }): Promise<{ purchaseOrderId: number | null; purchaseOrderNumber: string | null; matches: number }> {
      const { autotask } = await clients.get(input.connectorId);
      const { items } = await autotask.purchaseOrders.query(f.eq('purchaseOrderNumber', input.purchaseOrderNumber), { includeFields: ['id', 'purchaseOrderNumber'], maxRecords: 10 });
      if (items.length) return { purchaseOrderId: items.length === 1 ? items[0].id : null, purchaseOrderNumber: input.purchaseOrderNumber, matches: items.length };
      if (/^\d+$/.test(input.purchaseOrderNumber)) {
        const po = await autotask.purchaseOrders.get(Number(input.purchaseOrderNumber));
        if (po) return { purchaseOrderId: po.id, purchaseOrderNumber: po.purchaseOrderNumber ?? String(po.id), matches: 1 };
      }
      return { purchaseOrderId: null, purchaseOrderNumber: null, matches: 0 };
    },
  };
}

async function defaultInventoryLocation(autotask: AutotaskClient): Promise<number | null> {
  const { items } = await autotask.inventoryLocations.query(f.eq('isActive', true), { maxRecords: 50 });
  return (items.find((l) => l.isDefault) ?? items[0])?.id ?? null;
}

