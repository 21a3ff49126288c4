// Typed, idempotent workflow starters used by the CLI and other services.
import type { Client } from '@temporalio/client';
import { workflowIds } from '../workflows/ids';
import type { EngineCheckResult } from '../workflows/engine-check';

export async function runEngineCheck(client: Client, taskQueue: string, runKey: string, marker: string): Promise<EngineCheckResult> {
  return client.workflow.execute('engineCheckWorkflow', {
    workflowId: workflowIds.engineCheck(runKey),
    taskQueue,
    args: [{ marker }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
