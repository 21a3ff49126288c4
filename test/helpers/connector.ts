// A connected connector on the sandbox, stored the way the connector workflow stores one — for tests
// that exercise a template without going through activation each time.
import type { Database } from '../../db';
import { connectInput } from '../../src/client/connectors';
import { ConnectorStore } from '../../src/connector/store';
import { mergeSettings } from '../../src/connector/settings';
import { activeStatusOptions, resolveSubmitStatuses, submitStatusSetting } from '../../src/connector/submit-status';
import { simEntities } from '../../src/autotask/sim/entities';
import type { KeyRing } from '../../src/crypto/keys';
import { integrationKind } from '../../src/integrations/registry';
import type { Sandbox } from '../../src/sim';

export async function saveConnectedConnector(database: Database, ring: KeyRing, sandbox: Sandbox, connectorId: string, settings: Record<string, unknown> = {}): Promise<ConnectorStore> {
  const store = new ConnectorStore(database, ring);
  const input = connectInput(ring, sandbox.connectRequest(connectorId, settings));
  await store.save({ connectorId, ...input });
  const saved = await store.get(connectorId);
  // Test POs are created in status 1: confirmed here as an operator would (`settings --submit-status 1`), unless the test chose one.
  const poStatuses = activeStatusOptions(simEntities().get('purchaseorders')!.byLowerName.get('status')!.picklistValues!);
  const submitStatus = saved.settings.orders.submitStatus.confirmed ? saved.settings.orders.submitStatus : submitStatusSetting(resolveSubmitStatuses(poStatuses, ['1']), { at: new Date().toISOString(), by: 'test helper' });
  await store.updateSettings(connectorId, mergeSettings(saved.settings, { productSync: { billingCodeId: sandbox.billingCodeId }, orders: { submitStatus } }));
  for (const i of input.integrations ?? []) {
    const vendor = sandbox.vendorCompanyIds[i.kind];
    if (vendor) await store.setVendorCompany(connectorId, i.id, vendor, integrationKind(i.kind).label);
    await store.setIntegrationStatus(connectorId, i.id, 'connected', undefined, []);
  }
  // What activation would have created.
  const udfs = (await store.get(connectorId)).settings.productSync.udfs;
  const existing = new Set(sandbox.autotask.store.udfDefinitions('Products').map((u) => u.name));
  for (const name of Object.values(udfs)) if (!existing.has(name)) sandbox.autotask.addUdf('Products', name);
  await store.setStatus(connectorId, 'connected', undefined, []);
  return store;
}
