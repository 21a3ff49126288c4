// `autotask-bridge start`: the engine on embedded defaults. Runs until Ctrl-C, or with --once runs
// one cycle of every enabled template and returns a summary.
import type { Config } from '../config';
import { runEngineCheck } from '../client/starters';
import { removeEngineFile, writeEngineFile } from '../client/operator';
import { openRuntime, type Runtime } from './engine';

export interface OnceSummary {
  temporalAddress: string;
  webUi?: string;
  database: string;
  engineCheck: { workflowId: string; actionId: number; roundTrip: boolean };
  templates: Array<{ connector: string; template: string; result: string }>;
}

export async function startEngine(config: Config, options: { once: boolean; print: (line: string) => void }): Promise<OnceSummary | void> {
  const runtime = await openRuntime(config, { log: options.print });
  try {
    options.print(`Temporal server: ${runtime.temporalAddress}${runtime.devServer ? ` (embedded, ${runtime.devServer.cli.source})` : ''}`);
    if (runtime.uiUrl) options.print(`Temporal Web UI: ${runtime.uiUrl}`);
    options.print(`Database: ${describeDatabase(runtime)}`);
    if (options.once) return await runOnce(runtime);
    // Operator commands in other terminals find this engine through this file.
    writeEngineFile(config.dataDir, { temporalAddress: runtime.temporalAddress, uiUrl: runtime.uiUrl, pid: process.pid });
    options.print('Worker running. Press Ctrl-C to stop.');
    await runtime.runWorker();
  } finally {
    removeEngineFile(config.dataDir);
    await runtime.close();
  }
}

async function runOnce(runtime: Runtime): Promise<OnceSummary> {
  const worker = await runtime.createWorker();
  const runKey = new Date().toISOString();
  const marker = `once-${runKey}`;
  const check = await worker.runUntil(runEngineCheck(runtime.client, runtime.config.taskQueue, runKey, marker));
  return {
    temporalAddress: runtime.temporalAddress,
    webUi: runtime.uiUrl,
    database: describeDatabase(runtime),
    engineCheck: { workflowId: `engine-check/${runKey}`, actionId: check.actionId, roundTrip: check.marker === marker },
    templates: [],
  };
}

function describeDatabase(runtime: Runtime): string {
  return runtime.database.driver === 'pglite'
    ? `embedded PGlite (${runtime.config.dataDir}/pglite)`
    : `PostgreSQL (schema ${runtime.database.schemaName})`;
}
