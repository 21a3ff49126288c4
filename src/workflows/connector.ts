// One long-lived workflow per connector (Airbyte's connection-workflow pattern): activation checks,
// status (Not Connected / Connected / Error / Disabled), templates on and off. The CLI talks only to
// this workflow (updates and a query), so it never needs the engine's database.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ConnectorStatus, TemplateName } from '../../db/schema/connectors';
import { BridgeConnector, BridgeStatus, BridgeTemplate } from './search-attributes';

export type CheckName = 'zone' | 'authentication' | 'resource' | 'permissions' | 'udfs' | 'vendor' | 'billing' | 'distributor';

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  message: string;
}

export interface TemplateView {
  enabled: boolean;
  lastRunAt?: string;
  lastRunStatus?: string;
  lastCompletedAt?: string;
}

export interface ConnectorView {
  connectorId: string;
  status: ConnectorStatus;
  statusMessage?: string;
  checks: CheckResult[];
  templates: Record<TemplateName, TemplateView>;
  productSyncCompletedAt?: string;
}

/** What `autotask-bridge connect` sends. Credentials arrive sealed with the engine's key ring. */
export interface ConnectInput {
  name: string;
  email: string;
  zoneUrl?: string;
  discoveryUrl?: string;
  sealedAutotaskCredentials: string;
  distributorKind: string;
  distributorSettings: Record<string, unknown>;
  sealedDistributorCredentials: string;
  settings?: Record<string, unknown>;
}

export interface TemplateRunReport {
  template: TemplateName;
  status: 'completed' | 'failed' | 'awaiting_approval' | 'dry_run';
  at: string;
  summary?: string;
}

export interface ConnectorWorkflowInput {
  connectorId: string;
  /** Carried across continue-as-new. */
  state?: ConnectorView;
}

export const connectUpdate = defineUpdate<ConnectorView, [ConnectInput]>('connect');
export const reconnectUpdate = defineUpdate<ConnectorView>('reconnect');
export const disableConnectorUpdate = defineUpdate<ConnectorView>('disableConnector');
export const enableTemplateUpdate = defineUpdate<ConnectorView, [TemplateName]>('enableTemplate');
export const disableTemplateUpdate = defineUpdate<ConnectorView, [TemplateName]>('disableTemplate');
export const updateSettingsUpdate = defineUpdate<ConnectorView, [Record<string, unknown>]>('updateSettings');
export const templateRunSignal = defineSignal<[TemplateRunReport]>('templateRun');
export const connectorQuery = defineQuery<ConnectorView>('connector');

const TEMPLATE_NAMES: TemplateName[] = ['product-sync', 'submit-order', 'get-order-status'];

const checks = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A check that keeps failing for a transient reason ends as "Network issue", not an endless retry.
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });

export async function connectorWorkflow(input: ConnectorWorkflowInput): Promise<void> {
  const { connectorId } = input;
  const state: ConnectorView = input.state ?? {
    connectorId,
    status: 'not_connected',
    checks: [],
    templates: Object.fromEntries(TEMPLATE_NAMES.map((t) => [t, { enabled: false }])) as Record<TemplateName, TemplateView>,
  };
  let busy = false;

  // Updates change state one at a time: activation and schedule changes never interleave.
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  function publishStatus(): void {
    upsertSearchAttributes([
      { key: BridgeConnector, value: connectorId },
      { key: BridgeTemplate, value: 'connector' },
      { key: BridgeStatus, value: state.status },
    ]);
  }

  async function activate(): Promise<ConnectorView> {
    state.checks = [];
    const steps: Array<[CheckName, () => Promise<string>]> = [
      ['zone', () => checks.checkZone({ connectorId })],
      ['authentication', () => checks.checkAuthentication({ connectorId })],
      ['resource', () => checks.checkResource({ connectorId })],
      ['permissions', () => checks.checkPermissions({ connectorId })],
      ['udfs', () => checks.ensureUdfDefinitions({ connectorId })],
      ['vendor', () => checks.ensureVendorCompany({ connectorId })],
      ['billing', () => checks.ensureBillingCode({ connectorId })],
      ['distributor', () => checks.checkDistributor({ connectorId })],
    ];
    state.status = 'connected';
    state.statusMessage = undefined;
    for (const [check, run] of steps) {
      try {
        state.checks.push({ check, ok: true, message: await run() });
      } catch (err) {
        const message = failureMessage(err);
        state.checks.push({ check, ok: false, message });
        state.status = 'error';
        state.statusMessage = message;
        break;
      }
    }
    await bookkeeping.recordConnectorStatus({ connectorId, status: state.status, statusMessage: state.statusMessage, checks: state.checks });
    // Templates that were on come back with the connector; an error pauses them.
    for (const template of TEMPLATE_NAMES) {
      if (state.templates[template].enabled) await bookkeeping.setTemplateSchedule({ connectorId, template, enabled: true, paused: state.status !== 'connected' });
    }
    publishStatus();
    return state;
  }

  setHandler(connectorQuery, () => state);

  setHandler(connectUpdate, (connect) =>
    exclusive(async () => {
      await bookkeeping.saveConnector({ connectorId, ...connect });
      return activate();
    }),
  );

  setHandler(reconnectUpdate, () => exclusive(activate), {
    validator: () => {
      if (!state.checks.length && state.status === 'not_connected') throw new Error(`Connector ${connectorId} has never been connected: run \`autotask-bridge connect\` first`);
    },
  });

  setHandler(disableConnectorUpdate, () =>
    exclusive(async () => {
      for (const template of TEMPLATE_NAMES) {
        if (state.templates[template].enabled) await bookkeeping.setTemplateSchedule({ connectorId, template, enabled: true, paused: true });
      }
      state.status = 'disabled';
      state.statusMessage = 'Disabled by an operator; `autotask-bridge reconnect` turns it back on';
      await bookkeeping.recordConnectorStatus({ connectorId, status: state.status, statusMessage: state.statusMessage, checks: state.checks });
      publishStatus();
      return state;
    }),
  );

  setHandler(
    enableTemplateUpdate,
    (template) =>
      exclusive(async () => {
        await bookkeeping.setTemplateSchedule({ connectorId, template, enabled: true, paused: false });
        state.templates[template].enabled = true;
        return state;
      }),
    {
      validator: (template) => {
        if (!TEMPLATE_NAMES.includes(template)) throw new Error(`Unknown template "${template}" (one of ${TEMPLATE_NAMES.join(', ')})`);
        if (state.status !== 'connected') throw new Error(`Connector ${connectorId} is ${state.status}${state.statusMessage ? ` (${state.statusMessage})` : ''}: connect it before enabling templates`);
        if (template === 'submit-order' && !state.productSyncCompletedAt) {
          throw new Error('Submit Order needs products mapped by Product Sync: enable Product Sync and let it complete once first (recommended order: Product Sync → Submit Order → Get Order Status)');
        }
      },
    },
  );

  setHandler(
    disableTemplateUpdate,
    (template) =>
      exclusive(async () => {
        await bookkeeping.setTemplateSchedule({ connectorId, template, enabled: false, paused: true });
        state.templates[template].enabled = false;
        return state;
      }),
    { validator: (template) => { if (!TEMPLATE_NAMES.includes(template)) throw new Error(`Unknown template "${template}"`); } },
  );

  setHandler(updateSettingsUpdate, (change) =>
    exclusive(async () => {
      await bookkeeping.updateConnectorSettings({ connectorId, change });
      // A new schedule time applies to an enabled Product Sync at once.
      if (state.templates['product-sync'].enabled) {
        await bookkeeping.setTemplateSchedule({ connectorId, template: 'product-sync', enabled: true, paused: state.status !== 'connected' });
      }
      return state;
    }),
  );

  setHandler(templateRunSignal, (report) => {
    const view = state.templates[report.template];
    view.lastRunAt = report.at;
    view.lastRunStatus = report.summary ? `${report.status}: ${report.summary}` : report.status;
    if (report.status === 'completed') {
      view.lastCompletedAt = report.at;
      if (report.template === 'product-sync') state.productSyncCompletedAt ??= report.at;
    }
  });

  publishStatus();
  await condition(() => workflowInfo().continueAsNewSuggested && !busy);
  await condition(allHandlersFinished);
  await continueAsNew<typeof connectorWorkflow>({ connectorId, state });
}

/** The operator-facing message of a failed check (activities put it in the ApplicationFailure). */
function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.message;
  if (err instanceof ActivityFailure && err.cause) return `Network issue: ${err.cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
