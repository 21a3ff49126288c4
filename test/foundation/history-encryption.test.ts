// Payloads reach Temporal only as ciphertext: a marker passed as workflow input appears nowhere
// in the stored history, yet the workflow sees it and returns it intact.
import { temporal } from '@temporalio/proto';
import { testDatabases } from '../helpers/db';
import { useEngine } from '../helpers/engine';

describe.each(testDatabases())('engine check on $driver', (db) => {
  const engine = useEngine({ database: db, worker: true });

  it('round-trips through an activity and the database, with no plaintext in history', async () => {
    const marker = `MARKER-${Date.now()}-do-not-leak`;
    const { client, taskQueue, database } = engine;
    const handle = await client.workflow.start('engineCheckWorkflow', { workflowId: `engine-check-${taskQueue}`, taskQueue, args: [{ marker }] });
    expect(await handle.result()).toEqual({ actionId: expect.any(Number), marker, driver: database.driver });

    const raw = await engine.env.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: handle.workflowId } });
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(raw.history!).finish());
    expect(raw.history!.events!.length).toBeGreaterThan(5);
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes(Buffer.from(marker).toString('base64'))).toBe(false);
    expect(bytes.includes('binary/encrypted')).toBe(true);
  });
});
