// Customer import for the CLI and other services: each call runs the short customer-import workflow
// (the worker has the database and the credentials; callers need neither). Import is idempotent by
// the company's external id, so repeating a call is safe.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { BulkImportResult, ImportCandidate, ImportOutcome } from '../activities/subscriptions/import';
import type { ImportProfile } from '../subscriptions/import';
import { CUSTOMER_IMPORT_WORKFLOW_TYPE, customerImportWorkflowId, type CustomerImportInput, type CustomerImportResult } from '../workflows/customer-import';
import type { MarketplaceScope } from './subscriptions';

async function run(client: Client, taskQueue: string, workflowId: string, input: CustomerImportInput): Promise<CustomerImportResult> {
  try {
    return await client.workflow.execute(CUSTOMER_IMPORT_WORKFLOW_TYPE, { workflowId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' }) as CustomerImportResult;
  } catch (err) {
    // The workflow's own reason ("Customer import failed: …"), not Temporal's "Workflow execution failed".
    if (err instanceof WorkflowFailedError && err.cause) throw new Error(err.cause.message, { cause: err });
    throw err;
  }
}

/** `customers import <company id>`: creates (or finds) the company's marketplace customer and maps it. */
export async function importCustomer(client: Client, taskQueue: string, scope: MarketplaceScope, companyId: number, profile: ImportProfile = {}, by = 'cli'): Promise<ImportOutcome> {
  const result = await run(client, taskQueue, customerImportWorkflowId(scope.connectorId, scope.integrationId, companyId), { op: 'one', ...scope, companyId, profile, by });
  if (result.op !== 'one') throw new Error(`customer import ${companyId} is already running as ${result.op}`);
  return result.outcome;
}

/** `customers import --all`: every active customer whose profile is complete; the others with what is missing. */
export async function importAllCustomers(client: Client, taskQueue: string, scope: MarketplaceScope, options: { by?: string; activityTimeoutMs?: number } = {}): Promise<BulkImportResult> {
  const result = await run(client, taskQueue, customerImportWorkflowId(scope.connectorId, scope.integrationId, 'all'), { op: 'all', ...scope, by: options.by ?? 'cli', activityTimeoutMs: options.activityTimeoutMs });
  if (result.op !== 'all') throw new Error(`unexpected customer import result ${result.op}`);
  return result.result;
}

/** `customers candidates`: the wizard's list (first 10 active customers, or those matching `search`). */
export async function importCandidates(client: Client, taskQueue: string, scope: MarketplaceScope, options: { search?: string; limit?: number } = {}): Promise<ImportCandidate[]> {
  const result = await run(client, taskQueue, `customer-candidates/${scope.connectorId}/${scope.integrationId}/${randomUUID()}`, { op: 'candidates', ...scope, ...options });
  if (result.op !== 'candidates') throw new Error(`unexpected customer import result ${result.op}`);
  return result.candidates;
}
