// A connected connector on the sandbox, stored the way the connector workflow stores one — for tests
// that exercise a template without going through activation each time.
import type { Database } from '../../db';
import { connectInput } from '../../src/client/connectors';
import { ConnectorStore } from '../../src/connector/store';
import { mergeSettings } from '../../src/connector/settings';
import type { KeyRing } from '../../src/crypto/keys';
import type { Sandbox } from '../../src/sim';

export async function saveConnectedConnector(database: Database, ring: KeyRing, sandbox: Sandbox, connectorId: string, settings: Record<string, unknown> = {}): Promise<ConnectorStore> {
  const store = new ConnectorStore(database, ring);
  const input = connectInput(ring, sandbox.connectRequest(connectorId, settings));
  await store.save({ connectorId, ...input });
  const saved = await store.get(connectorId);
  await store.updateSettings(connectorId, mergeSettings(saved.settings, { productSync: { billingCodeId: sandbox.billingCodeId } }));
  await store.setVendorCompany(connectorId, 'ingram', sandbox.vendorCompanyId, 'Ingram Micro');
  await store.setIntegrationStatus(connectorId, 'ingram', 'connected', undefined, []);
  // What activation would have created.
  const udfs = (await store.get(connectorId)).settings.productSync.udfs;
  const existing = new Set(sandbox.autotask.store.udfDefinitions('Products').map((u) => u.name));
  for (const name of Object.values(udfs)) if (!existing.has(name)) sandbox.autotask.addUdf('Products', name);
  await store.setStatus(connectorId, 'connected', undefined, []);
  return store;
}
