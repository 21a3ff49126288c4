// `autotask-bridge start`: the engine on embedded defaults. Runs until Ctrl-C, or with --once runs
// one cycle of every enabled template and returns a summary. On the embedded defaults it also
// starts the sandbox (simulators + a connected `sandbox` connector) unless BRIDGE_SANDBOX=off.
import type { Config } from '../config';
import { runEngineCheck } from '../client/starters';
import { removeEngineFile, writeEngineFile } from '../client/operator';
import { openRuntime, type Runtime } from './engine';
import { startProductSync } from '../client/product-sync';
import { SANDBOX_CONNECTOR, SANDBOX_DISTRIBUTORS, startSandboxConnector, startSandboxOrders, type SandboxConnector } from './sandbox';
import { runEnabledTemplatesOnce, type TemplateRunSummary } from './templates-once';

export interface OnceSummary {
  temporalAddress: string;
  webUi?: string;
  database: string;
  engineCheck: { workflowId: string; actionId: number; roundTrip: boolean };
  sandbox?: { connector: string; status: string; message?: string };
  templates: TemplateRunSummary[];
}

export interface StartOptions {
  once: boolean;
  print: (line: string) => void;
}

export async function startEngine(config: Config, options: StartOptions): Promise<OnceSummary | void> {
  const runtime = await openRuntime(config, { log: options.print });
  let sandbox: SandboxConnector | undefined;
  try {
    options.print(`Temporal server: ${runtime.temporalAddress}${runtime.devServer ? ` (embedded, ${runtime.devServer.cli.source})` : ''}`);
    if (runtime.uiUrl) options.print(`Temporal Web UI: ${runtime.uiUrl}`);
    options.print(`Database: ${describeDatabase(runtime)}`);
    const worker = await runtime.createWorker();
    const withSandbox = config.sandbox ?? !config.temporalAddress;
    if (options.once) {
      return await worker.runUntil(async () => {
        if (withSandbox) sandbox = await startSandboxConnector(runtime, { skus: config.sandboxSkus, log: options.print });
        return runOnce(runtime, sandbox);
      });
    }
    // Operator commands in other terminals find this engine through this file.
    writeEngineFile(config.dataDir, { temporalAddress: runtime.temporalAddress, uiUrl: runtime.uiUrl, pid: process.pid });
    const running = worker.run();
    options.print('Worker running. Press Ctrl-C to stop.');
    if (withSandbox) {
      sandbox = await startSandboxConnector(runtime, { skus: config.sandboxSkus, log: options.print });
      if (sandbox.status === 'connected') {
        // The demo: the seeded catalog synced now, then a few POs through Submit Order and Get Order Status.
        for (const integrationId of SANDBOX_DISTRIBUTORS) {
          const result = await (await startProductSync(runtime.client, runtime.config.taskQueue, SANDBOX_CONNECTOR, { integrationId })).result();
          options.print(`Sandbox Product Sync (${integrationId}): ${(result as { message?: string }).message}`);
        }
        await startSandboxOrders(runtime, { count: 3, log: options.print });
        for (const r of await runEnabledTemplatesOnce(runtime.client, runtime.config.taskQueue, ['submit-order'])) options.print(`Sandbox ${r.template}: ${r.result}`);
      }
    }
    await running;
  } finally {
    removeEngineFile(config.dataDir);
    await sandbox?.sandbox.stop();
    await runtime.close();
  }
}

async function runOnce(runtime: Runtime, sandbox: SandboxConnector | undefined): Promise<OnceSummary> {
  const runKey = new Date().toISOString();
  const marker = `once-${runKey}`;
  const check = await runEngineCheck(runtime.client, runtime.config.taskQueue, runKey, marker);
  const templates = await runEnabledTemplatesOnce(runtime.client, runtime.config.taskQueue);
  if (sandbox?.status === 'connected' && (await startSandboxOrders(runtime, { count: 3, log: () => undefined })).length) {
    // The sandbox's POs go through one Submit Order scan and one Get Order Status sweep too.
    templates.push(...(await runEnabledTemplatesOnce(runtime.client, runtime.config.taskQueue, ['submit-order', 'get-order-status'])));
  }
  return {
    temporalAddress: runtime.temporalAddress,
    webUi: runtime.uiUrl,
    database: describeDatabase(runtime),
    engineCheck: { workflowId: `engine-check/${runKey}`, actionId: check.actionId, roundTrip: check.marker === marker },
    sandbox: sandbox && { connector: sandbox.connectorId, status: sandbox.status, message: sandbox.statusMessage },
    templates,
  };
}

function describeDatabase(runtime: Runtime): string {
  return runtime.database.driver === 'pglite'
    ? `embedded PGlite (${runtime.config.dataDir}/pglite)`
    : `PostgreSQL (schema ${runtime.database.schemaName})`;
}
