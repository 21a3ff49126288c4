// What reading a marketplace's event stream cost, in the one shape both simulators' benches print: requests by
// endpoint and per event, the per-item part (calls the vendor's spec makes unavoidable, one per record) apart from
// the rest, and the rest beside ceil(n / page size).

export interface ReadCost {
  events: number;
  total: number;
  byEndpoint: Record<string, number>;
  /** Requests per event, by endpoint (3 decimals). */
  perEvent: Record<string, number>;
  perEventTotal: number;
  /** Calls made once per record (the endpoints named `perItem`). */
  perItemRequests: number;
  /** Everything else: list pages, token, report files. */
  otherRequests: number;
  /** The ideal the issue asks about: ceil(events / page size). */
  ceilEventsOverPage: number;
}

const ratio = (n: number, d: number) => Math.round((n / Math.max(1, d)) * 1000) / 1000;

export function readCost(input: { byEndpoint: Record<string, number>; events: number; pageSize: number; perItem: readonly string[] }): ReadCost {
  const { byEndpoint, events, pageSize, perItem } = input;
  const total = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
  const perItemRequests = perItem.reduce((n, k) => n + (byEndpoint[k] ?? 0), 0);
  return {
    events,
    total,
    byEndpoint,
    perEvent: Object.fromEntries(Object.entries(byEndpoint).map(([k, v]) => [k, ratio(v, events)])),
    perEventTotal: ratio(total, events),
    perItemRequests,
    otherRequests: total - perItemRequests,
    ceilEventsOverPage: Math.ceil(events / pageSize),
  };
}

/** CPU time of this process since `start` (process.cpuUsage()), ms: comparable when the machine is busy, unlike elapsed. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
}

/** Retries counted by a VendorClient (`http.retries`) since the snapshot `before`, by kind. */
export function retriesSince(before: Record<string, number>, now: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
}
