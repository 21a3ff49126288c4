// A connector whose only integration is the sandbox's webhook export target, companies and contracts
// seeded in the Autotask simulator, and a second Autotask user ("the UI") whose edits fire webhooks.
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db';
import { createAutotaskClient, type AutotaskClient } from '../../src/autotask/client';
import { connectInput } from '../../src/client/connectors';
import { ConnectorStore } from '../../src/connector/store';
import type { ExportDocument } from '../../src/exports/documents';
import type { Sandbox, SandboxOptions } from '../../src/sim';
import type { CustomerExportResult } from '../../src/workflows/messages/export';
import { testKeyRing } from '../helpers/temporal';
export { eventually } from '../helpers/eventually';

export const EXPORT_SANDBOX: SandboxOptions = { autotask: { hourlyLimit: 100_000_000 }, ingram: false, tdSynnex: false, pax8: false, cloudblue: false, integrations: ['webhook'] };

export async function connectExport(database: Database, sandbox: Sandbox, connectorId: string, settings: Record<string, unknown> = {}): Promise<ConnectorStore> {
  const ring = testKeyRing();
  const store = new ConnectorStore(database, ring);
  const request = sandbox.connectRequest(connectorId, {}, ['webhook']);
  request.integrations![0].settings = { ...request.integrations![0].settings, ...settings };
  await store.save({ connectorId, ...connectInput(ring, request) });
  await store.setIntegrationStatus(connectorId, 'webhook', 'connected', undefined, []);
  await store.setStatus(connectorId, 'connected', undefined, []);
  return store;
}

const stamp = () => new Date().toISOString();

export function seedCompany(sandbox: Sandbox, values: Record<string, unknown>): number {
  const owner = sandbox.autotask.records('Resources')[0]?.id ?? null;
  return sandbox.autotask.seed('Companies', [{ companyType: 1, isActive: true, phone: '+1 555 0100', ownerResourceID: owner, lastTrackedModifiedDateTime: stamp(), ...values }])[0];
}

export function seedContract(sandbox: Sandbox, values: Record<string, unknown>): number {
  return sandbox.autotask.seed('Contracts', [{
    contractType: 1, status: 1, startDate: '2026-01-01T00:00:00Z', endDate: '2026-12-31T00:00:00Z', timeReportingRequiresStartAndStopTimes: 0, lastModifiedDateTime: stamp(), ...values,
  }])[0];
}

/** An Autotask client of a second user (not the connector's API user), so its edits fire the webhooks. */
export function uiClient(sandbox: Sandbox): AutotaskClient {
  const username = `ui-${randomUUID().slice(0, 6)}@sandbox.autotask.local`;
  sandbox.autotask.addUser({ username, secret: 'ui-Secret-42', integrationCode: 'UI-TRACKING', resourceEmail: `${username}.resource@sandbox-msp.example` });
  return createAutotaskClient({ credentials: { username, secret: 'ui-Secret-42', integrationCode: 'UI-TRACKING' }, discoveryUrl: sandbox.autotask.discoveryUrl, limiter: false });
}

let runs = 0;
export function runExport(client: Client, taskQueue: string, connectorId: string, options: { full?: boolean } = {}): Promise<CustomerExportResult> {
  return client.workflow.execute('customerExportWorkflow', {
    taskQueue,
    workflowId: `test-export/${connectorId}/${++runs}-${Date.now()}`,
    args: [{ connectorId, integrationId: 'webhook', trigger: 'manual', ...options }],
  }) as Promise<CustomerExportResult>;
}

export const docsOf = (sandbox: Sandbox, kind: 'customer' | 'contract', id: number): ExportDocument[] => sandbox.webhook.documentsFor(kind, id);

