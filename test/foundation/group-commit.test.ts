// groupCommit: items added while a write is in flight go out together in the next write; each add
// resolves only once its own item is written, and a failed write rejects exactly its items.
import { groupCommit } from '../../src/concurrency';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('groupCommit', () => {
  it('writes a lone item at once and batches those that arrive during a write', async () => {
    const writes: number[][] = [];
    const gates: Array<ReturnType<typeof deferred>> = [];
    const add = groupCommit(async (items: number[]) => {
      writes.push(items);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
    });
    const settled: number[] = [];
    const first = add(1).then(() => settled.push(1));
    expect(writes).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => add(n).then(() => settled.push(n)));
    await Promise.resolve();
    expect(writes).toEqual([[1]]); // waiting for the first write
    gates[0].resolve();
    await first;
    expect(settled).toEqual([1]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1], [2, 3, 4]]);
    expect(settled).toEqual([1]); // not before their own write finished
    gates[1].resolve();
    await Promise.all(rest);
    expect(settled).toEqual([1, 2, 3, 4]);
  });

  it('rejects the items of a failed write and keeps writing later ones', async () => {
    let calls = 0;
    const add = groupCommit(async (items: string[]) => {
      calls++;
      if (items.includes('bad')) throw new Error('constraint violated');
    });
    const results = await Promise.allSettled([add('bad'), add('a'), add('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(calls).toBe(2);
    await expect(add('c')).resolves.toBeUndefined();
  });
});

describe('groupCommit with a linger', () => {
  it('waits lingerMs for company, sends at once at maxItems, and sends at once after flush', async () => {
    const writes: number[][] = [];
    const add = groupCommit(async (items: number[]) => void writes.push(items), { lingerMs: 40, maxItems: 3 });
    const a = add(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(writes).toEqual([]); // lingering
    const b = add(2);
    await Promise.all([a, b]);
    expect(writes).toEqual([[1, 2]]);
    await Promise.all([add(3), add(4), add(5)]); // maxItems: no linger
    expect(writes).toEqual([[1, 2], [3, 4, 5]]);
    const started = Date.now();
    const c = add(6);
    add.flush();
    await c;
    expect(Date.now() - started).toBeLessThan(30);
    expect(writes).toEqual([[1, 2], [3, 4, 5], [6]]);
  });
});
