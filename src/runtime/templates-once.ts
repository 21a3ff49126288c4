// One cycle of every enabled template instance of every connector (`start --once`), read from the
// template registry: each runs as its template's workflow with a manual-run id.
import type { Client } from '@temporalio/client';
import { connectorStatus, listConnectors } from '../client/connectors';
import { findTemplate, type TemplateRunInput } from '../templates';
import { workflowIds } from '../workflows/ids';
import { BridgeConnector, BridgeTemplate } from '../workflows/search-attributes';

export interface TemplateRunSummary {
  connector: string;
  template: string;
  integrationId: string;
  result: string;
}

export async function runEnabledTemplatesOnce(client: Client, taskQueue: string, only?: readonly string[], connectorIds?: readonly string[]): Promise<TemplateRunSummary[]> {
  const out: TemplateRunSummary[] = [];
  for (const connectorId of connectorIds ?? (await listConnectors(client))) {
    const view = await connectorStatus(client, connectorId);
    if (!view) continue;
    for (const instance of view.instances) {
      const template = findTemplate(instance.template);
      if (!template || !instance.enabled || (only && !only.includes(template.name))) continue;
      const row = { connector: connectorId, template: template.name, integrationId: instance.integrationId };
      const integration = view.integrations.find((i) => i.id === instance.integrationId);
      if (view.status === 'disabled' || (integration && integration.status !== 'connected') || !view.checks.every((c) => c.ok)) {
        out.push({ ...row, result: `skipped: connector is ${view.status}` });
        continue;
      }
      try {
        const args: [TemplateRunInput] = [{ connectorId, integrationId: instance.integrationId, trigger: 'manual' }];
        const result = await client.workflow.execute(template.workflowType, {
          workflowId: workflowIds.manualRun(template.workflowId(connectorId, instance.integrationId), `once-${Date.now()}`),
          taskQueue,
          args,
          typedSearchAttributes: [{ key: BridgeConnector, value: connectorId }, { key: BridgeTemplate, value: template.name }],
        });
        out.push({ ...row, result: describe(result) });
      } catch (err) {
        out.push({ ...row, result: `failed: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}` });
      }
    }
  }
  return out;
}

function describe(result: unknown): string {
  if (!result || typeof result !== 'object') return `completed: ${String(result ?? 'done')}`;
  const r = result as Record<string, unknown>;
  if (typeof r.status === 'string' && typeof r.message === 'string') return `${r.status}: ${r.message}`;
  if ('summary' in r) return `completed: ${String(r.summary)}`;
  return `completed: ${Object.entries(r).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')}`;
}
