// The engine's smallest real cycle: a workflow that writes through an activity to the database and
// reads it back. `npm start -- --once` runs it so a fresh install proves Temporal + DB + codec work.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { recordAction, readAction } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export interface EngineCheckInput {
  /** Any text; it travels encrypted and comes back in the result. */
  marker: string;
}

export interface EngineCheckResult {
  actionId: number;
  marker: string;
  driver: string;
}

export async function engineCheckWorkflow(input: EngineCheckInput): Promise<EngineCheckResult> {
  const { actionId } = await recordAction({
    kind: 'engine-check',
    message: 'Engine check round trip',
    details: { marker: input.marker },
    workflowId: workflowInfo().workflowId,
  });
  const row = await readAction({ actionId });
  return { actionId, marker: String(row.details?.marker ?? ''), driver: row.driver };
}
