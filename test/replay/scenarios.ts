// Workflows whose recorded histories guard against nondeterministic changes. Each scenario runs
// one workflow to completion on a worker the recorder provides; add one per workflow.
import type { Client } from '@temporalio/client';

export interface ScenarioContext {
  client: Client;
  taskQueue: string;
}

export const scenarios: Record<string, (ctx: ScenarioContext) => Promise<string>> = {
  'engine-check': async ({ client, taskQueue }) => {
    const handle = await client.workflow.start('engineCheckWorkflow', { workflowId: 'replay/engine-check', taskQueue, args: [{ marker: 'replay' }] });
    await handle.result();
    return handle.workflowId;
  },
};
