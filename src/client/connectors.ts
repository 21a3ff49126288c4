// How operators drive a connector: everything goes through its workflow (updates and a query), so
// the CLI never opens the engine's database and works the same against embedded and production.
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sealString } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';
import { integrationKind, integrationProblems } from '../integrations/registry';
import { findTemplate, instanceKey, templates } from '../templates';
import {
  addIntegrationUpdate, checkIntegrationUpdate, connectorQuery, connectUpdate, disableConnectorUpdate, disableTemplateUpdate, enableTemplateUpdate,
  reconnectUpdate, removeIntegrationUpdate, submitStatusUpdate, updateSettingsUpdate,
  type ConnectInput, type ConnectorView, type IntegrationInput, type SubmitStatusRequest, type TemplateRef, type TemplateView,
} from '../workflows/messages/connector';
import { workflowIds } from '../workflows/ids';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';
import { describeTemplateSchedule, type ScheduleView } from './schedules';
import { withUpdateReason } from './update-reason';

/** One integration in clear, before sealing: its kind's settings and secrets. */
export interface IntegrationRequest {
  id?: string;
  kind: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  vendorCompany?: { id?: number; name?: string };
}

export interface ConnectRequest {
  connectorId: string;
  name?: string;
  email: string;
  zoneUrl?: string;
  discoveryUrl?: string;
  autotask: { username: string; secret: string; integrationCode: string };
  /** Integrations added together with the Autotask side (e.g. the `--distributor` shorthand). */
  integrations?: IntegrationRequest[];
  settings?: Record<string, unknown>;
}

/**
 * Checks an integration against its kind's schemas and seals its secrets with the engine's key ring
 * before they leave this process. A bad value is reported here, naming the field.
 */
export function integrationInput(ring: KeyRing, request: IntegrationRequest): IntegrationInput {
  const problems = integrationProblems(request.kind, request.settings, request.secrets);
  if (problems.length) throw new Error(`${integrationKind(request.kind).label}: ${problems.join('; ')}`);
  return {
    id: request.id ?? request.kind, kind: request.kind, settings: request.settings, sealedSecrets: sealString(ring, JSON.stringify(request.secrets)),
    ...(request.vendorCompany ? { vendorCompany: request.vendorCompany } : {}),
  };
}

/** Seals the credentials with the engine's key ring before they leave this process. */
export function connectInput(ring: KeyRing, request: ConnectRequest): ConnectInput {
  return {
    name: request.name ?? request.connectorId,
    email: request.email.trim(),
    zoneUrl: request.zoneUrl,
    discoveryUrl: request.discoveryUrl,
    sealedAutotaskCredentials: sealString(ring, JSON.stringify(request.autotask)),
    integrations: (request.integrations ?? []).map((i) => integrationInput(ring, i)),
    settings: request.settings,
  };
}

/** Connects (or reconnects with new credentials): starts the connector's workflow if needed. */
export async function connect(client: Client, taskQueue: string, ring: KeyRing, request: ConnectRequest): Promise<ConnectorView> {
  const input = connectInput(ring, request);
  return withUpdateReason(() => client.workflow.executeUpdateWithStart(connectUpdate, {
    args: [input],
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
const ref = (template: string, integrationId?: string): TemplateRef => ({ template, ...(integrationId ? { integrationId } : {}) });

export const reconnect = (client: Client, connectorId: string) => withReason(() => handle(client, connectorId).executeUpdate(reconnectUpdate));
export const disableConnector = (client: Client, connectorId: string) => withReason(() => handle(client, connectorId).executeUpdate(disableConnectorUpdate));
export const enableTemplate = (client: Client, connectorId: string, template: string, integrationId?: string) =>
  withReason(() => handle(client, connectorId).executeUpdate(enableTemplateUpdate, { args: [ref(template, integrationId)] }));
export const disableTemplate = (client: Client, connectorId: string, template: string, integrationId?: string) =>
  withReason(() => handle(client, connectorId).executeUpdate(disableTemplateUpdate, { args: [ref(template, integrationId)] }));
export const updateSettings = (client: Client, connectorId: string, change: Record<string, unknown>) =>
  withReason(() => handle(client, connectorId).executeUpdate(updateSettingsUpdate, { args: [change] }));
/** Submit Order's PO status: the current choice or a proposal, or (with `confirm`) the operator's confirmation. */
export const submitStatus = (client: Client, connectorId: string, request: SubmitStatusRequest) =>
  withReason(() => handle(client, connectorId).executeUpdate(submitStatusUpdate, { args: [request] }));
export const addIntegration = (client: Client, ring: KeyRing, connectorId: string, request: IntegrationRequest) => {
  const input = integrationInput(ring, request);
  return withReason(() => handle(client, connectorId).executeUpdate(addIntegrationUpdate, { args: [input] }));
};
export const removeIntegration = (client: Client, connectorId: string, integrationId: string) =>
  withReason(() => handle(client, connectorId).executeUpdate(removeIntegrationUpdate, { args: [integrationId] }));
export const checkIntegration = (client: Client, connectorId: string, integrationId: string) =>
  withReason(() => handle(client, connectorId).executeUpdate(checkIntegrationUpdate, { args: [integrationId] }));

/** A template instance as `status` shows it: every template for every integration of its role. */
export interface TemplateStatus extends TemplateView {
  label: string;
  schedule?: ScheduleView;
}

export interface ConnectorStatusView extends ConnectorView {
  instances: TemplateStatus[];
}

export async function connectorStatus(client: Client, connectorId: string): Promise<ConnectorStatusView | null> {
  let view: ConnectorView;
  try {
    view = await handle(client, connectorId).query(connectorQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  const instances: TemplateStatus[] = [];
  for (const t of templates()) {
    const ids = t.role ? view.integrations.filter((i) => i.role === t.role).map((i) => i.id) : [''];
    for (const integrationId of ids) {
      const known = view.templates[instanceKey(t.name, integrationId)] ?? { template: t.name, integrationId, enabled: false };
      const schedule = await describeTemplateSchedule(client, connectorId, t.name, integrationId);
      instances.push({ ...known, label: findTemplate(t.name)?.label ?? t.name, schedule });
    }
  }
  return { ...view, instances };
}

/** Ids of every connector (running connector workflows). */
export async function listConnectors(client: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'connectorWorkflow' AND ExecutionStatus = 'Running'` })) {
    ids.push(wf.workflowId.replace(/^connector\//, ''));
  }
  return ids.sort();
}
