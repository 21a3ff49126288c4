// Each enabled template is a Temporal Schedule (`template/<connector>/<template>`): enabling creates
// or unpauses it, disabling pauses it (its history stays visible in the Web UI).
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { TemplateName } from '../../db/schema/connectors';
import type { ConnectorSettings } from '../connector/settings';
import { scheduleIds, workflowIds } from '../workflows/ids';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';

interface TemplateSchedule {
  workflowType: string;
  workflowId: string;
  spec: ScheduleOptions['spec'];
  catchupWindow: string;
}

function templateSchedule(connectorId: string, template: TemplateName, settings: ConnectorSettings): TemplateSchedule {
  switch (template) {
    case 'product-sync': {
      const s = settings.productSync.schedule;
      return {
        workflowType: 'productSyncWorkflow',
        workflowId: workflowIds.productSync(connectorId),
        spec: { calendars: [{ hour: s.hour, minute: s.minute }], timezone: s.timezone },
        catchupWindow: `${s.catchupWindowHours} hours`,
      };
    }
    case 'submit-order':
      return {
        workflowType: 'orderScanWorkflow',
        workflowId: workflowIds.orderScan(connectorId),
        spec: { intervals: [{ every: `${settings.orders.scanIntervalMinutes} minutes` }] },
        catchupWindow: '1 hour',
      };
    case 'get-order-status':
      return {
        workflowType: 'orderStatusSweepWorkflow',
        workflowId: workflowIds.orderStatusSweep(connectorId),
        spec: { intervals: [{ every: `${settings.orders.scanIntervalMinutes} minutes` }] },
        catchupWindow: '1 hour',
      };
  }
}

export interface SetScheduleInput {
  connectorId: string;
  template: TemplateName;
  settings: ConnectorSettings;
  taskQueue: string;
  paused: boolean;
  note: string;
}

/** Creates the template's schedule or brings an existing one up to date, paused or running. */
export async function upsertTemplateSchedule(client: Client, input: SetScheduleInput): Promise<void> {
  const scheduleId = scheduleIds.template(input.connectorId, input.template);
  const t = templateSchedule(input.connectorId, input.template, input.settings);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: t.workflowType,
    workflowId: t.workflowId,
    taskQueue: input.taskQueue,
    args: [{ connectorId: input.connectorId, trigger: 'schedule' }],
    typedSearchAttributes: [
      { key: BridgeConnector, value: input.connectorId },
      { key: BridgeTemplate, value: input.template },
    ],
  };
  const handle = client.schedule.getHandle(scheduleId);
  try {
    await handle.update((previous) => ({ ...previous, spec: t.spec, action, policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: t.catchupWindow } }));
    const { state } = await handle.describe();
    if (input.paused && !state.paused) await handle.pause(input.note);
    if (!input.paused && state.paused) await handle.unpause(input.note);
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create({
      scheduleId,
      spec: t.spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: t.catchupWindow },
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

export async function describeTemplateSchedule(client: Client, connectorId: string, template: TemplateName): Promise<ScheduleView | undefined> {
  try {
    const d = await client.schedule.getHandle(scheduleIds.template(connectorId, template)).describe();
    const recent = d.info.recentActions.at(-1);
    return { paused: d.state.paused, note: d.state.note, nextRun: d.info.nextActionTimes[0], lastRun: recent?.takenAt };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
