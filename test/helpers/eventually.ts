// Polls until a condition holds: the tests' one way to wait for a workflow, a simulator or a process.
// A check that throws (a workflow not started yet) counts as "not yet"; the timeout names what was
// awaited with the last value (or error) seen.
export async function eventually<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 20_000, label = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await fn();
      if (ok(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen = !last ? 'nothing' : 'error' in last ? `error ${(last.error as Error)?.message ?? String(last.error)}` : `last value: ${JSON.stringify(last.value)?.slice(0, 2000)}`;
  throw new Error(`Timed out waiting for ${label}; ${seen}`);
}
