// What Autotask should show for an order, and only what changed since the last write. PO: status
// (a picklist value resolved at runtime), the distributor order id(s) as the external reference,
// vendor invoice numbers, and a bridge section in the general memo only for what the lines and fields
// don't say (a whole-order note, references too long for the field) or an operator must not miss
// (lines the distributor refused, also on the line); items: each line's own details in a bridge
// section of its memo (status, quantities, backorder and ETA, tracking numbers and carriers, invoice,
// rejection — Autotask has no tracking-number or carrier field) and its estimated arrival. Pure.
//
// Fields the bridge owns are written without reading the record. A memo is shared with people, so a
// memo write needs the memo as it is now (a read just before): a line's section therefore starts with
// its first news (held, backordered, shipped, delivered, invoiced, rejected or cancelled — while it is
// just being processed the PO's status and reference say it all), and the PO's only when there is
// something to say there.
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

/**
 * What Autotask should show. `written` (what was last written) keeps a section up to date once it was
 * written, also one written by an older version (which gave every line, and the PO, a section from
 * submission on): a line's section stays, and a PO section with nothing left to say is emptied.
 */
export function desiredWrites(progress: OrderProgress, ctx: PoWriteContext, written: WrittenSnapshot = emptySnapshot()): Writes {
  const po: Record<string, unknown> = {};
  if (ctx.statusValue !== null) po.status = ctx.statusValue;
  const reference = ctx.distributorOrderIds.join(', ');
  if (ctx.distributorOrderIds.length) po.externalPONumber = truncate(reference, EXTERNAL_REF_MAX);
  const [first, ...rest] = progress.invoiceNumbers;
  if (first) po.vendorInvoiceNumber = truncate(first, 50);
  if (rest.length) po.additionalVendorInvoiceNumbers = rest.join(', ');
  const refused = progress.lines.filter((l) => l.status === 'rejected');
  const section = ctx.note || refused.length || reference.length > EXTERNAL_REF_MAX ? poMemoSection(progress, ctx, refused) : '';
  if (section || written.po[MEMO_KEY]) po[MEMO_KEY] = section;

  const items: Writes['items'] = {};
  for (const line of progress.lines) {
    const id = String(line.purchaseOrderItemId);
    const item: Record<string, unknown> = {};
    if (hasNews(line) || written.items[id]?.[MEMO_KEY]) item[MEMO_KEY] = lineMemoSection(line, ctx.distributorName);
    // Backorder ETA while short, then the delivery date once delivered.
    if (line.eta) item.estimatedArrivalDate = isoDate(line.eta);
    if (Object.keys(item).length) items[id] = item;
  }
  return { po, items };
}

/** The memo section for a PO that was not submitted or failed (the reason, and what to do). */
export function problemMemoSection(kind: 'rejected' | 'error' | 'cancelled', distributorName: string, reason: string): string {
  if (kind === 'rejected') return `Not submitted to ${distributorName}: ${reason}\nFix the PO, then submit it again (autotask-bridge orders submit).`;
  if (kind === 'cancelled') return `Submission to ${distributorName} cancelled${reason ? `: ${reason}` : '.'}`;
  return `Error while ordering from ${distributorName}: ${reason}\nFix the cause, then retry (autotask-bridge orders retry).`;
}

/** The whole order: its distributor orders (all of them, where the reference field is too short), the note, the refused lines. */
function poMemoSection(p: OrderProgress, ctx: PoWriteContext, refused: LineProgress[]): string {
  const out = [`${ctx.distributorName} order${ctx.distributorOrderIds.length > 1 ? 's' : ''} ${ctx.distributorOrderIds.join(', ') || '(none)'} for PO ${ctx.clientPoNumber}: ${ctx.note ?? STATE_TEXT[p.state] ?? p.state}.`];
  for (const l of refused) out.push(`Line ${l.lineNumber} (${l.distributorSku}): rejected by ${ctx.distributorName}: ${l.rejectReason}`);
  return out.join('\n');
}

/** Statuses that say no more than the PO's status and reference: ordered, being processed. */
const QUIET: ReadonlySet<LineProgress['status']> = new Set(['submitted', 'processing', 'unknown']);

/** The line has something to tell of its own: held, backordered, shipped, delivered, invoiced, rejected, cancelled… */
function hasNews(l: LineProgress): boolean {
  return !QUIET.has(l.status) || l.backordered > 0 || l.shipped > 0 || l.tracking.length > 0 || l.invoiceNumbers.length > 0 || !!l.eta;
}

function trackingText(t: LineProgress['tracking'][number]): string {
  return `Tracking: ${t.carrier ?? 'carrier ?'} ${t.trackingNumber ?? '(no number)'}${t.quantity ? ` ×${t.quantity}` : ''}${t.shippedAt ? `, shipped ${t.shippedAt.slice(0, 10)}` : ''}${t.deliveredAt ? `, delivered ${t.deliveredAt.slice(0, 10)}` : ''}`;
}

/** A line's own details (the same text as before, so sections already written are not rewritten). */
function lineMemoSection(l: LineProgress, distributorName: string): string {
  if (l.status === 'rejected') return `Rejected by ${distributorName}: ${l.rejectReason}`;
  const out = [`${distributorName} ${l.distributorOrderId ?? ''} line ${l.lineNumber} (${l.distributorSku}): ${l.vendorStatus ?? l.status}; shipped ${l.shipped}/${l.ordered}${l.backordered ? `, backordered ${l.backordered}${l.eta ? ` (ETA ${l.eta})` : ''}` : ''}.`.replace(/ {2,}/g, ' ')];
  for (const t of l.tracking) out.push(trackingText(t));
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
