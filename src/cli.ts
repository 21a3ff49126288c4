#!/usr/bin/env node
// `autotask-bridge`: the operator's command line.
import { Command } from 'commander';
import { ConfigError, loadConfig } from './config';
import { generateKeySpec } from './crypto/keys';
import { registerConnectorCommands } from './commands/connector';
import { registerSyncCommands } from './commands/sync';
import { registerOrderCommands } from './commands/orders';
import { registerExportCommands } from './commands/export';
import { registerSubscriptionCommands } from './commands/subscriptions';
import { registerCustomerCommands } from './commands/customers';
import { openRuntime } from './runtime/engine';
import { startEngine, type OnceSummary } from './runtime/start';

const program = new Command()
  .name('autotask-bridge')
  .description('Durable sync between distributors / marketplaces and Autotask PSA, on Temporal')
  .showHelpAfterError();

program
  .command('start')
  .description('start the engine (embedded Temporal dev server + worker unless TEMPORAL_ADDRESS is set)')
  .option('--once', 'run one cycle of every enabled template, print a summary and exit')
  .action(async (opts: { once?: boolean }) => {
    const summary = await startEngine(loadConfig(), { once: !!opts.once, print: (line) => console.log(line) });
    if (summary) printSummary(summary);
  });

program
  .command('worker')
  .description('run a worker against TEMPORAL_ADDRESS (production; run several to scale out)')
  .action(async () => {
    const config = loadConfig();
    if (!config.temporalAddress) throw new ConfigError('TEMPORAL_ADDRESS', 'a standalone worker needs a Temporal server (use `start` for the embedded one)');
    // Every worker and client of a deployment must share one key ring; never generate one here.
    if (!config.encryptionKey) throw new ConfigError('BRIDGE_ENCRYPTION_KEY', 'a production worker needs the deployment key (create one with `autotask-bridge keygen`)');
    const runtime = await openRuntime(config, { embeddedTemporal: false });
    try {
      await runtime.runWorker();
    } finally {
      await runtime.close();
    }
  });

registerConnectorCommands(program);
registerSyncCommands(program);
registerOrderCommands(program);
registerExportCommands(program);
registerSubscriptionCommands(program);
registerCustomerCommands(program);

program
  .command('keygen')
  .description('print a new BRIDGE_ENCRYPTION_KEY entry (prepend it to the list to rotate)')
  .option('--id <id>', 'key id', `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`)
  .action((opts: { id: string }) => console.log(generateKeySpec(opts.id)));

function printSummary(summary: OnceSummary): void {
  console.log('Summary:');
  console.log(`  engine check: ${summary.engineCheck.roundTrip ? 'ok' : 'FAILED'} (workflow ${summary.engineCheck.workflowId}, action ${summary.engineCheck.actionId})`);
  if (summary.sandbox) console.log(`  sandbox connector ${summary.sandbox.connector}: ${summary.sandbox.status}${summary.sandbox.message ? ` — ${summary.sandbox.message}` : ''}`);
  if (!summary.templates.length) console.log('  templates: none enabled');
  for (const t of summary.templates) console.log(`  ${t.connector} ${t.template}${t.integrationId ? `@${t.integrationId}` : ''}: ${t.result}`);
  if (summary.templates.some((t) => t.result.startsWith('failed'))) process.exitCode = 1;
  if (!summary.engineCheck.roundTrip) process.exitCode = 1;
}

program.parseAsync(process.argv).then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    // One clear line; the stack only when asked for.
    const message = err instanceof ConfigError ? err.message : (err as Error)?.message ?? String(err);
    console.error(`error: ${message.split('\n')[0]}`);
    if (process.env.DEBUG) console.error(err);
    process.exit(1);
  },
);
