// The event cursor: for each source (subscription activity, invoices) the ordering key
// (createdAt, id) of the last event handed out. Sources keep separate positions so an invoice that
// Pax8 publishes days after the period (about the 5th) is never skipped because activity moved on.
// Invoices whose lines were all handed out are remembered by id (only those dated on or after the day
// the next read lists from), so a later read does not page through their lines again.
export type EventKey = readonly [createdAt: string, id: string];

export interface EventPosition {
  /** Sales, changes and cancellations (orders and subscription history). */
  activity: EventKey | null;
  /** Billing (invoice items). */
  billing: EventKey | null;
  /**
   * Every subscription snapshot recorded at or before this instant has been read and all its events
   * handed out: its history need not be read again (status-only steps make no event, so the
   * activity key alone would keep asking for them).
   */
  watermark: string | null;
  /**
   * Invoices are listed from this day (or the billing key's day, if later): every one before it was handed out.
   * Assumes Pax8 never publishes an invoice dated before one it already published [unverified; listing from the
   * billing key's day assumed the same of that day].
   */
  invoicesFrom: string | null;
  /** Invoices dated on or after the listing day whose lines were all handed out: not read again. */
  invoicesDone: string[];
}

export function compareKeys(a: EventKey, b: EventKey): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

export function isAfter(key: EventKey, position: EventKey | null): boolean {
  return position === null || compareKeys(key, position) > 0;
}

export function encodeCursor(p: EventPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, a: p.activity, b: p.billing, w: p.watermark, f: p.invoicesFrom, d: p.invoicesDone })).toString('base64url');
}

export function decodeCursor(cursor: string): EventPosition {
  let parsed: { v?: number; a?: unknown; b?: unknown; w?: unknown; f?: unknown; d?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new Error('Pax8 event cursor is not valid');
  }
  const key = (k: unknown): EventKey | null =>
    Array.isArray(k) && k.length === 2 && typeof k[0] === 'string' && typeof k[1] === 'string' ? [k[0], k[1]] : null;
  if (parsed?.v !== 1) throw new Error('Pax8 event cursor has an unknown version');
  // `f` and `d` came later: a cursor without them lists and reads invoices as before.
  return {
    activity: key(parsed.a),
    billing: key(parsed.b),
    watermark: typeof parsed.w === 'string' ? parsed.w : null,
    invoicesFrom: typeof parsed.f === 'string' ? parsed.f : null,
    invoicesDone: Array.isArray(parsed.d) ? parsed.d.filter((x): x is string => typeof x === 'string') : [],
  };
}
