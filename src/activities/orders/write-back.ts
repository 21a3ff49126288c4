// Get Order Status, one poll: the distributor's orders → the PO's state, and only what changed
// written back to Autotask (PO status, references and invoices; each line's details in its memo and
// its arrival date; a PO memo note; receiving). A shipped order whose invoice never comes is closed
// after the bounded wait. Also the note for a rejected, failed or cancelled PO.
import type { WrittenSnapshot } from '../../../db/schema/orders';
import type { AutotaskClient } from '../../autotask/client';
import { f } from '../../autotask/query';
import { mapWithConcurrency } from '../../concurrency';
import type { OrderSettings } from '../../connector/settings';
import { clientPoNumber } from '../../orders/client-po';
import { orderProgress } from '../../orders/status';
import { isAwaitingAfterShipment, type LineView, type OrderState, type TrackUntil } from '../../orders/types';
import { changedFields, desiredWrites, emptySnapshot, ITEM_MEMO_LIMIT, MEMO_KEY, PO_MEMO_LIMIT, problemMemoSection, spliceMemo } from '../../orders/write-back';
import { orderTiming, type OrderContext, type OrderRef } from './context';

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

/** The workflow's timing where it overrides the connector's settings (tests, benchmarks). */
export interface SyncStatusInput extends OrderRef {
  trackUntil?: TrackUntil;
  invoiceWaitMs?: number;
}

/** Every live line shipped: the bounded wait for the invoice counts from the first poll that saw it. */
const SHIPPED_STATES: OrderState[] = ['shipped', 'delivered', 'closed'];
/** Receiving moves the PO to Received Partial/Full itself. */
const RECEIVED_STATES: OrderState[] = ['partially_shipped', ...SHIPPED_STATES];

export function writeBackActivities({ orders, context, requireLink }: OrderContext) {
  async function poStatusValue(autotask: AutotaskClient, settings: OrderSettings, state: OrderState): Promise<number | null> {
    // Receiving moves the PO to Received Partial/Full itself; don't fight it.
    if (settings.receiveShipped && RECEIVED_STATES.includes(state)) return null;
    const labels = (settings.statusLabels as Record<string, string[] | undefined>)[state];
    if (!labels?.length) return null;
    const field = await autotask.metadata.field('PurchaseOrders', 'status');
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

  return {
    /** One poll: the distributor's orders → state, and what changed written back to Autotask. */
    async syncOrderStatus(ref: SyncStatusInput): Promise<SyncStatusResult> {
      const link = await requireLink(ref);
      const { autotask, distributor, settings, vendorName } = await context(ref.connectorId, link.integrationId);
      const ids = link.distributorOrderIds;
      const found = await mapWithConcurrency(ids, 4, (id) => distributor.getOrder(id));
      let progress = orderProgress(link.lines, link.submitted ?? null, found, ids);
      const polledAt = new Date();

      // Never poll forever: a shipped order still waiting (for its invoice, or delivery) past the wait is closed.
      const timing = orderTiming(settings);
      const trackUntil = ref.trackUntil ?? timing.trackUntil;
      const waitMs = ref.invoiceWaitMs ?? timing.invoiceWaitMs!;
      const shippedAt = link.shippedAt ?? (!progress.error && SHIPPED_STATES.includes(progress.state) ? polledAt : null);
      let stopped: string | undefined;
      if (!progress.error && shippedAt && isAwaitingAfterShipment(progress.state, trackUntil) && polledAt.getTime() - shippedAt.getTime() >= waitMs) {
        stopped = `${progress.state}, ${trackUntil === 'closed' ? 'no invoice' : 'not delivered'} after ${waitText(waitMs)}; polling stopped`;
        progress = { ...progress, state: 'closed' };
      }

      const snapshot: WrittenSnapshot = structuredClone(link.written ?? emptySnapshot());
      const desired = desiredWrites(progress, {
        distributorName: vendorName, clientPoNumber: link.clientPoNumber, distributorOrderIds: ids,
        statusValue: await poStatusValue(autotask, settings, progress.state), ...(stopped ? { note: `Closed: ${stopped}` } : {}),
      }, snapshot);
      let writes = 0;
      const poId = ref.purchaseOrderId;

      // Owned fields go as they are; a memo is read just before it is written (all of the PO's items in
      // one query, or the PO), so whatever a person wrote in it since the last write stays. No read when
      // no memo section changed; only the items whose section or arrival date changed are PATCHed.
      // The lines go first: a poll whose line writes fail leaves the PO (and an error note on it) as it was.
      try {
        const itemChanges = Object.entries(desired.items)
          .map(([id, d]) => [id, changedFields(d, snapshot.items[id])] as const)
          .filter(([, c]) => Object.keys(c).length);
        if (itemChanges.length) {
          const needMemo = itemChanges.some(([, c]) => MEMO_KEY in c);
          const current = needMemo ? new Map((await autotask.purchaseOrderItems.forParent(poId, { includeFields: ['memo'] })).map((i) => [String(i.id), i])) : new Map();
          await mapWithConcurrency(itemChanges, 3, async ([id, c]) => {
            const { [MEMO_KEY]: section, ...fields } = c;
            const body: Record<string, unknown> = { ...fields };
            if (section !== undefined) body.memo = spliceMemo(current.get(id)?.memo, String(section), ITEM_MEMO_LIMIT);
            await autotask.purchaseOrderItems.update(poId, { id: Number(id), ...body });
            snapshot.items[id] = { ...snapshot.items[id], ...c };
          });
          writes += itemChanges.length;
        }

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
      } catch (err) {
        // What was written stays recorded (some lines before a refused one): the next write, and the
        // error note, compare against what Autotask really holds.
        await orders.updateLink(ref.connectorId, poId, { written: snapshot }).catch(() => undefined);
        throw err;
      }

      const state = progress.error ? (link.state as OrderState) : progress.state;
      const changed = writes > 0 || state !== link.state || progress.vendorStatus !== link.lastStatus;
      await orders.updateLink(ref.connectorId, poId, {
        state, lastStatus: progress.vendorStatus, written: snapshot, lastPolledAt: polledAt, shippedAt,
        ...(state === 'closed' || state === 'cancelled' ? { closedAt: polledAt } : {}),
      });
      if (state !== link.state) {
        await orders.log(ref.connectorId, 'order.status', `PO ${link.purchaseOrderNumber ?? poId}: ${link.state} → ${state} (${progress.vendorStatus})`, { purchaseOrderId: poId, from: link.state, to: state, writes }, ref.workflowId);
      }
      if (stopped) {
        await orders.log(ref.connectorId, 'order.invoice-wait', `PO ${link.purchaseOrderNumber ?? poId}: ${stopped}`, { purchaseOrderId: poId, shippedAt: shippedAt!.toISOString(), waitMs }, ref.workflowId);
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
  };
}

/** `30 days`, or hours/minutes/seconds for the short waits of tests. */
function waitText(ms: number): string {
  for (const [unit, size] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]] as const) {
    if (ms >= size) return plural(Math.round((ms / size) * 10) / 10, unit);
  }
  return plural(Math.round(ms / 100) / 10, 'second');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
