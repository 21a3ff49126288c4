// Customer import as a short workflow: the CLI has neither the engine's database nor Autotask or
// marketplace credentials, so `customers import|candidates` run the import activities here. The
// operator's answers (a password among them) are in this workflow's input: the payload codec
// encrypts history, and the result never carries them.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BulkImportResult, ImportCandidate, ImportOutcome } from '../activities/subscriptions/import';
import { nonRetryableErrorTypes } from '../failures';
import type { ImportProfile } from '../subscriptions/import';

export const CUSTOMER_IMPORT_WORKFLOW_TYPE = 'customerImportWorkflow';

interface Scope {
  connectorId: string;
  integrationId: string;
}

export type CustomerImportInput =
  | (Scope & { op: 'one'; companyId: number; profile?: ImportProfile; by: string })
  | (Scope & { op: 'all'; by: string; activityTimeoutMs?: number })
  | (Scope & { op: 'candidates'; search?: string; limit?: number });

export type CustomerImportResult =
  | { op: 'one'; outcome: ImportOutcome }
  | { op: 'all'; result: BulkImportResult }
  | { op: 'candidates'; integrationId: string; candidates: ImportCandidate[] };

/** `customer-import/<connector>/<integration>/<company id | all>`: a second run while one is going joins it. */
export const customerImportWorkflowId = (connectorId: string, integrationId: string, what: number | 'all') => `customer-import/${connectorId}/${integrationId}/${what}`;

const short = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
});

function bulk(timeoutMs?: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: timeoutMs ?? '2 hours',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
  });
}

export async function customerImportWorkflow(input: CustomerImportInput): Promise<CustomerImportResult> {
  const scope = { connectorId: input.connectorId, integrationId: input.integrationId };
  try {
    switch (input.op) {
      case 'one':
        return { op: 'one', outcome: await short.importCustomer({ ...scope, companyId: input.companyId, profile: input.profile, by: input.by }) };
      case 'all':
        return { op: 'all', result: await bulk(input.activityTimeoutMs).importCustomers({ ...scope, all: true, by: input.by }) };
      case 'candidates': {
        const found = await short.importCandidates({ ...scope, search: input.search, limit: input.limit });
        return { op: 'candidates', ...found };
      }
    }
  } catch (err) {
    // The activity's reason, not Temporal's "Activity task failed", for the operator.
    const message = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
    throw ApplicationFailure.nonRetryable(`Customer import failed: ${message}`, 'customer-import-failed');
  }
}
