// The sync task's wait for an earlier task of its subscription: an earlier task that settles while this
// one is still looking (its earlierOpenTasks read saw it open) tells it before it waits. The task must
// look again at once, not after the 10-minute recheck (seen in `npm run bench -- subscriptions`: a month
// held up 10 minutes by a task whose earlier task had synced 40 s before it began to wait).
// The real workflow with stub activities, on the run's dev server.
import { describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import { createDataConverter } from '../../src/client/connection';
import type { TaskPlan, TaskView } from '../../src/subscriptions/types';
import { createWorker } from '../../src/worker';
import { earlierTaskSettledSignal, taskViewQuery } from '../../src/workflows/messages/subscriptions';
import { createTestEnv, testKeyRing, uniqueTaskQueue } from '../helpers/temporal';

const SETUP_MS = 240_000;

describe('sync task waiting for an earlier task of its subscription', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTestEnv();
  }, SETUP_MS);
  afterAll(() => env?.teardown(), SETUP_MS);

  it('looks again at once when the earlier task settled while it was looking', async () => {
    const taskQueue = uniqueTaskQueue('task-wakeup');
    const taskId = `wakeup-${Date.now().toString(36)}`;
    const workflowId = `subscription-task/test-wakeup/cloudblue/${taskId}`;
    const ref = { connectorId: 'test-wakeup', integrationId: 'cloudblue', taskId };
    const view: TaskView = {
      ...ref, workflowId, type: 'change', state: 'pending', reason: null, waitingFor: null, customerId: 'cust-1', subscriptionId: 'sub-1',
      productId: 'prod-1', effectiveDate: '2026-03-01', contractId: null, plan: null, updatedAt: new Date().toISOString(),
    };
    const plan: TaskPlan = {
      taskId, type: 'change', contractId: 7, serviceId: 9, priceSource: 'autotask', proration: 'autotask', currentQuantity: 1, newQuantity: 2, writes: [], billed: [], summary: [],
    };
    const looked: string[][] = [];
    const states: string[] = [];
    const activities = {
      getTaskView: async () => view,
      recordTaskState: async (i: { state: string }) => void states.push(i.state),
      resolveTaskCustomer: async () => ({ companyId: 3, reason: null, suggestions: [] }),
      resolveTaskProduct: async () => ({ serviceId: 9, reason: null }),
      resolveTaskContract: async () => ({ contractId: 7, reason: null, permanent: false, candidates: [] }),
      async earlierOpenTasks() {
        if (looked.length) {
          looked.push([]);
          return [];
        }
        // The earlier task settles and tells this one while this read is still on its way back.
        await env.client.workflow.getHandle(workflowId).signal(earlierTaskSettledSignal);
        const history = async () => (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
        for (let i = 0; i < 100 && !(await history()).some((e) => e.workflowExecutionSignaledEventAttributes); i++) await new Promise((r) => setTimeout(r, 100));
        looked.push(['earlier-task']);
        return ['earlier-task'];
      },
      planSyncTask: async () => plan,
      applySyncTask: async () => ({ sent: 0, confirmed: 0, alreadyDone: 0 }),
      laterOpenTaskWorkflows: async () => [],
    };
    const worker: Worker = await createWorker({
      connection: env.nativeConnection, namespace: 'default', taskQueue, dataConverter: createDataConverter(testKeyRing()),
      deps: {} as ActivityDeps, activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('subscriptionTaskWorkflow', { taskQueue, workflowId, args: [{ ...ref, auto: true, activityTimeoutMs: 10_000 }] });
      // Before the fix it waited for EARLIER_RECHECK (10 minutes) here.
      const done = await Promise.race([handle.result() as Promise<TaskView>, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
      if (!done) throw new Error(`the task still waits: ${JSON.stringify(await handle.query(taskViewQuery))}`);
      expect(done.state).toBe('synced');
    });
    expect(looked).toEqual([['earlier-task'], []]);
    expect(states).toEqual(['pending', 'syncing', 'synced']);
  }, SETUP_MS);
});
