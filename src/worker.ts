// The worker: bundles workflow code once, registers activities, and shuts down cleanly on
// SIGINT/SIGTERM (in-flight activities get a grace period; anything unfinished is retried by Temporal).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from './activities';
import { activityInterceptors } from './activities/interceptors';
import { ConfigError } from './config';
import { logger } from './logging';
import { metricsInterceptors } from './metrics';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** True when this file runs as compiled JavaScript (dist/), i.e. a production build. */
const compiled = __filename.endsWith('.js');
const packageRoot = path.join(__dirname, '..', ...(compiled ? ['..'] : []));

/**
 * The prebuilt workflow bundle a worker should load, or undefined to bundle at start. Compiled code
 * (dist/) always loads the bundle `npm run build` wrote beside it — it cannot bundle the TypeScript
 * sources it no longer has. Under tsx, dist/'s bundle may be older than src/, so it is used only
 * with NODE_ENV=production; BRIDGE_WORKFLOW_BUNDLE names a bundle explicitly.
 */
export function prebuiltWorkflowBundle(options: { explicit?: string; production?: boolean } = {}): string | undefined {
  if (options.explicit) {
    if (!fs.existsSync(options.explicit)) throw new ConfigError('BRIDGE_WORKFLOW_BUNDLE', `${options.explicit} does not exist (\`npm run build\` writes dist/workflow-bundle.js)`);
    return path.resolve(options.explicit);
  }
  const built = path.join(packageRoot, 'dist', 'workflow-bundle.js');
  if (fs.existsSync(built)) return compiled || options.production ? built : undefined;
  if (compiled) throw new ConfigError('BRIDGE_WORKFLOW_BUNDLE', `${built} is missing: run \`npm run build\` (it compiles the code and prebuilds the workflow bundle)`);
  return undefined;
}

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
  /** Workflows kept in memory between tasks (default MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** A prebuilt bundle (see `buildWorkflowBundleFile`); without it the worker bundles in-process. */
  workflowBundlePath?: string;
  /** Workflows module to bundle instead of src/workflows (tests that add a workflow). */
  workflowsPath?: string;
  /** How long a workflow task waits for this worker's sticky queue before any worker may take it. */
  stickyQueueScheduleToStartTimeout?: string;
  /** Record activity latencies and Product Sync outcomes for /metrics (METRICS_PORT). */
  metrics?: boolean;
}

/**
 * The sticky workflow cache, bounded by count: a cached workflow costs the worker ~370 KB (1000 parked
 * workflows: +370 MB RSS), and the SDK's default scales with the V8 heap limit (~2300 workflows on a
 * 4 GB heap), so open orders and subscription tasks would grow the worker without end. An evicted
 * workflow is replayed from its history at its next task.
 */
export const MAX_CACHED_WORKFLOWS = 200;

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
    interceptors: { activity: options.metrics ? [activityInterceptors, metricsInterceptors] : [activityInterceptors] },
    shutdownGraceTime: '30 seconds',
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 50,
    maxCachedWorkflows: options.maxCachedWorkflows ?? MAX_CACHED_WORKFLOWS,
    ...(options.stickyQueueScheduleToStartTimeout ? { stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeout } : {}),
  });
}
