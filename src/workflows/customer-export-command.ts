// An operator command on the export (`export status`, `export retry`): the CLI never opens the
// engine's database, so it runs this short workflow, whose activity does.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import type { ExportCommandInput, ExportRetryResult, ExportStatus } from './messages/export';
import { integrationOfRun } from './template-run';

const act = proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', retry: { initialInterval: '1 second', maximumAttempts: 3, nonRetryableErrorTypes } });

export async function customerExportCommandWorkflow(input: ExportCommandInput): Promise<ExportStatus | ExportRetryResult> {
  const integrationId = await integrationOfRun(input, 'export');
  const scope = { connectorId: input.connectorId, integrationId };
  if (input.command === 'status') return act.exportStatus(scope);
  return act.retryExportDeadLetters({ ...scope, all: input.all, records: input.records });
}
