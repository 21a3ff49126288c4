// The worker: bundles workflow code once, registers activities, and shuts down cleanly on
// SIGINT/SIGTERM (in-flight activities get a grace period; anything unfinished is retried by Temporal).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from './activities';
import { activityInterceptors } from './activities/interceptors';
import { logger } from './logging';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * Builds the workflow bundle in a child process and returns its path: webpack's memory then never
 * lives in the worker process.
 */
export async function buildWorkflowBundleFile(out: string): Promise<string> {
  const script = path.join(__dirname, '..', 'scripts', 'build-workflow-bundle.ts');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, out], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bundling workflows failed (exit ${code})`))));
  });
  return out;
}

/** Bundles `src/workflows` once per process. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (message: string) => logger.warn(message), error: (message: string) => logger.error(message),
};

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  deps: ActivityDeps;
  activities?: Record<string, (...args: any[]) => Promise<unknown>>;
  maxConcurrentActivityTaskExecutions?: number;
  /** A prebuilt bundle (see `buildWorkflowBundleFile`); without it the worker bundles in-process. */
  workflowBundlePath?: string;
  /** Workflows module to bundle instead of src/workflows (tests that add a workflow). */
  workflowsPath?: string;
  /** How long a workflow task waits for this worker's sticky queue before any worker may take it. */
  stickyQueueScheduleToStartTimeout?: string;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundlePath
      ? { codePath: options.workflowBundlePath }
      : options.workflowsPath
        ? await bundleWorkflowCode({ workflowsPath: options.workflowsPath, logger: quietBundlerLogger })
        : await bundleWorkflows(),
    activities: options.activities ?? createActivities(options.deps),
    dataConverter: options.dataConverter,
    interceptors: { activity: [activityInterceptors] },
    shutdownGraceTime: '30 seconds',
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 50,
    ...(options.stickyQueueScheduleToStartTimeout ? { stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeout } : {}),
  });
}
