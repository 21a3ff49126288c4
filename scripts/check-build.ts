// CI proof that the production build works (`npx tsx scripts/check-build.ts [--no-build]`): builds
// dist/, then runs the installed `autotask-bridge worker` — compiled code with the prebuilt workflow
// bundle, NODE_ENV=production, metrics on — against a dev server, and checks that
//   - `worker --help` answers from dist/, and the worker polls its task queue;
//   - a workflow round trip (engine check: workflow → activity → database) completes through it;
//   - /metrics serves the engine's series and the Temporal SDK's exporter its own;
//   - SIGTERM stops it cleanly (exit 0).
// Too slow for a jest test (the build alone takes a minute or two); prints one line per step.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastPolledAt } from '../src/client/engine-watch';
import { connectTemporal, createClient } from '../src/client/connection';
import { runEngineCheck } from '../src/client/starters';
import { generateKeySpec, parseKeyRing } from '../src/crypto/keys';
import { freePort, startDevServer } from '../src/runtime/temporal-dev-server';

const root = path.join(__dirname, '..');
const bin = path.join(root, 'bin', 'autotask-bridge.cjs');

function check(ok: boolean, what: string, detail = ''): void {
  if (!ok) throw new Error(`build check failed: ${what}${detail ? `\n${detail}` : ''}`);
  console.log(`ok - ${what}`);
}

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`build check failed: ${what} (waited ${ms / 1000} s)`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  check(fs.existsSync(path.join(root, 'dist', 'src', 'cli.js')) && fs.existsSync(path.join(root, 'dist', 'workflow-bundle.js')), 'npm run build wrote dist/src/cli.js and dist/workflow-bundle.js');

  const help = execFileSync(process.execPath, [path.join(root, 'dist', 'src', 'cli.js'), 'worker', '--help'], { encoding: 'utf8' });
  check(help.includes('run a worker against TEMPORAL_ADDRESS'), 'node dist/src/cli.js worker --help', help);

  // got is ESM-only; the compiled CommonJS `require`s it (Node >= 20.19 loads ES modules that way,
  // and marks the namespace __esModule so the default import resolves). Prove a real request works.
  const probe = `
    const { startAutotaskSim } = require('./dist/src/autotask/sim');
    const { createAutotaskClient } = require('./dist/src/autotask/client');
    (async () => {
      const sim = await startAutotaskSim();
      const credentials = { username: 'probe@example.com', secret: 'probe-secret-1', integrationCode: 'PROBE-CODE' };
      sim.addUser({ ...credentials, resourceEmail: credentials.username });
      const client = createAutotaskClient({ credentials, discoveryUrl: sim.discoveryUrl, limiter: false });
      const info = await client.thresholdInformation();
      await sim.stop();
      console.log('threshold ' + info.externalRequestThreshold);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const answer = execFileSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  check(/^threshold \d+/m.test(answer), 'compiled Autotask client (got) answered by the compiled simulator', answer);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-build-check-'));
  const server = await startDevServer({ dbFilename: path.join(dir, 'temporal.db'), port: 0, headless: true, log: () => undefined });
  const keySpec = generateKeySpec('check');
  const taskQueue = `build-check-${process.pid}`;
  const metricsPort = await freePort(19464);
  const temporalMetricsPort = await freePort(metricsPort + 1);
  let output = '';
  // `autotask-bridge` as installed: bin/ runs dist/ when it exists (tsx is not involved).
  const worker = spawn(process.execPath, [bin, 'worker'], {
    cwd: dir,
    env: {
      ...process.env, NODE_ENV: 'production', LOG_FORMAT: 'json', TEMPORAL_ADDRESS: server.address, BRIDGE_ENCRYPTION_KEY: keySpec,
      BRIDGE_DATA_DIR: path.join(dir, 'data'), BRIDGE_TASK_QUEUE: taskQueue, METRICS_PORT: String(metricsPort), TEMPORAL_METRICS_PORT: String(temporalMetricsPort),
      DATABASE_URL: '', BRIDGE_WORKFLOW_BUNDLE: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout.on('data', (c) => (output += c));
  worker.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
  const connection = await connectTemporal(server.address);
  try {
    const client = createClient(connection, 'default', parseKeyRing(keySpec));
    await until(`the worker polls ${taskQueue}\n${output}`, 90_000, () => lastPolledAt(client, taskQueue));
    check(true, 'autotask-bridge worker (compiled, prebuilt bundle) polls its task queue');
    check(!/tsx|bundling workflows|Workflow bundle created/.test(output), 'the worker neither ran tsx nor bundled workflows', output);

    const marker = `build-check-${Date.now()}`;
    const result = await runEngineCheck(client, taskQueue, marker, marker);
    check(result.marker === marker, `a workflow round trip ran through the worker (action ${result.actionId}, ${result.driver})`);

    const ours = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    check(/^bridge_activity_duration_seconds_count\{activity="recordAction",outcome="ok"\} 1$/m.test(ours) && /^process_resident_memory_bytes \d/m.test(ours), `/metrics on METRICS_PORT ${metricsPort}`, ours.slice(0, 2000));
    const sdk = await until('the Temporal SDK metrics', 15_000, async () => {
      const text = await (await fetch(`http://127.0.0.1:${temporalMetricsPort}/metrics`)).text();
      return /^temporal_/m.test(text) ? text : undefined;
    });
    check(/^temporal_\w+/m.test(sdk), `Temporal SDK metrics on TEMPORAL_METRICS_PORT ${temporalMetricsPort}`);

    worker.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 45_000))]);
    check(code === 0, `SIGTERM stops the worker cleanly (exit ${code})`, output.slice(-2000));
  } finally {
    worker.kill('SIGKILL');
    await connection.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
