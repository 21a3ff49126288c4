// A receiving end for the webhook export target (what a platform like Channel Program runs): it
// verifies each delivery's HMAC-SHA256 signature (401 otherwise), keeps the documents by
// idempotency key and counts repeats of a key as duplicates (answered 200, as a receiver that
// deduplicates would), and keeps the latest document per record. Faults (5xx, 429, resets, lost
// answers) come from the sim kit. The signature scheme is ours (./signature.ts); the rest is the
// usual contract of a webhook receiver, unverified against any one platform.
import { randomBytes } from 'node:crypto';
import { SimServer, type FaultSettings } from '../../../sim/kit/server';
import type { ExportDocument } from '../../documents';
import { IDEMPOTENCY_HEADER, verifyDelivery } from '../signature';

export interface WebhookTargetSimOptions {
  port?: number;
  secret?: string;
  faults?: Partial<FaultSettings>;
}

export interface WebhookTargetSim {
  url: string;
  /** Where deliveries go (`url` + `/hooks/autotask`). */
  endpoint: string;
  secret: string;
  sim: SimServer;
  /** Distinct documents received, in order of first arrival. */
  documents(): ExportDocument[];
  /** Documents received for one record (`customer` or `contract` id), in order. */
  documentsFor(kind: 'customer' | 'contract', id: number): ExportDocument[];
  /** Latest document per record key (`customer:12`, `contract:7`). */
  latest(): Map<string, ExportDocument>;
  /** Deliveries whose idempotency key had been received before. */
  duplicates(): number;
  /** Deliveries refused for a missing or wrong signature. */
  rejected(): number;
  setFaults(faults: Partial<FaultSettings>): void;
  reset(): void;
  takeViolations(): string[];
  stop(): Promise<void>;
}

export const recordKeyOf = (d: ExportDocument): string =>
  d.type === 'contract.upserted' ? `contract:${d.contract.autotaskContractId}` : `customer:${d.customer.autotaskCompanyId}`;

export async function startWebhookTargetSim(options: WebhookTargetSimOptions = {}): Promise<WebhookTargetSim> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const sim = new SimServer({ name: 'webhook-target', errorBody: (status, message) => ({ error: message, status }) });
  const byKey = new Map<string, ExportDocument>();
  const latest = new Map<string, ExportDocument>();
  let duplicates = 0;
  let rejected = 0;

  sim.route('POST', '/hooks/autotask', (req) => {
    if (!verifyDelivery(secret, req.rawBody, req.headers['x-bridge-signature'], Math.floor(Date.now() / 1000))) {
      rejected++;
      return { status: 401, body: { error: 'signature does not match' } };
    }
    const key = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    const doc = req.body as ExportDocument;
    if (typeof key !== 'string' || key !== doc?.idempotencyKey) {
      sim.reportViolation(`[webhook-target] delivery without a matching ${IDEMPOTENCY_HEADER} header`);
      return { status: 400, body: { error: `${IDEMPOTENCY_HEADER} is required and must equal the document's idempotencyKey` } };
    }
    if (byKey.has(key)) {
      duplicates++;
      return { status: 200, body: { received: key, duplicate: true } };
    }
    byKey.set(key, doc);
    const rk = recordKeyOf(doc);
    const previous = latest.get(rk);
    // Deliveries can overtake each other: only a newer version replaces the record's document.
    if (!previous || previous.version <= doc.version) latest.set(rk, doc);
    return { status: 200, body: { received: key } };
  });
  if (options.faults) sim.setFaults(options.faults);
  const url = await sim.start(options.port ?? 0);

  return {
    url,
    endpoint: `${url}/hooks/autotask`,
    secret,
    sim,
    documents: () => [...byKey.values()],
    documentsFor: (kind, id) => [...byKey.values()].filter((d) => recordKeyOf(d) === `${kind}:${id}`),
    latest: () => new Map(latest),
    duplicates: () => duplicates,
    rejected: () => rejected,
    setFaults: (f) => sim.setFaults(f),
    reset: () => {
      byKey.clear();
      latest.clear();
      duplicates = 0;
      rejected = 0;
      sim.counts.clear();
    },
    takeViolations: () => sim.takeViolations(),
    stop: () => sim.stop(),
  };
}
