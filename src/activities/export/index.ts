// Customer export activities (seed 003): the polling pass, the webhook-triggered company export and
// the operator's status and retry. Thin over src/exports.
import type { Database } from '../../../db';
import type { ConnectorClientCache } from '../../connector/clients';
import type { ConnectorStore } from '../../connector/store';
import type { KeyRing } from '../../crypto/keys';
import { ExportStore } from '../../exports/store';
import { adminActivities } from './admin';
import { companyActivities } from './company';
import { passActivities } from './pass';

export function createExportActivities(input: { clients: ConnectorClientCache; connectors: ConnectorStore; database: Database; ring: KeyRing }) {
  const deps = { ...input, store: new ExportStore(input.database) };
  return { ...passActivities(deps), ...companyActivities(deps), ...adminActivities(deps) };
}
