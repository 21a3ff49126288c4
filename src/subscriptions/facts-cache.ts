// A short-lived, bounded cache of the Autotask records Subscription Sync reads over and over: companies,
// services and contracts. Each step of a sync task's saga reads its facts again (the steps are
// re-run on every resume), and the tasks of one month share companies, contracts and services: read
// from Autotask each time they cost about half of a task's requests.
//
// What is cached, and what never is:
// - Only the three record kinds above: facts an adjustment or charge never changes. Never units,
//   ContractServices or ContractServiceUnits (adjustments change them; exactly-once reads them fresh),
//   never write intents.
// - Never absence: a record Autotask does not return is asked for again next time.
// - Reads that decide whether a record may be used (a task's customer, product and contract checks, an
//   operator's choice) are `fresh`: they go to Autotask and refresh the entry, so a record deleted,
//   deactivated or fixed in Autotask is seen at once. The saga's later steps, seconds later, read
//   `cached`. An entry older than the TTL is read again.
// - A write through the same client to a cached record forgets it (before and after the write).
//
// One cache per Autotask client: the connector's, which ConnectorClientCache rebuilds when the
// connector's row changes (a new client starts empty). Per worker process; nothing is shared.
import type { AutotaskClient } from '../autotask/client';

export type FactKind = 'company' | 'service' | 'contract';
/** `fresh`: from Autotask, refreshing the entry; `cached`: the entry while it is younger than the TTL. */
export type ReadMode = 'cached' | 'fresh';

export interface FactsCacheOptions {
  /** How long an entry is used (from when its read started). Default 60 s. */
  ttlMs?: number;
  /** Entries kept; the least recently used goes first. Default 5,000. */
  maxEntries?: number;
  now?: () => number;
}

export interface FactsCacheStats {
  hits: number;
  misses: number;
  fresh: number;
  size: number;
}

export const FACTS_TTL_MS = 60_000;
export const FACTS_MAX_ENTRIES = 5_000;

interface Entry {
  at: number;
  value: Promise<unknown>;
  /** Its read has not answered yet. */
  inFlight: boolean;
}

export class FactsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private counts = { hits: 0, misses: 0, fresh: 0 };

  constructor(options: FactsCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? FACTS_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? FACTS_MAX_ENTRIES);
    this.now = options.now ?? Date.now;
  }

  /**
   * The record of `kind` and `id`: the entry when `cached` and young enough, else `load()`, kept unless
   * it fails or finds nothing. A read still in flight is shared either way (it answers no earlier than a
   * read started now would: concurrent checks of one record make one request).
   */
  read<T>(kind: FactKind, id: number, load: () => Promise<T | null>, mode: ReadMode = 'cached'): Promise<T | null> {
    const key = `${kind}:${id}`;
    const hit = this.entries.get(key);
    if (hit && (hit.inFlight || (mode === 'cached' && this.now() - hit.at < this.ttlMs))) {
      // Most recently used goes last (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.counts.hits++;
      return hit.value as Promise<T | null>;
    }
    this.counts[mode === 'fresh' ? 'fresh' : 'misses']++;
    const value = load();
    const entry: Entry = { at: this.now(), value, inFlight: true };
    this.put(key, entry);
    const drop = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    value.then((v) => {
      entry.inFlight = false;
      if (v === null || v === undefined) drop();
    }, drop);
    return value;
  }

  /** Keeps a record read by other means (a query that returned it whole). */
  prime<T extends object>(kind: FactKind, id: number, record: T): void {
    this.put(`${kind}:${id}`, { at: this.now(), value: Promise.resolve(record), inFlight: false });
  }

  /** Forgets one record (our own write changed it). */
  forget(kind: FactKind, id: number): void {
    this.entries.delete(`${kind}:${id}`);
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): FactsCacheStats {
    return { ...this.counts, size: this.entries.size };
  }

  /** Sets the entry as the most recently used and drops the least recently used beyond the bound. */
  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

const caches = new WeakMap<AutotaskClient, FactsCache>();

/** The facts cache of one Autotask client (created on first use; it then forgets records the client writes). */
export function factsCacheOf(autotask: AutotaskClient): FactsCache {
  let cache = caches.get(autotask);
  if (!cache) {
    cache = new FactsCache();
    caches.set(autotask, cache);
    forgetOnWrite(cache, 'company', autotask.companies);
    forgetOnWrite(cache, 'service', autotask.services);
    forgetOnWrite(cache, 'contract', autotask.contracts);
  }
  return cache;
}

interface Writable<B extends { id: number }> {
  update(body: B): Promise<number>;
  replace(body: B): Promise<number>;
}

/**
 * Wraps the client's update and replace of one entity (this instance only) so that a write forgets the
 * record: before it (no reader takes the old one while it is sent) and after it (a read that overlapped
 * the write may have brought the old one back). A create makes a new id, which nothing has cached.
 */
function forgetOnWrite<B extends { id: number }>(cache: FactsCache, kind: FactKind, resource: Writable<B>): void {
  for (const method of ['update', 'replace'] as const) {
    const write = resource[method].bind(resource);
    resource[method] = async (body: B) => {
      cache.forget(kind, body.id);
      try {
        return await write(body);
      } finally {
        cache.forget(kind, body.id);
      }
    };
  }
}
