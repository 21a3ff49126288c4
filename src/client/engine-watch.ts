// Notices, while a CLI command waits on a workflow, that nothing will ever answer it: the embedded
// engine's process is gone, the Temporal server stopped answering, or no worker polls the task
// queue any more. Temporal itself would keep the command waiting forever in each case.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export class EngineGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineGoneError';
  }
}

export interface EngineWatchOptions {
  client: Client;
  taskQueue: string;
  /** The embedded engine's pid (from .data/engine.json), checked first: the quickest sign. */
  enginePid?: number;
  /** Temporal's address, for the message when it stops answering. */
  address?: string;
  /** First check after this long: commands that finish quickly never pay for one. */
  firstCheckMs?: number;
  intervalMs?: number;
  /**
   * A poller not seen for this long is gone. An idle worker re-polls at least every long-poll
   * timeout (about a minute), so anything shorter would call a live, idle worker gone.
   */
  staleMs?: number;
  /** Consecutive failed checks before the server counts as gone. */
  unansweredChecks?: number;
}

export const startEngineHint = 'start it with `npm start` / `autotask-bridge worker`';

const TYPES = [temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];

/** When a worker last polled the task queue (ms since epoch), or undefined if none ever did. */
export async function lastPolledAt(client: Client, taskQueue: string, deadlineMs = 5_000): Promise<number | undefined> {
  let newest: number | undefined;
  for (const taskQueueType of TYPES) {
    const res = await client.connection.withDeadline(Date.now() + deadlineMs, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
      }),
    );
    for (const p of res.pollers ?? []) {
      const t = p.lastAccessTime;
      if (!t) continue;
      const ms = Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
      newest = Math.max(newest ?? 0, ms);
    }
  }
  return newest;
}

/** The process exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4): the server did not answer, as opposed to refusing. */
const UNANSWERED = new Set<number>([14, 4]);

/**
 * Watches until stopped; `gone` rejects with an EngineGoneError that says what went away and what
 * to do. It never resolves, so `Promise.race([work, watch.gone])` ends with whichever comes first.
 */
export function watchEngine(options: EngineWatchOptions): { gone: Promise<never>; stop(): void } {
  const staleMs = options.staleMs ?? 90_000;
  const intervalMs = options.intervalMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let unanswered = 0;
  let fail: (err: EngineGoneError) => void = () => undefined;
  const gone = new Promise<never>((_, reject) => (fail = reject));
  gone.catch(() => undefined); // observed by whoever races it; never an unhandled rejection when stopped

  const check = async (): Promise<EngineGoneError | undefined> => {
    if (options.enginePid !== undefined && !processAlive(options.enginePid)) {
      return new EngineGoneError(`the engine (pid ${options.enginePid}) has stopped: start it again with \`npm start\``);
    }
    let polled: number | undefined;
    try {
      polled = await lastPolledAt(options.client, options.taskQueue);
      unanswered = 0;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === undefined || !UNANSWERED.has(code)) return undefined; // not a sign of absence
      if (++unanswered < (options.unansweredChecks ?? 2)) return undefined;
      return new EngineGoneError(`the Temporal server${options.address ? ` at ${options.address}` : ''} does not answer (${(err as Error).message.split('\n')[0]}): ${startEngineHint}`);
    }
    if (polled === undefined || Date.now() - polled > staleMs) {
      return new EngineGoneError(`no engine worker is polling task queue ${options.taskQueue}: ${startEngineHint}`);
    }
    return undefined;
  };

  const tick = async () => {
    const problem = await check();
    if (stopped) return;
    if (problem) {
      stopped = true;
      fail(problem);
    } else timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), options.firstCheckMs ?? 3_000);
  return {
    gone,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
