// Start-up in one place: key ring → database (migrated) → Temporal (TEMPORAL_ADDRESS, or the
// embedded dev server with Web UI and codec endpoint) → clients. `npm start`, `npm run worker`
// and the tests all open the engine through here.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { openDatabase, type Database } from '../../db';
import { postgresLimiter } from '../autotask/limits-pg';
import { migrateDatabase } from '../../db/migrate';
import { AesGcmPayloadCodec } from '../client/codec';
import { startCodecServer, type CodecServer } from '../client/codec-server';
import { connectTemporal, createClient, createDataConverter } from '../client/connection';
import { ensureSearchAttributes } from '../client/search-attributes';
import { ConfigError, type Config } from '../config';
import { loadKeyRing, type KeyRing } from '../crypto/keys';
import { logger } from '../logging';
import { exportReceiverFromEnv } from '../exports/receiver';
import { meteredLimiter, startMetricsServer } from '../metrics';
import { buildWorkflowBundleFile, createWorker, prebuiltWorkflowBundle } from '../worker';
import { freePort, startDevServer, type DevServer } from './temporal-dev-server';
import { installTemporalLogger } from './temporal-logger';

export interface Runtime {
  config: Config;
  ring: KeyRing;
  database: Database;
  connection: Connection;
  client: Client;
  temporalAddress: string;
  uiUrl?: string;
  devServer?: DevServer;
  /** Creates a worker on the engine's task queue (not started). */
  createWorker(): Promise<Worker>;
  /** Runs a worker until SIGINT/SIGTERM. */
  runWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** Start the embedded dev server when TEMPORAL_ADDRESS is unset (default true). */
  embeddedTemporal?: boolean;
  log?: (line: string) => void;
}

export async function openRuntime(config: Config, options: OpenRuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? ((line: string) => logger.info(line));
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch((err) => logger.warn({ err }, 'error while closing'));
  };
  try {
    installTemporalLogger(undefined, { metricsPort: config.temporalMetricsPort });
  } catch (err) {
    throw new ConfigError('TEMPORAL_METRICS_PORT', `cannot serve Temporal SDK metrics on port ${config.temporalMetricsPort} (${(err as Error).message})`);
  }
  try {
    const ring = loadKeyRing(config.encryptionKey, config.dataDir);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite'), schemaName: config.databaseSchema });
    closers.push(() => database.close());
    await migrateDatabase(database);
    if (config.metricsPort) {
      const metrics = await startMetricsServer({ port: config.metricsPort, database }).catch((err: Error) => {
        throw new ConfigError('METRICS_PORT', `cannot serve metrics on port ${config.metricsPort} (${err.message})`);
      });
      closers.push(() => metrics.close());
      log(`metrics on :${metrics.port}/metrics${config.temporalMetricsPort ? `, Temporal SDK metrics on :${config.temporalMetricsPort}/metrics` : ''}`);
    }

    let address = config.temporalAddress;
    let devServer: DevServer | undefined;
    let uiUrl: string | undefined;
    if (!address) {
      if (options.embeddedTemporal === false) throw new Error('TEMPORAL_ADDRESS is not set');
      const port = await freePort(config.temporalPort ?? 7233);
      const uiPort = await freePort(config.temporalUiPort ?? port + 1000);
      const codecServer: CodecServer = await startCodecServer(new AesGcmPayloadCodec(ring), {
        port: config.codecPort,
        allowedOrigins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`],
      });
      closers.push(() => codecServer.close());
      devServer = await startDevServer({
        cliPath: config.temporalCliPath,
        dbFilename: path.join(config.dataDir, 'temporal.db'),
        port,
        uiPort,
        namespace: config.temporalNamespace,
        codecEndpoint: codecServer.url,
        log,
      });
      closers.push(() => devServer!.stop());
      address = devServer.address;
      uiUrl = devServer.uiUrl;
    }
    const connection = await connectTemporal(address);
    closers.push(() => connection.close());
    if (!devServer) await ensureSearchAttributes(connection, config.temporalNamespace).catch((err) => log(`could not register search attributes: ${(err as Error).message}`));
    const client = createClient(connection, config.temporalNamespace, ring);
    // The customer export's Autotask webhook receiver, when BRIDGE_EXPORT_RECEIVER_PORT says so.
    const receiver = await exportReceiverFromEnv({ database, ring, client, taskQueue: config.taskQueue });
    if (receiver) {
      closers.push(() => receiver.close());
      log(`Autotask webhook receiver on :${receiver.port} (customer export)`);
    }
    // Autotask's limits are per database and integration, so every worker shares them through PostgreSQL.
    const limiter = config.metricsPort ? meteredLimiter(postgresLimiter(database)) : postgresLimiter(database);
    let native: NativeConnection | undefined;
    const nativeConnection = async () => {
      if (!native) {
        native = await NativeConnection.connect({ address: address! });
        closers.push(() => native!.close());
      }
      return native;
    };
    // Prebuilt by `npm run build` (compiled code, the production image); otherwise bundled once per
    // start in a child process (either way webpack stays out of the worker's memory).
    const prebuilt = prebuiltWorkflowBundle({ explicit: config.workflowBundle, production: config.production });
    let bundlePath: Promise<string> | undefined = prebuilt ? Promise.resolve(prebuilt) : undefined;
    const makeWorker = async () =>
      createWorker({
        workflowBundlePath: await (bundlePath ??= buildWorkflowBundleFile(path.join(config.dataDir, 'workflow-bundle.js'))),
        connection: await nativeConnection(),
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        dataConverter: createDataConverter(ring),
        deps: { database, ring, temporal: client, taskQueue: config.taskQueue, limiter },
        metrics: !!config.metricsPort,
      });
    return {
      config, ring, database, connection, client, temporalAddress: address, uiUrl, devServer,
      createWorker: makeWorker,
      runWorker: async () => (await makeWorker()).run(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
