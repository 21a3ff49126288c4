// What every export activity starts from: the connector's Autotask client, the target's client and
// the pipeline context over them.
import type { ConnectorClientCache } from '../../connector/clients';
import type { ConnectorStore } from '../../connector/store';
import type { KeyRing } from '../../crypto/keys';
import { customerTypeValue, type PipelineContext } from '../../exports/pipeline';
import type { ExportScope, ExportStore } from '../../exports/store';
import type { ExportTarget } from '../../exports/target';

export interface ExportActivityDeps {
  clients: ConnectorClientCache;
  connectors: ConnectorStore;
  store: ExportStore;
  ring: KeyRing;
}

export async function pipelineFor(deps: ExportActivityDeps, scope: ExportScope): Promise<PipelineContext> {
  const [{ autotask }, { client: target }] = await Promise.all([deps.clients.get(scope.connectorId), deps.clients.integration<ExportTarget>(scope.connectorId, scope.integrationId)]);
  return { scope, autotask, target, store: deps.store, customerType: await customerTypeValue(autotask) };
}
