// How operators drive a connector: everything goes through its workflow (updates and a query), so
// the CLI never opens the engine's database and works the same against embedded and production.
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { withUpdateReason } from './update-reason';
import { TEMPLATES, type TemplateName } from '../../db/schema/connectors';
import { sealString } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';
import {
  connectorQuery,
  connectUpdate,
  disableConnectorUpdate,
  disableTemplateUpdate,
  enableTemplateUpdate,
  reconnectUpdate,
  updateSettingsUpdate,
  type ConnectInput,
  type ConnectorView,
} from '../workflows/connector';
import { workflowIds } from '../workflows/ids';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';
import { describeTemplateSchedule, type ScheduleView } from './schedules';

export interface ConnectRequest {
  connectorId: string;
  name?: string;
  email: string;
  zoneUrl?: string;
  discoveryUrl?: string;
  autotask: { username: string; secret: string; integrationCode: string };
  distributor: { kind: string; settings: Record<string, unknown>; clientId: string; clientSecret: string };
  settings?: Record<string, unknown>;
}

/** Seals the credentials with the engine's key ring before they leave this process. */
export function connectInput(ring: KeyRing, request: ConnectRequest): ConnectInput {
  return {
    name: request.name ?? request.connectorId,
    email: request.email.trim(),
    zoneUrl: request.zoneUrl,
    discoveryUrl: request.discoveryUrl,
    sealedAutotaskCredentials: sealString(ring, JSON.stringify(request.autotask)),
    distributorKind: request.distributor.kind,
    distributorSettings: request.distributor.settings,
    sealedDistributorCredentials: sealString(ring, JSON.stringify({ clientId: request.distributor.clientId, clientSecret: request.distributor.clientSecret })),
    settings: request.settings,
  };
}

/** Connects (or reconnects with new credentials): starts the connector's workflow if needed. */
export async function connect(client: Client, taskQueue: string, ring: KeyRing, request: ConnectRequest): Promise<ConnectorView> {
  return withUpdateReason(() => client.workflow.executeUpdateWithStart(connectUpdate, {
    args: [connectInput(ring, request)],
    startWorkflowOperation: new WithStartWorkflowOperation('connectorWorkflow', {
      workflowId: workflowIds.connector(request.connectorId),
      taskQueue,
      args: [{ connectorId: request.connectorId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: BridgeConnector, value: request.connectorId }, { key: BridgeTemplate, value: 'connector' }],
    }),
  }));
}

function handle(client: Client, connectorId: string) {
  return client.workflow.getHandle(workflowIds.connector(connectorId));
}

const NO_CONNECTOR = 'No such connector: run `autotask-bridge connect` first';
const withReason = <T>(run: () => Promise<T>) => withUpdateReason(run, NO_CONNECTOR);

export const reconnect = (client: Client, connectorId: string) => withReason(() => handle(client, connectorId).executeUpdate(reconnectUpdate));
export const disableConnector = (client: Client, connectorId: string) => withReason(() => handle(client, connectorId).executeUpdate(disableConnectorUpdate));
export const enableTemplate = (client: Client, connectorId: string, template: TemplateName) =>
  withReason(() => handle(client, connectorId).executeUpdate(enableTemplateUpdate, { args: [template] }));
export const disableTemplate = (client: Client, connectorId: string, template: TemplateName) =>
  withReason(() => handle(client, connectorId).executeUpdate(disableTemplateUpdate, { args: [template] }));
export const updateSettings = (client: Client, connectorId: string, change: Record<string, unknown>) =>
  withReason(() => handle(client, connectorId).executeUpdate(updateSettingsUpdate, { args: [change] }));

export interface ConnectorStatusView extends ConnectorView {
  schedules: Partial<Record<TemplateName, ScheduleView>>;
}

export async function connectorStatus(client: Client, connectorId: string): Promise<ConnectorStatusView | null> {
  let view: ConnectorView;
  try {
    view = await handle(client, connectorId).query(connectorQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  const schedules: Partial<Record<TemplateName, ScheduleView>> = {};
  for (const template of TEMPLATES) {
    const s = await describeTemplateSchedule(client, connectorId, template);
    if (s) schedules[template] = s;
  }
  return { ...view, schedules };
}

/** Ids of every connector (running connector workflows). */
export async function listConnectors(client: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'connectorWorkflow' AND ExecutionStatus = 'Running'` })) {
    ids.push(wf.workflowId.replace(/^connector\//, ''));
  }
  return ids.sort();
}
