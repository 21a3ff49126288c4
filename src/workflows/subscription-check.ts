// Check Changes, the Subscription Sync template's run: marketplace orders since the integration's
// cursor become sync tasks (one per order, deterministic ids: checking twice creates nothing), each
// with its task workflow. The tasks outlive the check (abandoned children). A scheduled run does
// nothing while automatic processing is off (`subscriptions check` is then the only way in); a dry
// run previews the tasks and stores nothing.
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import { CREATED_LISTED, SUBSCRIPTION_TEMPLATE, type SubscriptionCheckInput, type SubscriptionCheckResult } from './messages/subscriptions';
import { startTask } from './subscription-task-start';
import { integrationOfRun, reportTemplateRun } from './template-run';

/** Most events one Check Changes activity reads (the activity's own default). */
const EVENTS_PER_CALL = 500;

const check = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
const short = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes } });

export async function subscriptionCheckWorkflow(input: SubscriptionCheckInput): Promise<SubscriptionCheckResult> {
  const integrationId = input.carry?.integrationId ?? (await integrationOfRun({ connectorId: input.connectorId, integrationId: input.integrationId }, 'marketplace'));
  const { connectorId } = input;
  const dryRun = !!input.dryRun;
  const result: SubscriptionCheckResult = input.carry ?? { integrationId, skipped: false, dryRun, events: 0, created: [], createdCount: 0, existing: 0, merged: 0, started: 0, preview: [], more: false };
  // A carry from before createdCount listed every id.
  result.createdCount ??= result.created.length;
  /** Tasks this run (since the last continue-as-new) started; earlier runs' are only in the list, if at all. */
  const startedHere = new Set<string>();
  try {
    const { automatic } = await short.subscriptionAutomation({ connectorId, integrationId });
    if (input.trigger === 'schedule' && automatic === 'off') {
      result.skipped = true;
      await reportTemplateRun(connectorId, { template: SUBSCRIPTION_TEMPLATE, integrationId, status: 'completed', at: new Date().toISOString(), summary: 'automatic processing is off: nothing checked (run `autotask-bridge subscriptions check`)' });
      return result;
    }
    const auto = input.auto ?? automatic !== 'off';
    for (;;) {
      const page = await check.checkSubscriptionChanges({ connectorId, integrationId, dryRun, maxEvents: EVENTS_PER_CALL });
      result.events += page.events;
      result.existing += page.existing;
      result.merged += page.merged;
      result.more = page.more;
      if (dryRun) {
        // Nothing is stored, so the cursor does not move: one page is the preview.
        result.preview.push(...page.preview);
        break;
      }
      result.createdCount += page.created.length;
      result.created.push(...page.created.slice(0, Math.max(0, CREATED_LISTED - result.created.length)));
      for (const id of page.created) startedHere.add(id);
      result.started += await startTasks(page.created, auto);
      if (!page.more) break;
      if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof subscriptionCheckWorkflow>({ ...input, integrationId, carry: result });
    }
    if (!dryRun) {
      // Tasks stored without a workflow (a check interrupted between the two, reconciliation's tasks) get one now.
      // One an earlier run of this check started and did not list is tried again: its start says it runs.
      const pending = await short.listSyncTasks({ connectorId, integrationId, states: ['pending'] });
      result.started += await startTasks(pending.map((t) => t.taskId).filter((id) => !startedHere.has(id) && !result.created.includes(id)), auto);
    }
    const summary = dryRun
      ? `dry run: ${result.events} event(s), ${result.preview.length} task(s) would be created${result.more ? ' (more follow)' : ''}`
      : `${result.events} event(s), ${result.createdCount} task(s) created, ${result.existing} already known, ${result.merged} merged, ${result.started} started`;
    await reportTemplateRun(connectorId, { template: SUBSCRIPTION_TEMPLATE, integrationId, status: 'completed', at: new Date().toISOString(), summary });
    return result;
  } catch (err) {
    const message = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
    await reportTemplateRun(connectorId, { template: SUBSCRIPTION_TEMPLATE, integrationId, status: 'failed', at: new Date().toISOString(), summary: message });
    throw ApplicationFailure.nonRetryable(`Check Changes failed: ${message}`, 'subscription-check-failed');
  }

  async function startTasks(taskIds: string[], auto: boolean): Promise<number> {
    const started = await Promise.all(taskIds.map((taskId) => startTask(connectorId, integrationId, { connectorId, integrationId, taskId, auto, activityTimeoutMs: input.activityTimeoutMs })));
    return started.filter(Boolean).length;
  }
}
