// `npm start`'s sandbox: fresh simulators, a connector named `sandbox` connected to them through the
// real activation workflow, and Product Sync enabled. The simulators keep no state between starts,
// so the sandbox connector's links and runs are reset each time.
import { eq } from 'drizzle-orm';
import { actionLog, productLinks, quarantine, syncRuns } from '../../db/schema';
import { connect, enableTemplate } from '../client/connectors';
import { startSandbox, type Sandbox } from '../sim';
import type { Runtime } from './engine';

export const SANDBOX_CONNECTOR = 'sandbox';

export interface SandboxConnector {
  sandbox: Sandbox;
  connectorId: string;
  status: string;
  statusMessage?: string;
}

export async function startSandboxConnector(runtime: Runtime, options: { skus: number; log: (line: string) => void }): Promise<SandboxConnector> {
  const sandbox = await startSandbox({
    // A generous simulated hourly limit: the sandbox is a demo, not a rate-limit exercise.
    autotask: { hourlyLimit: 10_000_000 },
    ingram: { catalog: { skus: options.skus }, rateLimit: false, msPerStep: 2000 },
  });
  const db = runtime.database.db;
  for (const table of [productLinks, syncRuns, quarantine]) await db.delete(table).where(eq(table.connectorId, SANDBOX_CONNECTOR));
  await db.delete(actionLog).where(eq(actionLog.connectorId, SANDBOX_CONNECTOR));
  options.log(`Sandbox: Autotask simulator ${sandbox.autotask.url}, Ingram Micro simulator ${sandbox.ingram.url} (${options.skus} SKUs)`);
  const view = await connect(runtime.client, runtime.config.taskQueue, runtime.ring, sandbox.connectRequest(SANDBOX_CONNECTOR));
  if (view.status === 'connected') await enableTemplate(runtime.client, SANDBOX_CONNECTOR, 'product-sync');
  options.log(`Sandbox connector "${SANDBOX_CONNECTOR}": ${view.status}${view.statusMessage ? ` — ${view.statusMessage}` : ''}`);
  return { sandbox, connectorId: SANDBOX_CONNECTOR, status: view.status, statusMessage: view.statusMessage };
}
