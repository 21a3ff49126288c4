// Deterministic keys of the Autotask writes a task plans: the same task always plans the same keys.
// The connector is part of the key: two Autotask databases share ids (contracts, services) and two
// marketplace accounts share order ids, and one connector's write must never settle another's.
import { createHash } from 'node:crypto';

export function intentKey(p: { connectorId: string; integrationId: string; taskId: string; kind: 'adjustment' | 'charge'; contractId: number; serviceId: number | null; effectiveDate: string; extra?: string }): string {
  const parts = [p.connectorId, p.integrationId, p.taskId, p.kind, String(p.contractId), p.serviceId === null ? '' : String(p.serviceId), p.effectiveDate, p.extra ?? ''];
  return 'sub:' + createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
}
