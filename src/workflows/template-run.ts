// What every template workflow shares: telling the connector workflow how a run went, and finding
// the integration a run is for when the starter did not say.
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import type { IntegrationRole } from '../integrations/definition';
import { workflowIds } from './ids';
import { templateRunSignal, type TemplateRunReport } from './messages/connector';

const short = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes } });

/** Tells the connector workflow how a template run went (ignored when it does not exist). */
export async function reportTemplateRun(connectorId: string, report: TemplateRunReport): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowIds.connector(connectorId)).signal(templateRunSignal, report);
  } catch {
    // A connector without its workflow (tests, a deleted connector): nothing to tell.
  }
}

/** The integration a run is for: the one given, else the connector's only integration of `role`. */
export async function integrationOfRun(input: { connectorId: string; integrationId?: string }, role: IntegrationRole): Promise<string> {
  return input.integrationId || short.resolveIntegration({ connectorId: input.connectorId, role });
}
