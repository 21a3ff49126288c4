// The operator's CLI against the test's dev server and worker: a child process per command (as an operator runs
// it), pointed at the engine's task queue with the test key. Shared by the subscription CLI tests.
import { runCli, type CliResult } from '../helpers/cli';
import type { Engine } from '../helpers/engine';
import { TEST_KEY_SPEC } from '../helpers/temporal';

/** Loaded machines start tsx slowly; one command may take a while. */
export const CLI_TIMEOUT_MS = 110_000;

/** Runs `autotask-bridge <args> --id <connector> [--integration <id>]`; `env` adds variables (secrets go there, never argv). */
export function operatorCli(engine: Engine, connectorId: string, integrationId?: string) {
  const base = { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, BRIDGE_TASK_QUEUE: engine.taskQueue, BRIDGE_ENCRYPTION_KEY: TEST_KEY_SPEC };
  return (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    runCli([...args, '--id', connectorId, ...(integrationId ? ['--integration', integrationId] : [])], { ...base, ...env }, { timeoutMs: CLI_TIMEOUT_MS });
}
