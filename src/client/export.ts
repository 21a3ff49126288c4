// The operator's side of the customer export: a pass now (`export run [--full]`), the target's status
// and dead-letter list, and sending dead letters again. Each is a workflow: the CLI never opens the
// engine's database.
import type { Client } from '@temporalio/client';
import { workflowIds } from '../workflows/ids';
import {
  exportWorkflowIds, type CustomerExportInput, type CustomerExportResult, type ExportCommandInput, type ExportRetryResult, type ExportStatus,
} from '../workflows/messages/export';

export interface ExportTargetRef {
  connectorId: string;
  /** The export integration (needed when the connector has several). */
  integrationId?: string;
}

export async function runExportNow(client: Client, taskQueue: string, ref: ExportTargetRef & { full?: boolean; at?: string }): Promise<CustomerExportResult> {
  const at = ref.at ?? new Date().toISOString();
  const input: CustomerExportInput = { connectorId: ref.connectorId, integrationId: ref.integrationId ?? '', trigger: 'manual', ...(ref.full ? { full: true } : {}) };
  return client.workflow.execute('customerExportWorkflow', {
    taskQueue,
    workflowId: workflowIds.manualRun(exportWorkflowIds.pass(ref.connectorId, ref.integrationId ?? '-'), `${ref.full ? 'full-' : ''}${at}`),
    args: [input],
  }) as Promise<CustomerExportResult>;
}

async function command<T>(client: Client, taskQueue: string, input: ExportCommandInput): Promise<T> {
  return client.workflow.execute('customerExportCommandWorkflow', {
    taskQueue,
    workflowId: exportWorkflowIds.command(input.connectorId, input.integrationId ?? '', input.command, new Date().toISOString()),
    args: [input],
  }) as Promise<T>;
}

export function exportStatus(client: Client, taskQueue: string, ref: ExportTargetRef): Promise<ExportStatus> {
  return command<ExportStatus>(client, taskQueue, { ...ref, command: 'status' });
}

/** Sends dead letters again: all of them, or the records named (`customer:12`, `contract:7`). */
export function retryExport(client: Client, taskQueue: string, ref: ExportTargetRef & { all?: boolean; records?: string[] }): Promise<ExportRetryResult> {
  const records = (ref.records ?? []).map(parseRecordRef);
  return command<ExportRetryResult>(client, taskQueue, { connectorId: ref.connectorId, integrationId: ref.integrationId, command: 'retry', all: !!ref.all, records });
}

export function parseRecordRef(text: string): { kind: 'customer' | 'contract'; recordId: number } {
  const m = /^(customer|contract):(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a record: use customer:<company id> or contract:<contract id>`);
  return { kind: m[1] as 'customer' | 'contract', recordId: Number(m[2]) };
}
