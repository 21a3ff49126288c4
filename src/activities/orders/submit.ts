// Submit Order, step 2, exactly once: the link, then the distributor (by our PO number), and only
// then a submit. Also the distributor side of a cancellation.
import { ApplicationFailure } from '@temporalio/activity';
import type { OrderLinkRow, SubmittedLineOutcome } from '../../../db/schema/orders';
import { findOrderByPoWithin, type OrderInput, type PoLookup } from '../../distributors/adapter';
import { isDistributorError } from '../../distributors/errors';
import type { OrderContext, OrderRef } from './context';

export interface SubmitOrderOutcome {
  distributorOrderIds: string[];
  split: boolean;
  partial: boolean;
  rejectedLines: Array<{ lineNumber: string; reason: string }>;
  /** Found at the distributor by our PO number instead of submitted by this call. */
  recovered: boolean;
}

export function submitActivities({ orders, context, requireLink }: OrderContext) {
  async function recordSubmitted(ref: OrderRef, link: OrderLinkRow, ids: string[], submitted: SubmittedLineOutcome[] | null, recovered: boolean, vendorName: string): Promise<void> {
    await orders.updateLink(ref.connectorId, ref.purchaseOrderId, { distributorOrderIds: ids, submitted, state: 'submitted', submittedAt: new Date(), lastError: null });
    await orders.log(ref.connectorId, recovered ? 'order.recovered' : 'order.submitted',
      `PO ${link.purchaseOrderNumber ?? ref.purchaseOrderId} ${recovered ? 'found at' : 'submitted to'} ${vendorName} as ${ids.join(', ')} (PO number ${link.clientPoNumber})`,
      { purchaseOrderId: ref.purchaseOrderId, clientPoNumber: link.clientPoNumber, distributorOrderIds: ids, rejectedLines: (submitted ?? []).filter((s) => !s.accepted) }, ref.workflowId);
  }

  return {
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
  };
}
