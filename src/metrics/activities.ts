// Activity latency for every activity, and Product Sync records by outcome read from the page
// activities' own results (counters they already return to the workflow), so no activity code
// knows about metrics. Only completed attempts count: a failed attempt's pages are redone and
// reported by the attempt that finishes them.
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { activitySeconds, productSyncRecords } from './registry';

type Counts = Record<string, number>;

/** What an activity's result says about Product Sync records, by outcome. */
export function productSyncOutcomes(activity: string, input: unknown, result: unknown): Counts {
  const args = (input ?? {}) as { dryRun?: boolean };
  if (args.dryRun) return {}; // a plan, nothing written
  const r = (result ?? {}) as { counters?: Counts; deactivated?: unknown };
  if (activity === 'syncCatalogPages' && r.counters) {
    // `processed` is the sum of the others: a series of its own would be counted twice in sum().
    return Object.fromEntries(Object.entries(r.counters).filter(([k, v]) => k !== 'processed' && typeof v === 'number' && v > 0));
  }
  if (activity === 'deactivateProducts' && typeof r.deactivated === 'number') return { deactivated: r.deactivated };
  return {};
}

class MetricsInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly activityType: string) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const started = performance.now();
    let outcome = 'failed';
    try {
      const result = await next(input);
      outcome = 'ok';
      const counts = productSyncOutcomes(this.activityType, input.args[0], result);
      for (const [k, n] of Object.entries(counts)) if (n > 0) productSyncRecords.inc({ outcome: k }, n);
      return result;
    } finally {
      activitySeconds.observe({ activity: this.activityType, outcome }, (performance.now() - started) / 1000);
    }
  }
}

export const metricsInterceptors = (ctx: Context) => ({ inbound: new MetricsInterceptor(ctx.info.activityType) });
