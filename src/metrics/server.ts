// The worker's Prometheus endpoint (METRICS_PORT): GET /metrics serves the engine's metrics, the
// database-backed order series and Node's process metrics (memory, event loop, GC). The Temporal
// SDK's own metrics have their own exporter (TEMPORAL_METRICS_PORT, see src/runtime/temporal-logger.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Database } from '../../db';
import { orderMetrics } from './orders';
import { registry } from './registry';
import { observeVendorRequests } from './vendor';

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

let processMetrics = false;

export async function startMetricsServer(options: { port: number; host?: string; database?: Database }): Promise<MetricsServer> {
  if (!processMetrics) {
    collectDefaultMetrics({ register: registry });
    processMetrics = true;
  }
  const stopObserving = observeVendorRequests();
  const merged = options.database ? Registry.merge([registry, orderMetrics(options.database)]) : registry;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape /metrics\n');
      return;
    }
    merged.metrics().then(
      (text) => res.writeHead(200, { 'content-type': merged.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
    });
  } catch (err) {
    stopObserving();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/metrics`,
    close: async () => {
      stopObserving();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // a scraper's keep-alive connection would hold close() open
      await closed;
    },
  };
}
