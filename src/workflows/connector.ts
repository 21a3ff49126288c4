// One long-lived workflow per connector (Airbyte's connection-workflow pattern): activation checks of
// the Autotask side and of each integration, status (Not Connected / Connected / Error / Disabled),
// integrations added and removed, template instances on and off. The CLI talks only to this workflow
// (updates and a query), so it never needs the engine's database.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { IntegrationDescription } from '../activities/connector';
import { operatorMessage } from '../failures';
import { findTemplate, instanceKey, templateNames } from '../templates';
import {
  addIntegrationUpdate, checkIntegrationUpdate, connectorQuery, connectUpdate, disableConnectorUpdate, disableTemplateUpdate, enableTemplateUpdate,
  reconnectUpdate, removeIntegrationUpdate, submitStatusUpdate, templateRunSignal, updateSettingsUpdate,
  type CheckOutcome, type CheckResult, type ConnectorView, type IntegrationView, type SubmitStatusRequest, type TemplateRef, type TemplateView,
} from './messages/connector';
import { BridgeConnector, BridgeStatus, BridgeTemplate } from './search-attributes';

export * from './messages/connector';

export interface ConnectorWorkflowInput {
  connectorId: string;
  /** Carried across continue-as-new. */
  state?: ConnectorView;
}

const checks = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A check that keeps failing for a transient reason ends as "Network issue", not an endless retry.
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 } });

/** What each Autotask-side check is doing, for the operator's message. */
const AUTOTASK_STEPS: Array<[string, string, (a: typeof checks, connectorId: string) => Promise<string | CheckOutcome>]> = [
  ['zone', 'discovering the Autotask zone', (a, connectorId) => a.checkZone({ connectorId })],
  ['authentication', 'calling Autotask with the API user', (a, connectorId) => a.checkAuthentication({ connectorId })],
  ['resource', 'looking up the connection e-mail among Autotask resources', (a, connectorId) => a.checkResource({ connectorId })],
  ['permissions', 'reading the API user\'s permissions', (a, connectorId) => a.checkPermissions({ connectorId })],
];
/** Needed once the connector has a distributor (Product Sync writes products). */
const CATALOG_STEPS: typeof AUTOTASK_STEPS = [
  ['udfs', 'checking product user-defined fields', (a, connectorId) => a.ensureUdfDefinitions({ connectorId })],
  ['billing', 'finding a billing code for products', (a, connectorId) => a.ensureBillingCode({ connectorId })],
];
/** Proposes Submit Order's PO status by label (added later: `patched` keeps older activations replaying). */
const SUBMIT_STATUS_STEP: (typeof AUTOTASK_STEPS)[number] = ['submit-status', 'reading the purchase order statuses', (a, connectorId) => a.checkSubmitStatus({ connectorId })];
const catalogSteps = (): typeof AUTOTASK_STEPS => [...CATALOG_STEPS, ...(patched('submit-status-check') ? [SUBMIT_STATUS_STEP] : [])];

export async function connectorWorkflow(input: ConnectorWorkflowInput): Promise<void> {
  const { connectorId } = input;
  const state: ConnectorView = input.state ?? { connectorId, status: 'not_connected', checks: [], integrations: [], templates: {} };
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

  const autotaskOk = () => state.checks.length > 0 && state.checks.every((c) => c.ok);
  const integrationOf = (id: string) => state.integrations.find((i) => i.id === id);
  const ready = (integrationId: string) => state.status !== 'disabled' && autotaskOk() && (!integrationId || integrationOf(integrationId)?.status === 'connected');

  async function step(check: string, doing: string, vendor: string, run: () => Promise<string | CheckOutcome>, into: CheckResult[]): Promise<boolean> {
    try {
      const outcome = await run();
      into.push(typeof outcome === 'string' ? { check, ok: true, message: outcome } : { check, ok: true, ...outcome });
      return true;
    } catch (err) {
      into.push({ check, ok: false, message: failureMessage(err, vendor, doing) });
      return false;
    }
  }

  async function activateIntegration(d: IntegrationDescription): Promise<IntegrationView> {
    const view: IntegrationView = { id: d.id, kind: d.kind, role: d.role, label: d.label, status: 'connected', checks: [] };
    const steps: Array<[string, string, () => Promise<string>]> = [];
    if (d.role === 'distributor') {
      steps.push(['vendor', `finding ${d.label} as an Autotask vendor company`, () => checks.ensureVendorCompany({ connectorId, integrationId: d.id })]);
    }
    for (const check of d.checks) steps.push([check, `calling the ${d.label} API`, () => checks.runIntegrationCheck({ connectorId, integrationId: d.id, check })]);
    // The distributor's stock location (productSync.inventory; added later: `patched` keeps older activations replaying).
    if (d.role === 'distributor' && patched('inventory-location')) {
      steps.push(['inventory', `finding or creating the ${d.label} inventory location`, () => checks.ensureInventoryLocation({ connectorId, integrationId: d.id })]);
    }
    for (const [check, doing, run] of steps) {
      if (!(await step(check, doing, d.label, run, view.checks))) {
        view.status = 'error';
        view.statusMessage = view.checks.at(-1)!.message;
        break;
      }
    }
    await bookkeeping.recordIntegrationStatus({ connectorId, integrationId: d.id, status: view.status, statusMessage: view.statusMessage, checks: view.checks });
    return view;
  }

  /** Runs Autotask-side checks in order until one fails. */
  async function autotaskSteps(steps: typeof AUTOTASK_STEPS): Promise<void> {
    for (const [check, doing, run] of steps) if (!(await step(check, doing, 'Autotask', () => run(checks, connectorId), state.checks))) return;
  }

  /**
   * Connected only when Autotask and every integration are; otherwise says which part is at fault.
   * A disabled connector stays disabled: only activation (connect, reconnect) turns it back on.
   */
  function settleStatus(): void {
    if (state.status === 'disabled') return;
    const failed = state.checks.find((c) => !c.ok);
    const badIntegration = state.integrations.find((i) => i.status !== 'connected');
    state.status = failed || badIntegration ? 'error' : 'connected';
    state.statusMessage = failed ? failed.message : badIntegration ? `Integration "${badIntegration.id}" (${badIntegration.label}): ${badIntegration.statusMessage ?? badIntegration.status}` : undefined;
  }

  /** Settles the status, records it and shows it in the Web UI. */
  async function recordStatus(): Promise<ConnectorView> {
    settleStatus();
    await bookkeeping.recordConnectorStatus({ connectorId, status: state.status, statusMessage: state.statusMessage, checks: state.checks });
    publishStatus();
    return state;
  }

  async function applySchedules(): Promise<void> {
    // Templates that were on come back with their integration; a failure pauses them.
    for (const t of Object.values(state.templates)) {
      if (t.enabled) await bookkeeping.setTemplateSchedule({ connectorId, template: t.template, integrationId: t.integrationId, enabled: true, paused: !ready(t.integrationId) });
    }
  }

  async function activate(): Promise<ConnectorView> {
    state.checks = [];
    state.status = 'not_connected';
    const integrations = await bookkeeping.describeIntegrations({ connectorId });
    await autotaskSteps([...AUTOTASK_STEPS, ...(integrations.some((i) => i.role === 'distributor') ? catalogSteps() : [])]);
    // A bad integration never fails the Autotask side; a failed Autotask side leaves integrations unchecked.
    state.integrations = [];
    for (const d of integrations) {
      state.integrations.push(autotaskOk() ? await activateIntegration(d) : { id: d.id, kind: d.kind, role: d.role, label: d.label, status: 'not_connected', checks: [] });
    }
    await recordStatus();
    await applySchedules();
    return state;
  }

  /** The template instance a reference names (the only integration of its role when none is given). */
  function resolve(ref: TemplateRef | string): TemplateView {
    const { template: name, integrationId } = typeof ref === 'string' ? { template: ref, integrationId: undefined } : ref;
    const template = findTemplate(name);
    if (!template) throw new Error(`Unknown template "${name}" (one of ${templateNames().join(', ')})`);
    let id = integrationId ?? '';
    if (template.role) {
      const candidates = state.integrations.filter((i) => i.role === template.role);
      if (integrationId && !candidates.some((i) => i.id === integrationId)) throw new Error(`${template.label} runs for a ${template.role}; "${integrationId}" is not one of this connector's (${candidates.map((i) => i.id).join(', ') || 'none'})`);
      if (!integrationId) {
        if (candidates.length !== 1) throw new Error(candidates.length ? `Connector ${connectorId} has several ${template.role}s (${candidates.map((i) => i.id).join(', ')}): say which with --integration` : `${template.label} needs a ${template.role}: add one with \`autotask-bridge integrations add\``);
        id = candidates[0].id;
      }
    }
    const key = instanceKey(template.name, id);
    return state.templates[key] ?? { template: template.name, integrationId: id, enabled: false };
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
      for (const t of Object.values(state.templates)) {
        if (t.enabled) await bookkeeping.setTemplateSchedule({ connectorId, template: t.template, integrationId: t.integrationId, enabled: true, paused: true });
      }
      state.status = 'disabled';
      state.statusMessage = 'Disabled by an operator; `autotask-bridge reconnect` turns it back on';
      return recordStatus();
    }),
  );

  setHandler(addIntegrationUpdate, (integration) =>
    exclusive(async () => {
      await bookkeeping.saveIntegration({ connectorId, integration });
      // A connector never activated gets the whole activation; otherwise only the new integration is checked.
      if (!autotaskOk()) return activate();
      const d = (await bookkeeping.describeIntegrations({ connectorId })).find((i) => i.id === integration.id)!;
      const hadDistributor = state.integrations.some((i) => i.role === 'distributor');
      if (d.role === 'distributor' && !hadDistributor) await autotaskSteps(catalogSteps());
      state.integrations = [...state.integrations.filter((i) => i.id !== d.id), await activateIntegration(d)];
      await recordStatus();
      await applySchedules();
      return state;
    }),
    { validator: (integration) => { if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(integration.id)) throw new Error(`Integration id "${integration.id}" must be lower-case letters, digits and dashes`); } },
  );

  setHandler(removeIntegrationUpdate, (integrationId) =>
    exclusive(async () => {
      for (const [key, t] of Object.entries(state.templates)) {
        if (t.integrationId !== integrationId) continue;
        await bookkeeping.setTemplateSchedule({ connectorId, template: t.template, integrationId, enabled: false, paused: true });
        delete state.templates[key];
      }
      await bookkeeping.removeIntegration({ connectorId, integrationId });
      state.integrations = state.integrations.filter((i) => i.id !== integrationId);
      return recordStatus();
    }),
    { validator: (integrationId) => { if (!integrationOf(integrationId)) throw new Error(`Connector ${connectorId} has no integration "${integrationId}"`); } },
  );

  setHandler(checkIntegrationUpdate, (integrationId) =>
    exclusive(async () => {
      const d = (await bookkeeping.describeIntegrations({ connectorId })).find((i) => i.id === integrationId);
      if (!d) throw ApplicationFailure.nonRetryable(`Connector ${connectorId} has no integration "${integrationId}"`, 'settings');
      state.integrations = state.integrations.map((i) => (i.id === integrationId ? { ...i, status: 'not_connected' as const } : i));
      const view = autotaskOk() ? await activateIntegration(d) : undefined;
      if (view) state.integrations = state.integrations.map((i) => (i.id === integrationId ? view : i));
      await recordStatus();
      await applySchedules();
      return state;
    }),
    { validator: (integrationId) => { if (!integrationOf(integrationId)) throw new Error(`Connector ${connectorId} has no integration "${integrationId}"`); } },
  );

  setHandler(
    enableTemplateUpdate,
    (ref) =>
      exclusive(async () => {
        const t = resolve(ref);
        await bookkeeping.setTemplateSchedule({ connectorId, template: t.template, integrationId: t.integrationId, enabled: true, paused: false });
        state.templates[instanceKey(t.template, t.integrationId)] = { ...t, enabled: true };
        return state;
      }),
    {
      validator: (ref) => {
        const t = resolve(ref);
        const template = findTemplate(t.template)!;
        if (!ready(t.integrationId)) {
          const integration = integrationOf(t.integrationId);
          const why = state.status === 'disabled' || !autotaskOk() ? `Connector ${connectorId} is ${state.status}${state.statusMessage ? ` (${state.statusMessage})` : ''}` : `Integration "${t.integrationId}" is ${integration?.status ?? 'missing'}${integration?.statusMessage ? ` (${integration.statusMessage})` : ''}`;
          throw new Error(`${why}: connect it before enabling templates`);
        }
        for (const prerequisite of template.prerequisites) {
          if (!state.templates[instanceKey(prerequisite, t.integrationId)]?.lastCompletedAt) {
            throw new Error(template.prerequisiteHint ?? `${template.label} needs ${prerequisite} to have completed once`);
          }
        }
      },
    },
  );

  setHandler(
    disableTemplateUpdate,
    (ref) =>
      exclusive(async () => {
        const t = resolve(ref);
        await bookkeeping.setTemplateSchedule({ connectorId, template: t.template, integrationId: t.integrationId, enabled: false, paused: true });
        state.templates[instanceKey(t.template, t.integrationId)] = { ...t, enabled: false };
        return state;
      }),
    { validator: (ref) => void resolve(ref) },
  );

  setHandler(updateSettingsUpdate, (change) =>
    exclusive(async () => {
      await withReason(() => bookkeeping.updateConnectorSettings({ connectorId, change }), 'the engine', 'changing settings');
      // A new schedule time applies to enabled templates at once.
      await applySchedules();
      return state;
    }),
  );

  setHandler(
    submitStatusUpdate,
    (request) =>
      exclusive(async () => {
        const view = await withReason(() => checks.submitStatus({ connectorId, ...request }), 'Autotask', 'reading the purchase order statuses');
        if (request.confirm) {
          state.checks = [...state.checks.filter((c) => c.check !== 'submit-status'), { check: 'submit-status', ok: true, ...view.check }];
          await recordStatus();
        }
        return view;
      }),
    { validator: (_request: SubmitStatusRequest) => { if (!autotaskOk()) throw new Error(`Connector ${connectorId} is ${state.status}${state.statusMessage ? ` (${state.statusMessage})` : ''}: connect it first`); } },
  );

  setHandler(templateRunSignal, (report) => {
    const key = instanceKey(report.template, report.integrationId ?? '');
    const view = (state.templates[key] ??= { template: report.template, integrationId: report.integrationId ?? '', enabled: false });
    view.lastRunAt = report.at;
    view.lastRunStatus = report.summary ? `${report.status}: ${report.summary}` : report.status;
    if (report.status === 'completed') view.lastCompletedAt = report.at;
  });

  publishStatus();
  await condition(() => workflowInfo().continueAsNewSuggested && !busy);
  await condition(allHandlersFinished);
  await continueAsNew<typeof connectorWorkflow>({ connectorId, state });
}

/** An update's activity failure with the operator's reason (e.g. an unknown label), not "Activity task failed". */
async function withReason<T>(run: () => Promise<T>, vendor: string, doing: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const type = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type ?? 'settings' : 'settings';
    throw ApplicationFailure.nonRetryable(failureMessage(err, vendor, doing), type);
  }
}

/** The operator-facing message of a failed check (activities put the classified failure in the ApplicationFailure). */
function failureMessage(err: unknown, vendor: string, doing: string): string {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const details = (err.cause.details?.[0] ?? {}) as { source?: string; operation?: string };
    return operatorMessage({ kind: err.cause.type ?? 'transient', message: err.cause.message, source: details.source, operation: details.operation }, vendor, doing);
  }
  if (err instanceof ActivityFailure && err.cause) return `Network issue while ${doing}: ${err.cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
