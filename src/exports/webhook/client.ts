// The generic webhook export target: each document is POSTed as JSON to the target's URL, signed
// with HMAC-SHA256 (./signature.ts) and carrying its idempotency key, so repeating it is safe and the
// shared vendor client retries it on 5xx, 429 (Retry-After) and timeouts with jittered backoff.
import type { ExportDocument } from '../documents';
import { exportSettingsOf, type ExportSettings } from '../settings';
import type { ExportTarget } from '../target';
import { VendorClient } from '../../http/vendor-client';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signDelivery } from './signature';

export interface WebhookTargetSettings {
  url: string;
  timeoutMs: number;
  /** Attempts per document (the first included) before it goes to the dead-letter list. */
  attempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export class WebhookTarget implements ExportTarget {
  readonly http: VendorClient;
  readonly settings: ExportSettings;
  private readonly path: string;

  constructor(settings: WebhookTargetSettings & Record<string, unknown>, private readonly secret: string, context: { source: string }) {
    this.settings = exportSettingsOf(settings);
    const url = new URL(settings.url);
    this.path = `${url.pathname}${url.search}`;
    this.http = new VendorClient({
      vendor: 'Webhook target',
      source: context.source,
      baseUrl: url.origin,
      timeoutMs: settings.timeoutMs,
      retry: { attempts: settings.attempts, baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, maxElapsedMs: Math.max(60_000, settings.timeoutMs * settings.attempts) },
      headers: { 'user-agent': 'autotask-bridge-export' },
      correlationHeader: 'X-Request-Id',
      secrets: () => [secret],
    });
  }

  async deliver(document: ExportDocument): Promise<void> {
    const body = JSON.stringify(document);
    const signature = signDelivery(this.secret, body, Math.floor(Date.now() / 1000));
    await this.http.request({
      method: 'POST',
      path: this.path,
      body,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, [IDEMPOTENCY_HEADER]: document.idempotencyKey },
      // Keyed: the receiver drops a repeat, so a request whose answer was lost may be sent again.
      idempotent: true,
      operation: `POST ${document.type}`,
    });
  }
}
