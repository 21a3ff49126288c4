// Which Autotask purchase order status means "ready to order" for Submit Order. Picklist values differ
// per database, so the engine proposes one by its LABEL in the database's own PurchaseOrders.status
// picklist, and resolves what an operator types (a label or a value) against the same picklist.
import type { PicklistValue } from '../autotask/schemas/common';
import { BridgeError } from '../failures';
import type { SubmitStatus } from './settings';

export interface StatusOption {
  value: number;
  label: string;
}

/** Labels that read like "ready to order", best first (a status made for it beats the generic "Submitted"). */
const READY_PATTERNS = [/\bready\b.*\b(order|submit|purchas)/i, /\bto (be )?(order|submit)/i, /\bapproved\b/i, /\bsubmit(ted)?\b/i];
/** Never proposed: drafts, and what comes after (or instead of) ordering. */
const NOT_READY = /\b(new|draft|not|pending|awaiting|hold|cancel\w*|reject\w*|void\w*|receiv\w*|back ?order\w*|closed?|complete\w*|partial\w*)\b/i;

/** The picklist's active values, in the order Autotask shows them. */
export function activeStatusOptions(picklist: readonly PicklistValue[]): StatusOption[] {
  return picklist
    .filter((p) => p.isActive !== false && /^\d+$/.test(p.value))
    .sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || Number(a.value) - Number(b.value))
    .map((p) => ({ value: Number(p.value), label: p.label?.trim() || p.value }));
}

/** The active status whose label reads most like "ready to order"; none when no label does. */
export function proposeSubmitStatus(options: readonly StatusOption[]): StatusOption | undefined {
  for (const pattern of READY_PATTERNS) {
    const found = options.find((o) => pattern.test(o.label) && !NOT_READY.test(o.label));
    if (found) return found;
  }
  return undefined;
}

export const describeOptions = (options: readonly StatusOption[]): string => options.map((o) => `${o.label} (${o.value})`).join(', ') || 'none';

/** What an operator typed (labels, case-insensitive, or values) → active statuses; unknown ones are a `settings` failure. */
export function resolveSubmitStatuses(options: readonly StatusOption[], requested: readonly string[]): StatusOption[] {
  const out: StatusOption[] = [];
  for (const raw of requested) {
    const wanted = raw.trim();
    const found = /^\d+$/.test(wanted) ? options.find((o) => o.value === Number(wanted)) : options.find((o) => o.label.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      throw new BridgeError('settings', `Autotask has no active purchase order status "${wanted}": the active ones are ${describeOptions(options)}`, { source: 'autotask' });
    }
    if (!out.some((o) => o.value === found.value)) out.push(found);
  }
  if (!out.length) throw new BridgeError('settings', `Name at least one purchase order status (one of ${describeOptions(options)})`, { source: 'engine' });
  return out;
}

/** The stored setting's values that are not (or no longer) active statuses of the database. */
export function staleSubmitStatuses(status: SubmitStatus, options: readonly StatusOption[]): number[] {
  return status.values.filter((v) => !options.some((o) => o.value === v));
}

/** The setting for these statuses: `confirmedBy` set means an operator confirmed them. */
export function submitStatusSetting(chosen: readonly StatusOption[], confirmation?: { at: string; by: string }): SubmitStatus {
  return {
    values: chosen.map((o) => o.value),
    labels: chosen.map((o) => o.label),
    confirmed: !!confirmation,
    ...(confirmation ? { confirmedAt: confirmation.at, confirmedBy: confirmation.by } : {}),
  };
}
