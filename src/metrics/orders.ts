// Order metrics read from the engine's database at scrape time: how many orders are in each state
// (order_links) and the state changes recorded in the action log since this worker started. Both
// are deployment-wide (every worker reports the same numbers): aggregate with max(), not sum().
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Database } from '../../db';
import { logger } from '../logging';

/** Where an action-log entry moved an order: `order.status` rows carry from/to, the others name the new state. */
export function transitionOf(kind: string, details: Record<string, unknown> | null): { from: string; to: string } | undefined {
  const d = details ?? {};
  if (kind === 'order.status' && typeof d.to === 'string') return { from: typeof d.from === 'string' ? d.from : '', to: d.to };
  if (kind === 'order.submitted' || kind === 'order.recovered') return { from: 'validated', to: 'submitted' };
  if (kind === 'order.rejected' || kind === 'order.error' || kind === 'order.cancelled') return { from: '', to: kind.slice('order.'.length) };
  return undefined;
}

export function orderMetrics(database: Database): Registry {
  const registry = new Registry();
  let warned = false;
  const guard = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      // A scrape must not fail because the database is briefly away; the series keep their last values.
      if (!warned) logger.warn({ err }, `metrics: could not read ${what}`);
      warned = true;
    }
  };

  new Gauge({
    name: 'bridge_orders',
    help: 'Orders (Autotask purchase orders linked to a distributor) by lifecycle state, deployment-wide.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      await guard('order states', async () => {
        const rows = await database.query<{ state: string; n: number }>(sql`select state, count(*)::int as n from order_links group by state`);
        this.reset();
        for (const r of rows) this.set({ state: r.state }, Number(r.n));
      });
    },
  });

  let cursor: number | undefined;
  new Counter({
    name: 'bridge_order_transitions_total',
    help: 'Order state changes recorded in the action log since this worker started, deployment-wide (from is empty when the log does not say).',
    labelNames: ['from', 'to'] as const,
    registers: [registry],
    async collect() {
      await guard('order transitions', async () => {
        const [top] = await database.query<{ id: string | number | null }>(sql`select max(id) as id from action_log`);
        const max = Number(top?.id ?? 0);
        if (cursor === undefined) {
          cursor = max; // count from now: history before this worker started is not a rate
          return;
        }
        if (max <= cursor) return;
        const rows = await database.query<{ kind: string; details: Record<string, unknown> | null }>(
          sql`select kind, details from action_log where id > ${cursor} and id <= ${max} and kind like 'order.%'`,
        );
        cursor = max;
        for (const r of rows) {
          const t = transitionOf(r.kind, r.details);
          if (t) this.inc(t);
        }
      });
    },
  });
  return registry;
}
