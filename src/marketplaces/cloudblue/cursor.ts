// The event-stream cursor: opaque to callers (base64url JSON), exact for "everything after what was returned".
//
// Orders: `GET /orders?creationTimeFrom=<t>&offset=<n.length>` — the orders created at exactly `t` that were already
// examined are the first `n.length` of that answer, because the list is ordered by creation time, then id, and
// `creationTimeFrom` includes `t` ("the beginning of the period"). Both are our reading of the spec [unverified]; the
// ids in `n` also let us drop a repeat defensively.
// Orders that were not settled (submitted, processing, error) when passed are kept in `p` and re-read when the
// stream has caught up: they are emitted when completed, dropped when cancelled, and forgotten after
// PENDING_MAX_DAYS (an order in error that long needs a person, not a sync).
// Reports: completed rated-data reports by (creationDate, id); `cur` is the report being read and its next row.
import { BridgeError } from '../../failures';

export const PENDING_MAX_DAYS = 60;

export interface StreamPosition {
  /** Creation time of the last examined record (the server's own string), or null before the first. */
  t: string | null;
  /** Ids examined with creation time exactly `t`. */
  n: string[];
}

export interface EventCursor {
  v: 1;
  orders: StreamPosition;
  /** Unsettled orders passed: [id, creationDate]. */
  pending: Array<[string, string]>;
  reports: StreamPosition & { cur?: { id: string; row: number } };
}

export function initialCursor(since?: string): EventCursor {
  return { v: 1, orders: { t: since ?? null, n: [] }, pending: [], reports: { t: since ?? null, n: [] } };
}

export function encodeCursor(c: EventCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string, source: string): EventCursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as EventCursor;
    if (c?.v === 1 && c.orders && Array.isArray(c.orders.n) && Array.isArray(c.pending) && c.reports && Array.isArray(c.reports.n)) return c;
  } catch { /* fall through */ }
  throw new BridgeError('validation', 'Not a CloudBlue event cursor.', { source, fieldErrors: [{ field: 'cursor', message: 'unreadable', value: text.slice(0, 40) }] });
}

/** Records `(time, id)` as examined; returns false if it was already. */
export function advance(pos: StreamPosition, time: string, id: string): boolean {
  if (pos.t !== null) {
    const cmp = Date.parse(time) - Date.parse(pos.t);
    if (cmp < 0 || (cmp === 0 && pos.n.includes(id))) return false;
    if (cmp === 0) {
      pos.n.push(id);
      return true;
    }
  }
  pos.t = time;
  pos.n = [id];
  return true;
}

/** Drops pending orders older than PENDING_MAX_DAYS before `now`. */
export function prunePending(c: EventCursor, now: string | null): void {
  if (!now) return;
  const limit = Date.parse(now) - PENDING_MAX_DAYS * 86_400_000;
  c.pending = c.pending.filter(([, created]) => Date.parse(created) >= limit);
}
