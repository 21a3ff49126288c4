// Starts the embedded Temporal dev server (Web UI included, state in a SQLite file) with the
// project's search attributes registered, and waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { ensureTemporalCli, type ResolvedCli } from './temporal-cli';

export interface DevServerOptions {
  cliPath?: string;
  /** SQLite file for the server's state; `undefined` keeps it in memory. */
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  /** Disable the Web UI (tests). */
  headless?: boolean;
  namespace?: string;
  codecEndpoint?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  cli: ResolvedCli | { path: 'sdk-download'; source: 'sdk download' };
  /** The server's process, when this module started it (benchmarks read its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

const CLI_TYPES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as net.AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  if (preferred) {
    try {
      return await tryListen(preferred);
    } catch {
      /* taken: fall through to any free port */
    }
  }
  return tryListen(0);
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? (() => undefined);
  const port = await freePort(options.port ?? 7233);
  const uiPort = options.headless ? undefined : await freePort(options.uiPort ?? port + 1000);
  const namespace = options.namespace ?? 'default';
  if (options.dbFilename) fs.mkdirSync(path.dirname(options.dbFilename), { recursive: true });

  const cli = await ensureTemporalCli(options.cliPath, log);
  if (!cli) return startWithSdkDownload({ ...options, port, uiPort, namespace });

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (options.codecEndpoint && uiPort) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${CLI_TYPES[key.type]}`);
  // Updates (Submit Order) and a prompt continue-as-new hint are used by our workflows.
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true');

  const child = spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReachable(address, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    cli,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

async function startWithSdkDownload(options: DevServerOptions & { port: number; uiPort?: number; namespace: string }): Promise<DevServer> {
  options.log?.('No Temporal CLI and no Go toolchain found: trying the Temporal SDK download…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: options.port,
        namespace: options.namespace,
        dbFilename: options.dbFilename,
        ui: !!options.uiPort,
        uiPort: options.uiPort,
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
        extraArgs: options.codecEndpoint && options.uiPort ? ['--ui-codec-endpoint', options.codecEndpoint] : [],
      },
    });
    return {
      address: `127.0.0.1:${options.port}`,
      uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
      cli: { path: 'sdk-download', source: 'sdk download' },
      stop: () => env.teardown(),
    };
  } catch (err) {
    throw new Error(
      'No Temporal server available. Install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH ' +
        'or set TEMPORAL_CLI_PATH, install Go ≥ 1.25 so it can be built, or set TEMPORAL_ADDRESS to an existing server. ' +
        `(SDK download failed: ${(err as Error).message.split('\n')[0]})`,
    );
  }
}

async function waitUntilReachable(address: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (;;) {
    if (exited !== null) throw new Error(`The Temporal dev server exited with code ${exited}: ${output().trim().split('\n').slice(-5).join(' | ')}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) throw new Error(`The Temporal dev server did not answer on ${address} within ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
