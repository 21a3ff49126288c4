// Starting and following Product Sync runs from the CLI (or any service).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { productSyncTemplate } from '../templates/product-sync';
import { workflowIds } from '../workflows/ids';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';
import { approveDeactivationUpdate, progressQuery, type ProductSyncInput, type ProductSyncResult, type ProductSyncState } from '../workflows/messages/product-sync';
import { withUpdateReason } from './update-reason';

export async function startProductSync(client: Client, taskQueue: string, connectorId: string, options: { dryRun?: boolean; at?: string; integrationId?: string } = {}): Promise<WorkflowHandle> {
  const at = options.at ?? new Date().toISOString();
  const base = options.integrationId ? productSyncTemplate.workflowId(connectorId, options.integrationId) : `product-sync/${connectorId}`;
  return client.workflow.start('productSyncWorkflow', {
    workflowId: workflowIds.manualRun(base, `${options.dryRun ? 'dry-run-' : ''}${at}`),
    taskQueue,
    args: [{ connectorId, integrationId: options.integrationId, dryRun: !!options.dryRun, trigger: 'manual' } satisfies ProductSyncInput],
    typedSearchAttributes: [{ key: BridgeConnector, value: connectorId }, { key: BridgeTemplate, value: 'product-sync' }],
  });
}

/** Polls the run's progress query until it ends; returns its result. */
export async function followProductSync(handle: WorkflowHandle, onProgress: (state: ProductSyncState) => void, intervalMs = 500): Promise<ProductSyncResult> {
  let done = false;
  const result = handle.result().finally(() => (done = true));
  while (!done) {
    try {
      onProgress(await handle.query(progressQuery));
    } catch {
      /* the run is starting or continuing as new */
    }
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, intervalMs))]);
  }
  return (await result) as ProductSyncResult;
}

/** The connector's Product Sync runs waiting for a deactivation decision. */
export async function runsAwaitingApproval(client: Client, connectorId: string): Promise<string[]> {
  const ids: string[] = [];
  const query = `WorkflowType = 'productSyncWorkflow' AND ExecutionStatus = 'Running' AND BridgeConnector = '${connectorId.replace(/'/g, '')}' AND BridgeStatus = 'awaiting_approval'`;
  for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

export async function decideDeactivation(client: Client, workflowId: string, approve: boolean): Promise<ProductSyncState> {
  return withUpdateReason(() => client.workflow.getHandle(workflowId).executeUpdate(approveDeactivationUpdate, { args: [{ approve }] }));
}
