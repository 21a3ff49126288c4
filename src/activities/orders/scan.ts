// Which POs get a lifecycle workflow: the Submit Order scan (POs in a confirmed submit status), the
// Get Order Status sweep (open links whose workflow is gone, and where such a run resumes), a
// submission asked for by another workflow, and the PO-number lookup behind the CLI.
import { beat } from '../heartbeat';
import type { AutotaskClient } from '../../autotask/client';
import { f } from '../../autotask/query';
import { mapWithConcurrency } from '../../concurrency';
import { submitStatusFilter } from '../../connector/settings';
import { BridgeError } from '../../failures';
import { isOpen, SCANNED_ITEM_FIELDS, SCANNED_ITEMS_MAX, SCANNED_PO_FIELDS, type OrderState, type OrderTiming, type OrderTrigger, type ScannedPurchaseOrder } from '../../orders/types';
import type { PoItemForValidation } from '../../orders/validate';
import { workflowIds } from '../../workflows/ids';
import { orderTiming, type OrderContext, type OrderRef } from './context';

export interface StartCounts {
  found: number;
  started: number;
  alreadyRunning: number;
  linked: number;
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

export function scanActivities({ clients, orders, context, startLifecycle }: OrderContext) {
  return {
    /** Submit Order tick: POs of the distributor's vendor company in a submit status and not yet linked get a workflow. */
    async scanPurchaseOrders(input: { connectorId: string; integrationId: string }): Promise<StartCounts> {
      const { autotask, settings, vendorCompanyId, vendorName } = await context(input.connectorId, input.integrationId);
      if (!vendorCompanyId) throw new BridgeError('settings', `${vendorName} (integration ${input.integrationId}) has no Autotask vendor company: run \`autotask-bridge reconnect\``, { source: input.integrationId });
      const statuses = submitStatusFilter(settings);
      const counts: StartCounts = { found: 0, started: 0, alreadyRunning: 0, linked: 0 };
      const filter = [f.eq('vendorID', vendorCompanyId), statuses.length === 1 ? f.eq('status', statuses[0]) : f.in('status', statuses)];
      // The fields validation needs come with the page, and the items of the POs to start in one query
      // per page: each workflow's first validation reads nothing from Autotask.
      for await (const page of autotask.purchaseOrders.pages({ filter, includeFields: [...SCANNED_PO_FIELDS] })) {
        const scannedAt = new Date().toISOString();
        counts.found += page.items.length;
        const linked = await orders.linkedPurchaseOrders(input.connectorId, page.items.map((p) => p.id));
        counts.linked += linked.size;
        const todo = page.items.filter((p) => !linked.has(p.id)).slice(0, Math.max(0, settings.maxStartsPerScan - counts.started));
        const items = await itemsOf(autotask, todo.map((p) => p.id));
        const results = await mapWithConcurrency(todo, 16, (p) =>
          startLifecycle({ connectorId: input.connectorId, integrationId: input.integrationId, purchaseOrderId: p.id, trigger: 'schedule', scanned: scannedCopy(p, scannedAt, items.get(p.id)) }, p.purchaseOrderNumber ?? String(p.id), false));
        for (const r of results) counts[r === 'started' ? 'started' : 'alreadyRunning']++;
        beat(counts);
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

/** The items of these POs (at most 500, one scan page), by PO; a PO with too many items is left out (null). */
async function itemsOf(autotask: AutotaskClient, poIds: number[]): Promise<Map<number, PoItemForValidation[] | null>> {
  const out = new Map<number, PoItemForValidation[] | null>(poIds.map((id) => [id, []]));
  if (!poIds.length) return out;
  for await (const page of autotask.purchaseOrderItems.pages({ filter: f.in('orderID', poIds), includeFields: [...SCANNED_ITEM_FIELDS] })) {
    for (const i of page.items) {
      const list = i.orderID ? out.get(i.orderID) : undefined;
      if (!list) continue;
      if (list.length >= SCANNED_ITEMS_MAX) out.set(i.orderID!, null);
      else list.push({ id: i.id, productID: i.productID ?? null, quantity: i.quantity ?? null, unitCost: i.unitCost ?? null });
    }
  }
  return out;
}

/** The scan's copy of a PO for its workflow: only the fields validation reads, and its items unless there are too many. */
function scannedCopy(p: Record<string, unknown> & { id: number }, scannedAt: string, items: PoItemForValidation[] | null | undefined): ScannedPurchaseOrder {
  const copy: ScannedPurchaseOrder = { id: p.id, scannedAt };
  for (const k of SCANNED_PO_FIELDS) if (p[k] !== undefined && p[k] !== null) Object.assign(copy, { [k]: p[k] });
  if (items) copy.items = items;
  return copy;
}
