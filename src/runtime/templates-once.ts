// One cycle of every enabled template of every connector (`start --once`).
import type { Client } from '@temporalio/client';
import { TEMPLATES, type TemplateName } from '../../db/schema/connectors';
import { connectorStatus, listConnectors } from '../client/connectors';
import { startProductSync } from '../client/product-sync';
import { workflowIds } from '../workflows/ids';
import type { ProductSyncResult } from '../workflows/product-sync';

export interface TemplateRunSummary {
  connector: string;
  template: TemplateName;
  result: string;
}

const WORKFLOW_OF: Record<Exclude<TemplateName, 'product-sync'>, { type: string; id: (c: string) => string }> = {
  'submit-order': { type: 'orderScanWorkflow', id: workflowIds.orderScan },
  'get-order-status': { type: 'orderStatusSweepWorkflow', id: workflowIds.orderStatusSweep },
};

export async function runEnabledTemplatesOnce(client: Client, taskQueue: string, only: readonly TemplateName[] = TEMPLATES): Promise<TemplateRunSummary[]> {
  const out: TemplateRunSummary[] = [];
  for (const connectorId of await listConnectors(client)) {
    const view = await connectorStatus(client, connectorId);
    if (!view) continue;
    for (const template of only) {
      if (!view.templates[template].enabled) continue;
      if (view.status !== 'connected') {
        out.push({ connector: connectorId, template, result: `skipped: connector is ${view.status}` });
        continue;
      }
      try {
        if (template === 'product-sync') {
          const handle = await startProductSync(client, taskQueue, connectorId);
          const r = (await handle.result()) as ProductSyncResult;
          out.push({ connector: connectorId, template, result: `${r.status}: ${r.message}` });
        } else {
          const w = WORKFLOW_OF[template];
          const result = await client.workflow.execute(w.type, { workflowId: `${w.id(connectorId)}/once-${Date.now()}`, taskQueue, args: [{ connectorId, trigger: 'manual' }] });
          out.push({ connector: connectorId, template, result: `completed: ${describe(result)}` });
        }
      } catch (err) {
        out.push({ connector: connectorId, template, result: `failed: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}` });
      }
    }
  }
  return out;
}

function describe(result: unknown): string {
  if (!result || typeof result !== 'object') return String(result ?? 'done');
  if ('summary' in result) return String((result as { summary: unknown }).summary);
  return Object.entries(result).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}
