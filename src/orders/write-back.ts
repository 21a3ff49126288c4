// What Autotask should show for an order, and only what changed since the last write. PO: status
// (a picklist value resolved at runtime), the distributor order id(s) as the external reference,
// vendor invoice numbers, and a bridge section in the general memo; items: estimated arrival and
// a bridge section in the line memo (Autotask has no tracking-number or carrier field). Pure.
import type { WrittenSnapshot } from '../../db/schema/orders';
import type { LineProgress, OrderProgress } from './status';

export const MEMO_MARKER = '--- autotask-bridge ---';
/** Pseudo-field under which a memo section is kept in the snapshot. */
export const MEMO_KEY = '__memo';
const PO_MEMO_MAX = 8000;
const ITEM_MEMO_MAX = 4000;
const EXTERNAL_REF_MAX = 50;

export interface PoWriteContext {
  distributorName: string;
  clientPoNumber: string;
  distributorOrderIds: string[];
  /** PO status picklist value for the current state; null leaves the status alone. */
  statusValue: number | null;
  /** Said instead of the state, e.g. why tracking stopped before the invoice came. */
  note?: string;
}

export interface Writes {
  po: Record<string, unknown>;
  items: Record<string, Record<string, unknown>>;
}

export const emptySnapshot = (): WrittenSnapshot => ({ po: {}, items: {}, received: {} });

const STATE_TEXT: Record<string, string> = {
  submitted: 'Submitted', processing: 'Processing', backordered: 'Backordered', partially_shipped: 'Partially shipped', shipped: 'Shipped',
  delivered: 'Delivered', closed: 'Closed (invoiced)', cancelled: 'Cancelled', rejected: 'Rejected', error: 'Error',
};

export function desiredWrites(progress: OrderProgress, ctx: PoWriteContext): Writes {
  const po: Record<string, unknown> = {};
  if (ctx.statusValue !== null) po.status = ctx.statusValue;
  if (ctx.distributorOrderIds.length) po.externalPONumber = truncate(ctx.distributorOrderIds.join(', '), EXTERNAL_REF_MAX);
  const [first, ...rest] = progress.invoiceNumbers;
  if (first) po.vendorInvoiceNumber = truncate(first, 50);
  if (rest.length) po.additionalVendorInvoiceNumbers = rest.join(', ');
  po[MEMO_KEY] = poMemoSection(progress, ctx);
  const items: Writes['items'] = {};
  for (const line of progress.lines) {
    const item: Record<string, unknown> = { [MEMO_KEY]: lineMemoSection(line, ctx.distributorName) };
    if (line.eta) item.estimatedArrivalDate = isoDate(line.eta);
    items[String(line.purchaseOrderItemId)] = item;
  }
  return { po, items };
}

/** The memo section for a PO that was not submitted or failed (the reason, and what to do). */
export function problemMemoSection(kind: 'rejected' | 'error' | 'cancelled', distributorName: string, reason: string): string {
  if (kind === 'rejected') return `Not submitted to ${distributorName}: ${reason}\nFix the PO, then submit it again (autotask-bridge orders submit).`;
  if (kind === 'cancelled') return `Submission to ${distributorName} cancelled${reason ? `: ${reason}` : '.'}`;
  return `Error while ordering from ${distributorName}: ${reason}\nFix the cause, then retry (autotask-bridge orders retry).`;
}

function poMemoSection(p: OrderProgress, ctx: PoWriteContext): string {
  const out = [`${ctx.distributorName} order${ctx.distributorOrderIds.length > 1 ? 's' : ''} ${ctx.distributorOrderIds.join(', ') || '(none)'} for PO ${ctx.clientPoNumber}: ${ctx.note ?? STATE_TEXT[p.state] ?? p.state}.`];
  for (const l of p.lines) {
    if (l.status === 'rejected') out.push(`Line ${l.lineNumber} (${l.distributorSku}): rejected by ${ctx.distributorName}: ${l.rejectReason}`);
    else if (l.backordered > 0 && l.shipped < l.ordered) out.push(`Line ${l.lineNumber} (${l.distributorSku}): ${l.backordered} backordered${l.eta ? `, ETA ${l.eta}` : ''}.`);
  }
  if (p.invoiceNumbers.length) out.push(`Invoices: ${p.invoiceNumbers.join(', ')}.`);
  return out.join('\n');
}

function lineMemoSection(l: LineProgress, distributorName: string): string {
  if (l.status === 'rejected') return `Rejected by ${distributorName}: ${l.rejectReason}`;
  const out = [`${distributorName} ${l.distributorOrderId ?? ''} line ${l.lineNumber} (${l.distributorSku}): ${l.vendorStatus ?? l.status}; shipped ${l.shipped}/${l.ordered}${l.backordered ? `, backordered ${l.backordered}${l.eta ? ` (ETA ${l.eta})` : ''}` : ''}.`.replace(/ {2,}/g, ' ')];
  for (const t of l.tracking) {
    out.push(`Tracking: ${t.carrier ?? 'carrier ?'} ${t.trackingNumber ?? '(no number)'}${t.quantity ? ` ×${t.quantity}` : ''}${t.shippedAt ? `, shipped ${t.shippedAt.slice(0, 10)}` : ''}${t.deliveredAt ? `, delivered ${t.deliveredAt.slice(0, 10)}` : ''}`);
  }
  if (l.invoiceNumbers.length) out.push(`Invoice: ${l.invoiceNumbers.join(', ')}`);
  return out.join('\n');
}

/** Fields of `desired` whose value differs from what was last written. */
export function changedFields(desired: Record<string, unknown>, written: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(desired)) if (JSON.stringify(v) !== JSON.stringify(written?.[k])) out[k] = v;
  return out;
}

/** Replaces the bridge's section of a memo, keeping whatever the user wrote above it. */
export function spliceMemo(existing: string | null | undefined, section: string, max = PO_MEMO_MAX): string {
  const text = existing ?? '';
  const at = text.indexOf(MEMO_MARKER);
  const user = (at >= 0 ? text.slice(0, at) : text).trimEnd();
  if (!section) return user;
  const ours = `${MEMO_MARKER}\n${section}`;
  const room = max - (user ? user.length + 2 : 0);
  if (room < MEMO_MARKER.length + 20) return truncate(ours, max);
  return `${user ? `${user}\n\n` : ''}${truncate(ours, room)}`;
}

export const ITEM_MEMO_LIMIT = ITEM_MEMO_MAX;
export const PO_MEMO_LIMIT = PO_MEMO_MAX;

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Autotask date-times are ISO 8601 with Z; the distributor gives dates. */
export function isoDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : new Date(date).toISOString();
}
