// The Autotask webhook receiver: a small HTTP server (in the worker process when
// BRIDGE_EXPORT_RECEIVER_PORT is set, or its own process). Each delivery is verified against the
// target's webhook secret over the raw bytes (`X-Hook-Signature`, parseWebhookDelivery) — anything
// unsigned or mis-signed, `Deactivated` included, is 401 and nothing is done. A company event is
// one signal-with-start of that company's export workflow, so a burst is one export and the answer
// comes in milliseconds (Autotask waits 10 s). The deactivation URL records that Autotask turned the
// webhook off; the next polling pass re-enables it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db';
import { parseWebhookDelivery } from '../autotask/contracts';
import { AutotaskError } from '../autotask/errors';
import { openString } from '../crypto/aes-gcm';
import type { KeyRing } from '../crypto/keys';
import { logger } from '../logging';
import { companyChangedSignal, exportWorkflowIds, type CompanyExportInput } from '../workflows/messages/export';
import { ExportStore, type ExportScope } from './store';

const MAX_BODY = 256 * 1024;
const SECRET_TTL_MS = 10_000;

export interface ExportReceiverOptions {
  database: Database;
  ring: KeyRing;
  client: Client;
  taskQueue: string;
  port?: number;
  host?: string;
  /** Passed to each company workflow (tests shorten it). */
  quietMs?: number;
}

export interface ExportReceiver {
  url: string;
  port: number;
  /** Deliveries by outcome (`accepted`, `unauthorized`, `invalid`, `error`, `deactivated`). */
  counts: Record<string, number>;
  close(): Promise<void>;
}

export async function startExportReceiver(options: ExportReceiverOptions): Promise<ExportReceiver> {
  const store = new ExportStore(options.database);
  const secrets = new Map<string, { at: number; secret: Promise<string | undefined> }>();
  const counts: Record<string, number> = {};
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

  const secretOf = (scope: ExportScope): Promise<string | undefined> => {
    const key = `${scope.connectorId}\u0000${scope.integrationId}`;
    const hit = secrets.get(key);
    if (hit && Date.now() - hit.at < SECRET_TTL_MS) return hit.secret;
    const secret = store.target(scope).then((t) => (t?.webhookSecret ? openString(options.ring, t.webhookSecret) : undefined));
    secrets.set(key, { at: Date.now(), secret });
    secret.catch(() => secrets.delete(key));
    return secret;
  };

  const handle = async (req: http.IncomingMessage, raw: Buffer): Promise<{ status: number; body: string }> => {
    const m = /^\/autotask\/(webhook|deactivated)\/([^/]+)\/([^/?]+)\/?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method === 'GET' && req.url === '/healthz') return { status: 200, body: 'ok' };
    if (!m || req.method !== 'POST') return { status: 404, body: 'not found' };
    const scope = { connectorId: decodeURIComponent(m[2]), integrationId: decodeURIComponent(m[3]) };
    let payload;
    try {
      payload = parseWebhookDelivery(raw, req.headers['x-hook-signature'], await secretOf(scope));
    } catch (err) {
      if (err instanceof AutotaskError && err.kind === 'auth') {
        count('unauthorized');
        return { status: 401, body: 'signature does not match' };
      }
      count('invalid');
      return { status: 400, body: (err as Error).message };
    }
    if (m[1] === 'deactivated' || payload.Action === 'Deactivated') {
      await store.updateTarget(scope, { webhookStatus: 'deactivated by Autotask', webhookDeactivatedAt: new Date() });
      count('deactivated');
      logger.warn({ connectorId: scope.connectorId, integrationId: scope.integrationId }, 'Autotask deactivated the export webhook: the next polling pass re-enables it');
      return { status: 200, body: 'ok' };
    }
    if (payload.EntityType.toLowerCase() !== 'company') return { status: 200, body: 'ignored' };
    const input: CompanyExportInput = { ...scope, companyId: payload.Id, ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}) };
    await options.client.workflow.signalWithStart('customerExportCompanyWorkflow', {
      taskQueue: options.taskQueue,
      workflowId: exportWorkflowIds.company(scope.connectorId, scope.integrationId, payload.Id),
      args: [input],
      signal: companyChangedSignal,
      signalArgs: [{ action: payload.Action as 'Create' | 'Update' | 'Delete', eventTime: payload.EventTime }],
    });
    count('accepted');
    return { status: 200, body: 'ok' };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      handle(req, Buffer.concat(chunks)).then(
        (r) => res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body),
        (err: Error) => {
          // Autotask retries a failed delivery: 503 rather than losing the event.
          count('error');
          logger.error({ err: err.message }, 'export webhook receiver: could not hand the event over');
          res.writeHead(503, { 'content-type': 'text/plain' }).end('try again');
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    port,
    counts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The receiver the worker process starts when BRIDGE_EXPORT_RECEIVER_PORT is set (host: BRIDGE_EXPORT_RECEIVER_HOST, default 0.0.0.0). */
export async function exportReceiverFromEnv(options: Omit<ExportReceiverOptions, 'port' | 'host'>, env: NodeJS.ProcessEnv = process.env): Promise<ExportReceiver | undefined> {
  const raw = env.BRIDGE_EXPORT_RECEIVER_PORT;
  if (!raw) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`BRIDGE_EXPORT_RECEIVER_PORT: not a port (${raw})`);
  return startExportReceiver({ ...options, port, host: env.BRIDGE_EXPORT_RECEIVER_HOST || '0.0.0.0' });
}
