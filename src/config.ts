// Environment parsed once with zod. A bad setting ends with one line naming it (ConfigError).
import path from 'node:path';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

const optionalString = z.string().trim().min(1).optional().catch(undefined);
// An empty value (e.g. `METRICS_PORT=` in a compose file) means unset.
const optionalPort = z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), z.coerce.number().int().min(1).max(65535).optional());

const envSchema = z.object({
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_PORT: z.coerce.number().int().positive().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().optional(),
  DATABASE_URL: optionalString,
  DATABASE_SCHEMA: optionalString,
  BRIDGE_ENCRYPTION_KEY: optionalString,
  BRIDGE_DATA_DIR: z.string().trim().min(1).default('.data'),
  BRIDGE_CODEC_PORT: z.coerce.number().int().nonnegative().optional(),
  BRIDGE_TASK_QUEUE: z.string().trim().min(1).default('autotask-bridge'),
  BRIDGE_SANDBOX: z.enum(['on', 'off', 'true', 'false', '1', '0']).optional(),
  BRIDGE_SANDBOX_SKUS: z.coerce.number().int().positive().default(2000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  METRICS_PORT: optionalPort,
  TEMPORAL_METRICS_PORT: optionalPort,
  BRIDGE_WORKFLOW_BUNDLE: optionalString,
  NODE_ENV: optionalString,
});

export interface Config {
  temporalAddress?: string;
  temporalNamespace: string;
  temporalCliPath?: string;
  temporalPort?: number;
  temporalUiPort?: number;
  databaseUrl?: string;
  databaseSchema?: string;
  encryptionKey?: string;
  dataDir: string;
  codecPort?: number;
  taskQueue: string;
  logLevel: string;
  /** Start the sandbox simulators; default: on for the embedded engine, off with TEMPORAL_ADDRESS. */
  sandbox?: boolean;
  sandboxSkus: number;
  /** Our Prometheus /metrics port; unset = no metrics server. */
  metricsPort?: number;
  /** The Temporal SDK's own Prometheus exporter; defaults to metricsPort + 1 when metrics are on. */
  temporalMetricsPort?: number;
  /** A prebuilt workflow bundle to load (otherwise see `prebuiltWorkflowBundle`). */
  workflowBundle?: string;
  production: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  if (e.TEMPORAL_ADDRESS && !/^[^\s:/]+(:\d+)?$/.test(e.TEMPORAL_ADDRESS)) {
    throw new ConfigError('TEMPORAL_ADDRESS', 'must be host:port, e.g. temporal.example.com:7233');
  }
  return {
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    temporalCliPath: e.TEMPORAL_CLI_PATH,
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    encryptionKey: e.BRIDGE_ENCRYPTION_KEY,
    dataDir: path.resolve(e.BRIDGE_DATA_DIR),
    codecPort: e.BRIDGE_CODEC_PORT,
    taskQueue: e.BRIDGE_TASK_QUEUE,
    logLevel: e.LOG_LEVEL,
    sandbox: e.BRIDGE_SANDBOX === undefined ? undefined : ['on', 'true', '1'].includes(e.BRIDGE_SANDBOX),
    sandboxSkus: e.BRIDGE_SANDBOX_SKUS,
    metricsPort: e.METRICS_PORT,
    temporalMetricsPort: e.TEMPORAL_METRICS_PORT ?? (e.METRICS_PORT ? e.METRICS_PORT + 1 : undefined),
    workflowBundle: e.BRIDGE_WORKFLOW_BUNDLE,
    production: e.NODE_ENV === 'production',
  };
}

/** Hides the password in a connection URL so it can be shown in a message. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
