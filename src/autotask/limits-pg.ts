// The limit store shared by every worker of a deployment: lease slots and token buckets in
// PostgreSQL (or PGlite for a single process), each step one atomic statement. The database
// clock is the only clock, so workers on different hosts agree. A slot given back is NOTIFYed on a
// channel per schema, so a waiting worker takes it at once instead of at its next poll (PostgreSQL
// only: PGlite has one process).
import { sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { ApiLimits, type LimitSettings, type LimitStore } from './limits';

export class PgLimitStore implements LimitStore {
  private readonly ensured = new Map<string, string>();

  /** NOTIFY channel of this schema's leases (a channel name is at most 63 bytes, like an identifier). */
  private readonly channel: string;

  /** Absent on PGlite (no `listen`): the limiter polls there, as it does for any store without events. */
  readonly subscribe?: LimitStore['subscribe'];

  constructor(private readonly database: Database) {
    this.channel = `api_leases_${database.schemaName}`.slice(0, 63);
    const listen = database.listen;
    if (listen) {
      this.subscribe = (onFree: (key: string) => void) => listen(this.channel, onFree);
    }
  }

  async tryLease(key: string, slots: number, holder: string, ttlMs: number): Promise<number | null> {
    // Pick a free slot at random (fewer collisions between workers); the conditional upsert is the
    // real arbiter: a slot held and unexpired is never taken, whoever raced for it. A statement that
    // lost its slot to a concurrent one while others were free tries again at once: null means all
    // were held, not that this process raced itself (concurrent requests of one worker often do).
    for (let attempt = 0; attempt < slots; attempt++) {
      const [row] = await this.database.query<{ slot: number | null; free: number }>(sql`
        with free as (
          select s as slot from generate_series(0, ${slots - 1}::int) as s
          where not exists (select 1 from api_leases l where l.key = ${key} and l.slot = s and l.expires_at >= now())
        ), taken as (
          insert into api_leases (key, slot, holder, expires_at)
          select ${key}, slot, ${holder}, now() + ${ttlMs}::float8 * interval '1 millisecond' from (select slot from free order by random() limit 1) one
          on conflict (key, slot) do update set holder = excluded.holder, expires_at = excluded.expires_at
            where api_leases.expires_at < now()
          returning slot
        )
        select (select slot from taken) as slot, (select count(*) from free)::int as free`);
      if (row?.slot !== null && row?.slot !== undefined) return Number(row.slot);
      if (!row || Number(row.free) <= 1) return null;
    }
    return null;
  }

  async release(key: string, slot: number, holder: string): Promise<void> {
    await this.database.query(sql`
      with gone as (delete from api_leases where key = ${key} and slot = ${slot}::int and holder = ${holder} returning key)
      select pg_notify(${this.channel}, key) from gone`);
  }

  async take(key: string, cost: number, capacity: number, ratePerSec: number): Promise<number> {
    await this.ensureBucket(key, capacity, ratePerSec);
    const available = sql`least(capacity, tokens + greatest(0, extract(epoch from (now() - updated_at))::float8) * rate)`;
    const granted = await this.database.query(sql`
      update api_budgets set tokens = ${available} - ${cost}::float8, updated_at = greatest(updated_at, now())
      where key = ${key} and ${available} >= ${cost}::float8
      returning tokens`);
    if (granted.length) return 0;
    const rows = await this.database.query<{ available: number; rate: number }>(sql`select ${available} as available, rate from api_budgets where key = ${key}`);
    const row = rows[0];
    if (!row) return 0;
    return ((cost - Number(row.available)) / Math.max(1e-9, Number(row.rate))) * 1000;
  }

  async saveUsage(key: string, used: number, limit: number): Promise<void> {
    await this.database.query(sql`
      insert into api_budgets (key, tokens, capacity, rate, observed_used, observed_limit, observed_at)
      values (${key}, 1e9, 1e9, 1, ${used}::int, ${limit}::int, now())
      on conflict (key) do update set observed_used = excluded.observed_used, observed_limit = excluded.observed_limit, observed_at = now()`);
  }

  async loadUsage(key: string): Promise<{ used: number; limit: number; ageMs: number } | null> {
    const rows = await this.database.query<{ used: number | null; limit: number | null; age_ms: number | null }>(sql`
      select observed_used as used, observed_limit as limit, extract(epoch from (now() - observed_at))::float8 * 1000 as age_ms
      from api_budgets where key = ${key}`);
    const row = rows[0];
    if (!row || row.used === null || row.limit === null || row.age_ms === null) return null;
    return { used: Number(row.used), limit: Number(row.limit), ageMs: Number(row.age_ms) };
  }

  /** Creates the bucket full, or adopts new capacity/rate settings (last writer wins). */
  private async ensureBucket(key: string, capacity: number, rate: number): Promise<void> {
    const signature = `${capacity}/${rate}`;
    if (this.ensured.get(key) === signature) return;
    await this.database.query(sql`
      insert into api_budgets (key, tokens, capacity, rate, updated_at)
      values (${key}, ${capacity}::float8, ${capacity}::float8, ${rate}::float8, now())
      on conflict (key) do update set capacity = excluded.capacity, rate = excluded.rate,
        tokens = least(api_budgets.tokens, excluded.capacity)`);
    this.ensured.set(key, signature);
  }
}

/** The limiter for a deployment: every worker passing the same database shares the limits. */
export function postgresLimiter(database: Database, settings: Partial<LimitSettings> = {}): ApiLimits {
  return new ApiLimits(new PgLimitStore(database), settings);
}
