// Which marketplace events become one sync task. Autotask takes one ContractServiceAdjustment per service and
// date ("Attempt to insert duplicate data into contract_service_period", notes/contracts-and-marketplaces.md), so
// same-day orders of one subscription become one task and one adjustment. Pure.
import type { TaskEvent } from './types';

/** The marketplace event id made safe for a workflow id: `[A-Za-z0-9._:-]`, anything else → `_`. */
export function taskIdFor(event: Pick<TaskEvent, 'id'>): string {
  return event.id.replace(/[^A-Za-z0-9._:-]/g, '_');
}

/**
 * Same subscription + same effective date + change/sales/cancellation → one task (Autotask takes one adjustment per
 * service and date): the first event is primary; quantityAfter of the last wins. Billing events never merge. Order kept.
 * `merged` holds the events folded into the primary (not the primary itself); `effective` is what the task plans from.
 */
export function groupEvents(events: TaskEvent[]): Array<{ primary: TaskEvent; merged: TaskEvent[]; effective: TaskEvent }> {
  const groups: Array<{ primary: TaskEvent; merged: TaskEvent[]; effective: TaskEvent }> = [];
  const open = new Map<string, (typeof groups)[number]>();
  for (const event of events) {
    const key = event.type !== 'billing' && event.subscriptionId ? `${event.subscriptionId}|${event.effectiveDate.slice(0, 10)}` : null;
    const group = key ? open.get(key) : undefined;
    if (!group) {
      const created = { primary: event, merged: [], effective: event };
      groups.push(created);
      if (key) open.set(key, created);
      continue;
    }
    group.merged.push(event);
    group.effective = fold(group.effective, event);
  }
  return groups;
}

/** The task's event after `next` on the same day: the primary's identity, the latest quantity, prices and fee. */
function fold(current: TaskEvent, next: TaskEvent): TaskEvent {
  // A new subscription stays a sale whatever follows on its first day, unless the day ends in its cancellation.
  const type = next.type === 'cancellation' ? 'cancellation' : current.type === 'sales' ? 'sales' : next.type;
  return {
    ...current,
    type,
    vendorType: current.vendorType === next.vendorType ? current.vendorType : `${current.vendorType}+${next.vendorType}`,
    productId: next.productId ?? current.productId,
    planId: next.planId ?? current.planId,
    quantityAfter: next.quantityAfter ?? current.quantityAfter,
    billingCycle: next.billingCycle ?? current.billingCycle,
    currency: next.currency ?? current.currency,
    unitPrice: next.unitPrice ?? current.unitPrice,
    unitCost: next.unitCost ?? current.unitCost,
    cancellationFee: next.cancellationFee ?? current.cancellationFee,
  };
}
