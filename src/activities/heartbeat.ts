// Keeps an activity's heartbeat going while it waits on a slow request or a rate limiter, so the
// workflow can use a short heartbeatTimeout: a worker that dies (SIGKILL, OOM, host lost) is noticed
// in seconds, not after the whole startToCloseTimeout. The timer re-sends the details the activity
// last gave (a bare heartbeat would replace them, and a retry resumes from them).
import { Context } from '@temporalio/activity';

const KEEP_ALIVE_MS = 5_000;

const lastDetails = new WeakMap<Context, { details: unknown }>();

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity (tests, scripts)
  }
}

/** Heartbeats with progress details; the keep-alive timer repeats these until the next call. */
export function beat(details?: unknown): void {
  const ctx = currentContext();
  if (!ctx) return;
  lastDetails.set(ctx, { details });
  ctx.heartbeat(details);
}

/** Runs `fn` with a heartbeat every few seconds (repeating the last `beat` details) until it settles. */
export async function keepAlive<T>(fn: () => Promise<T>, everyMs = KEEP_ALIVE_MS): Promise<T> {
  const ctx = currentContext();
  if (!ctx) return fn();
  // Well inside the workflow's heartbeat timeout, whatever it is (tests use 3 s).
  const timeoutMs = ctx.info.heartbeatTimeoutMs;
  const interval = timeoutMs ? Math.max(250, Math.min(everyMs, Math.floor(timeoutMs / 3))) : everyMs;
  const timer = setInterval(() => {
    ctx.heartbeat(lastDetails.get(ctx)?.details);
  }, interval);
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** Wraps every function of an activities object in `keepAlive`. */
export function keptAlive<A extends Record<string, (...args: any[]) => Promise<unknown>>>(activities: A, everyMs = KEEP_ALIVE_MS): A {
  return Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, (...args: unknown[]) => keepAlive(() => fn(...args), everyMs)])) as A;
}
