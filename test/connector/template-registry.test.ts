// Acceptance of the template registry: a template declared only in the test tree is enabled on its
// own schedule, run by `start --once`'s cycle and shown by `status`, with no edit outside the registry.
import path from 'node:path';
import { connect, connectorStatus, enableTemplate } from '../../src/client/connectors';
import { runEnabledTemplatesOnce } from '../../src/runtime/templates-once';
import { scheduleIds } from '../../src/workflows/ids';
import { useEngine } from '../helpers/engine';
import { testKeyRing } from '../helpers/temporal';
import { throwawayTemplate } from '../fixtures/throwaway/template';

describe('template registry', () => {
  const engine = useEngine({
    sandbox: { autotask: { hourlyLimit: 100_000_000 }, ingram: { catalog: { skus: 50 }, rateLimit: false } },
    worker: { workflowsPath: path.join(__dirname, '../fixtures/throwaway/workflows.ts') },
  });
  const connectorId = `registry-${Date.now().toString(36)}`;

  it('enables a test-only template on its schedule, runs it once and shows it in status', async () => {
    const request = engine.sandbox.connectRequest(connectorId);
    request.integrations = [];
    expect((await connect(engine.client, engine.taskQueue, testKeyRing(), request)).status).toBe('connected');

    await enableTemplate(engine.client, connectorId, 'throwaway');
    const schedule = await engine.client.schedule.getHandle(scheduleIds.template(connectorId, 'throwaway', '')).describe();
    expect(schedule.state.paused).toBe(false);
    expect(schedule.action).toMatchObject({ workflowType: 'throwawayWorkflow', workflowId: throwawayTemplate.workflowId(connectorId, '') });

    const runs = await runEnabledTemplatesOnce(engine.client, engine.taskQueue, undefined, [connectorId]);
    expect(runs).toEqual([{ connector: connectorId, template: 'throwaway', integrationId: '', result: `completed: throwaway ran for ${connectorId} (manual)` }]);

    // The run's report reaches the connector workflow; status lists the template with it.
    let instance;
    for (let i = 0; i < 40; i++) {
      instance = (await connectorStatus(engine.client, connectorId))!.instances.find((t) => t.template === 'throwaway');
      if (instance?.lastRunStatus) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(instance).toMatchObject({ label: 'Throwaway Report', enabled: true, lastRunStatus: `completed: throwaway ran for ${connectorId} (manual)` });
    expect(instance!.schedule?.nextRun).toBeInstanceOf(Date);
  });
});
