// Runs `fn` over `items` with at most `limit` in flight; results keep the input order.
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}

/** Splits `items` into arrays of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A group commit's `add`, and `flush` to send what is pending without waiting out the linger. */
export interface GroupCommit<T> {
  (item: T): Promise<void>;
  flush(): void;
}

/**
 * Group commit: `add` resolves once its item is written. Items added while a write is in flight wait
 * for it, then go out together in the next one, so 12 writers finishing at once cost one database
 * round trip (and one WAL flush), not 12. A lone item is written at once, or, with `lingerMs`, once
 * that long has passed or `maxItems` are pending (whichever comes first); after `flush()`, at once.
 */
export function groupCommit<T>(write: (items: T[]) => Promise<void>, options: { lingerMs?: number; maxItems?: number } = {}): GroupCommit<T> {
  let pending: Array<{ item: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  let writing = false;
  let timer: NodeJS.Timeout | undefined;
  // After flush(), whatever is pending goes out as soon as the write in flight ends.
  let eager = false;
  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    if (writing || !pending.length) return;
    const batch = pending;
    pending = [];
    writing = true;
    write(batch.map((p) => p.item)).then(
      () => batch.forEach((p) => p.resolve()),
      (err) => batch.forEach((p) => p.reject(err)),
    ).finally(() => {
      writing = false;
      schedule();
    });
  };
  const schedule = () => {
    if (writing || !pending.length) return;
    if (eager || !options.lingerMs || pending.length >= (options.maxItems ?? Infinity)) return send();
    timer ??= setTimeout(send, options.lingerMs);
  };
  const add = (item: T) => new Promise<void>((resolve, reject) => {
    pending.push({ item, resolve, reject });
    schedule();
  });
  return Object.assign(add, {
    flush: () => {
      eager = true;
      send();
    },
  });
}

/** The promise itself, its rejection marked handled until someone awaits it (work started ahead of its turn). */
export function ahead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
