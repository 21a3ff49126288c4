// Each enabled template instance is a Temporal Schedule (`template/<connector>/<template>/<integration>`):
// enabling creates or unpauses it, disabling pauses it (its history stays visible in the Web UI).
// What to run and when comes from the template registry.
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { ConnectorSettings } from '../connector/settings';
import type { TemplateDefinition, TemplateRunInput } from '../templates';
import { scheduleIds } from '../workflows/ids';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';

export interface SetScheduleInput {
  connectorId: string;
  integrationId: string;
  template: TemplateDefinition;
  settings: ConnectorSettings;
  /** The integration's settings (a template may take its schedule from them). */
  integrationSettings?: Record<string, unknown>;
  taskQueue: string;
  paused: boolean;
  note: string;
}

function specOf(template: TemplateDefinition, settings: ConnectorSettings, integrationSettings: Record<string, unknown> | undefined, integrationId: string): { spec: ScheduleSpec; catchupWindow: string } {
  const s = template.schedule(settings, integrationSettings, integrationId);
  const spec: ScheduleSpec = s.calendars
    ? { calendars: s.calendars.map((c) => ({ hour: c.hour, minute: c.minute })), timezone: s.timezone }
    : { intervals: [{ every: `${s.everyMinutes ?? 60} minutes` }] };
  return { spec, catchupWindow: s.catchupWindow };
}

/** Creates the template's schedule or brings an existing one up to date, paused or running. */
export async function upsertTemplateSchedule(client: Client, input: SetScheduleInput): Promise<void> {
  const { template, connectorId, integrationId } = input;
  const scheduleId = scheduleIds.template(connectorId, template.name, integrationId);
  const { spec, catchupWindow } = specOf(template, input.settings, input.integrationSettings, integrationId);
  const args: [TemplateRunInput] = [{ connectorId, integrationId, trigger: 'schedule' }];
  const action = {
    type: 'startWorkflow' as const,
    workflowType: template.workflowType,
    workflowId: template.workflowId(connectorId, integrationId),
    taskQueue: input.taskQueue,
    args,
    typedSearchAttributes: [
      { key: BridgeConnector, value: connectorId },
      { key: BridgeTemplate, value: template.name },
    ],
  };
  const handle = client.schedule.getHandle(scheduleId);
  try {
    await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP, catchupWindow } }));
    const { state } = await handle.describe();
    if (input.paused && !state.paused) await handle.pause(input.note);
    if (!input.paused && state.paused) await handle.unpause(input.note);
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow },
      state: { paused: input.paused, note: input.note },
    });
  }
}

export interface ScheduleView {
  paused: boolean;
  note?: string;
  nextRun?: Date;
  lastRun?: Date;
}

export async function describeTemplateSchedule(client: Client, connectorId: string, template: string, integrationId: string): Promise<ScheduleView | undefined> {
  try {
    const d = await client.schedule.getHandle(scheduleIds.template(connectorId, template, integrationId)).describe();
    const recent = d.info.recentActions.at(-1);
    return { paused: d.state.paused, note: d.state.note, nextRun: d.info.nextActionTimes[0], lastRun: recent?.takenAt };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
