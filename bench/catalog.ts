// `npm run bench -- catalog --skus 20000 [--distributor ingram|td-synnex]`: Product Sync of the sandbox catalog in three phases —
// initial (everything created), no change (nothing written), after one simulated day (only changes
// written) — with a real dev server, the real worker and the shared PostgreSQL-style limiter.
// Simulators run in a child process, so the worker's RSS is its own; each phase reports where the
// worker's memory goes (bench/_memory.ts) and its time (worker CPU, vendor request time, load), and
// `targets` says which of issue 16's targets the run met.
// `--skus 20000,100000` runs each size in a process of its own and adds the 100k/20k initial-time ratio.
// PGlite runs on a data directory on disk as `npm start` does (`--pglite-dir memory` for memory://);
// `--database-pid <pid>` samples a database server's RSS too (e.g. PGlite served over the wire protocol).
// `--compiled` runs it all (worker, simulators) as plain Node on tsc's output, as production workers run.
// `--heap-snapshot <dir>` writes a V8 heap snapshot of the worker after each phase; `--allocations` adds
// each phase's biggest allocation sites (sampled, garbage included) to the JSON, `--cpu` its CPU hot spots
// (`--cpu-profile <dir>` also writes the raw .cpuprofile of each phase there).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase, sql } from '../db';
import { migrateDatabase } from '../db/migrate';
import { postgresLimiter } from '../src/autotask/limits-pg';
import { memoryLimiter, type ApiLimiter } from '../src/autotask/limits';
import { connect } from '../src/client/connectors';
import { connectTemporal, createClient, createDataConverter } from '../src/client/connection';
import { parseKeyRing, generateKeySpec } from '../src/crypto/keys';
import { startDevServer } from '../src/runtime/temporal-dev-server';
import { installTemporalLogger } from '../src/runtime/temporal-logger';
import { buildWorkflowBundleFile, createWorker } from '../src/worker';
import type { ProductSyncResult } from '../src/workflows/product-sync';
import { requestObserver } from '../src/http/observe';
import { contractChecking, numberArg, stringArg } from './args';
import { AllocationProfiler, cpuMsByName, CpuProfiler, cpuSince, cpuSnapshot, MemorySampler, processCpuMs, type PhaseMemory } from './_memory';
import v8 from 'node:v8';

type Counts = Record<string, number>;

/** ThresholdInformation readings and their share of the phase's Autotask requests (target < 0.2%, issue 16). */
function thresholdShare(counts: Counts): { requests: number; sharePercent: number } {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const requests = Object.entries(counts).filter(([k]) => k.endsWith('/ThresholdInformation')).reduce((n, [, v]) => n + v, 0);
  return { requests, sharePercent: total ? Math.round((requests / total) * 100_000) / 1000 : 0 };
}

async function admin(base: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}/__admin${p}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.status === 204 ? undefined : res.json();
}

const MB = 1024 * 1024;

interface Target { target: string; limit: number; value: number; unit: 'MB' | 's' | '×'; met: boolean; where?: string }

/** Issue 16's targets that apply to this run, each with its measured value (and, when missed, where it went). */
type CpuSummary = Awaited<ReturnType<CpuProfiler['stop']>>;

function targets(skus: number, database: string, external: boolean, phases: Array<{ phase: string; elapsedMs: number; memory: PhaseMemory; time: PhaseTime; cpuProfile?: CpuSummary }>): Target[] {
  const out: Target[] = [];
  const peak = (m: PhaseMemory) => m.peakWithDatabaseServerMb ?? m.peakRssMb;
  const worst = phases.reduce((a, b) => (peak(b.memory) > peak(a.memory) ? b : a));
  const memoryWhere = (p: typeof worst) => {
    const a = p.memory.atPeak;
    return `${p.phase} phase peak: V8 heap ${a.heapTotalMb} MB (${a.heapUsedMb} used), external ${a.externalMb} MB${a.embeddedDatabaseMb !== undefined ? ` (PGlite WebAssembly memory ${a.embeddedDatabaseMb} MB)` : ''}, native ${a.nativeMb} MB (Temporal Core, workflow isolate, code)${a.databaseServerRssMb !== undefined ? `, database server ${a.databaseServerRssMb} MB` : ''}`;
  };
  const timeWhere = (p: (typeof phases)[number]) =>
    `worker CPU ${Math.round(p.time.workerCpuMs / 1000)} s of ${Math.round(p.elapsedMs / 1000)} s (CPU by process: ${Object.entries(p.time.cpuMsByProcess).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}); summed limiter acquire ${Math.round(p.time.limiterAcquireMs / 1000)} s, request time autotask ${Math.round((p.time.vendorRequestMs.autotask ?? 0) / 1000)} s, distributor ${Math.round(Object.entries(p.time.vendorRequestMs).filter(([k]) => k !== 'autotask').reduce((n, [, v]) => n + v, 0) / 1000)} s; load average ${p.time.loadAverage.join('/')} on ${os.cpus().length} CPUs${p.cpuProfile ? `; main-thread CPU by package (inclusive): ${p.cpuProfile.inclusiveByPackage.filter((x) => !x.package.startsWith('node:')).slice(0, 8).map((x) => `${x.package} ${x.percent}%`).join(', ')}` : ''}`;
  if (skus >= 100_000) {
    if (database === 'postgres' && !external) out.push({ target: 'worker RSS ≤ 300 MB at 100k SKUs on PostgreSQL', limit: 300, value: peak(worst.memory), unit: 'MB', met: peak(worst.memory) <= 300 });
    else out.push({ target: 'worker + embedded database ≤ 450 MB at 100k SKUs', limit: 450, value: peak(worst.memory), unit: 'MB', met: peak(worst.memory) <= 450 });
  }
  if (skus === 20_000) {
    const initial = phases.find((p) => p.phase === 'initial')!;
    const noChange = phases.find((p) => p.phase === 'no-change')!;
    out.push({ target: '20k initial ≤ 30 s', limit: 30, value: initial.elapsedMs / 1000, unit: 's', met: initial.elapsedMs <= 30_000 });
    out.push({ target: '20k no-change ≤ 5 s', limit: 5, value: noChange.elapsedMs / 1000, unit: 's', met: noChange.elapsedMs <= 5_000 });
  }
  for (const t of out) {
    if (t.met) continue;
    if (t.unit === 'MB') t.where = memoryWhere(worst);
    else t.where = timeWhere(phases.find((p) => t.target.includes(p.phase))!);
  }
  return out;
}

interface PhaseTime {
  /** CPU the worker process used (user + system), all threads. */
  workerCpuMs: number;
  /** Request time (sent → answered, and for Autotask the limiter's release) summed over concurrent requests, by vendor. */
  vendorRequestMs: Record<string, number>;
  /** Time Autotask requests spent acquiring the limiter (thread slot and budget, a database round trip each), summed. */
  limiterAcquireMs: number;
  loadAverage: number[];
  /**
   * CPU (ms) each process of the bench used in the phase: the worker, the vendor simulators (contract
   * checking included), the Temporal dev server, and this machine's PostgreSQL server processes
   * (absent on PGlite, which runs inside the worker). On 2 cores their sum over 2 is a floor for the phase's time.
   */
  cpuMsByProcess: Record<string, number>;
}

/** The limiter with the time spent in `acquire` added to `into.ms`. */
function timedAcquire(inner: ApiLimiter, into: { ms: number }): ApiLimiter {
  return new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      if (key !== 'acquire') return value.bind(target);
      return async (...args: Parameters<ApiLimiter['acquire']>) => {
        const started = performance.now();
        try {
          return await target.acquire(...args);
        } finally {
          into.ms += performance.now() - started;
        }
      };
    },
  });
}

/** The Dockerfile's worker settings (ENV NODE_OPTIONS, MALLOC_ARENA_MAX): keep the two in step. */
const PRODUCTION_NODE_FLAGS = ['--max-old-space-size=256'];
const PRODUCTION_MALLOC_ARENA_MAX = '2';

/** True when this file runs as tsc's output (`--compiled`). */
const compiled = __filename.endsWith('.js');

/**
 * `--compiled`: src/, db/ and this bench compiled by tsc into a temporary directory beside the
 * migrations, the vendor specs and a prebuilt workflow bundle, as `npm run build` lays out dist/.
 */
async function compileBench(): Promise<{ catalog: string; bundle: string }> {
  const root = path.join(__dirname, '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compiled-'));
  const tsconfig = {
    extends: path.join(root, 'tsconfig.build.json'),
    compilerOptions: { outDir: dir, rootDir: root },
    include: [path.join(root, 'src'), path.join(root, 'db')],
    files: [path.join(__dirname, 'catalog.ts'), path.join(__dirname, '_sandbox-process.ts')],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  // Type errors still emit (another change may be half done); tsc's report goes to stderr, stdout is the JSON.
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { stdio: ['ignore', 2, 2] });
  fs.cpSync(path.join(root, 'db', 'migrations'), path.join(dir, 'db', 'migrations'), { recursive: true });
  fs.cpSync(path.join(root, 'spec'), path.join(dir, 'spec'), { recursive: true });
  return { catalog: path.join(dir, 'bench', 'catalog.js'), bundle: await buildWorkflowBundleFile(path.join(dir, 'workflow-bundle.js')) };
}

/**
 * `--skus 20000,100000`: every size in a process of its own, one after the other, plus the ratio target.
 * `--worker-node-flags "--max-old-space-size=256"` runs the worker's process with those Node flags.
 */
async function runSizes(sizes: number[], args: string[], nodeFlags: string[]): Promise<object> {
  const runs: any[] = [];
  const build = args.includes('--compiled') ? await compileBench() : undefined;
  const mallocArenaMax = process.env.MALLOC_ARENA_MAX ?? PRODUCTION_MALLOC_ARENA_MAX;
  try {
    for (const skus of sizes) {
      const own = ['--skus', '--worker-node-flags'];
      const rest = args.filter((a, i) => !own.includes(a) && !own.includes(args[i - 1]) && a !== '--compiled');
      const childArgs = ['--skus', String(skus), ...rest, ...(build ? ['--workflow-bundle', build.bundle] : [])];
      const entry = build
        ? ['-e', `require(${JSON.stringify(build.catalog)}).run(${JSON.stringify(childArgs)}).then((r) => { process.stdout.write(JSON.stringify(r)); process.exit(0); }, (e) => { console.error(e); process.exit(1); })`]
        : ['--import', 'tsx', path.join(__dirname, 'index.ts'), 'catalog', ...childArgs];
      const env = build ? { ...process.env, MALLOC_ARENA_MAX: mallocArenaMax } : process.env;
      const child = spawn(process.execPath, [...nodeFlags, ...entry], { stdio: ['ignore', 'pipe', 'inherit'], env });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`catalog bench with --skus ${skus} exited ${code}`);
      runs.push(JSON.parse(out));
      // Each size's JSON as soon as it is known (stderr), so a long 100k run that fails later loses nothing.
      process.stderr.write(`catalog bench --skus ${skus}: ${out}\n`);
    }
  } finally {
    if (build) fs.rmSync(path.dirname(path.dirname(build.catalog)), { recursive: true, force: true });
  }
  const initialMs = (r: any) => r.phases.find((p: any) => p.phase === 'initial').elapsedMs as number;
  const small = runs.find((r) => r.skus === 20_000);
  const large = runs.find((r) => r.skus === 100_000);
  const ratio: Target[] = [];
  if (small && large) {
    const value = Math.round((initialMs(large) / initialMs(small)) * 100) / 100;
    const where = (r: any) => {
      const p = r.phases.find((x: any) => x.phase === 'initial');
      return `${r.skus}: ${Math.round(p.elapsedMs / 1000)} s, worker CPU ${Math.round(p.time.workerCpuMs / 1000)} s, load ${p.time.loadAverage.join('/')}`;
    };
    ratio.push({ target: '100k initial ≤ 5.5× the 20k initial', limit: 5.5, value, unit: '×', met: value <= 5.5, ...(value > 5.5 ? { where: `${where(small)}; ${where(large)}` } : {}) });
  }
  const how = nodeFlags.length ? { workerNodeFlags: nodeFlags, ...(build ? { mallocArenaMax } : {}) } : {};
  if (runs.length === 1) return { ...runs[0], ...how };
  return { scenario: 'catalog', sizes, ...how, runs, targets: [...runs.flatMap((r) => r.targets as Target[]), ...ratio] };
}

export async function run(args: string[]): Promise<object> {
  const sizes = args.includes('--skus') ? args[args.indexOf('--skus') + 1]?.split(',').map(Number) ?? [] : [20_000];
  // Its value starts with `--`, which stringArg refuses.
  // `--compiled` runs the worker as the Docker image does (its NODE_OPTIONS and MALLOC_ARENA_MAX) unless told otherwise.
  const nodeFlags = args.includes('--worker-node-flags') ? (args[args.indexOf('--worker-node-flags') + 1] ?? '').split(/\s+/).filter(Boolean) : args.includes('--compiled') ? PRODUCTION_NODE_FLAGS : [];
  if (!compiled && (sizes.length > 1 || nodeFlags.length || args.includes('--compiled'))) return runSizes(sizes, args, nodeFlags);
  installTemporalLogger();
  const skus = numberArg(args, 'skus', 20_000);
  const distributorKind = stringArg(args, 'distributor', 'ingram');
  // The deployed limiter is PostgreSQL-backed; `--limiter memory|off` shows what it costs.
  const limiterArg = args.includes('--limiter') ? args[args.indexOf('--limiter') + 1] : 'postgres';
  const checkContract = contractChecking(args);
  const server = await startDevServer({ headless: true, port: 0 });
  const sandboxEntry = compiled ? [path.join(__dirname, '_sandbox-process.js')] : ['--import', 'tsx', path.join(__dirname, '_sandbox-process.ts')];
  const child = spawn(process.execPath, [...sandboxEntry, String(skus), distributorKind, checkContract ? 'check' : 'no-check'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise<{ connectRequest: any; autotask: string; distributor: string }>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  // PGlite on disk, as `npm start` runs it (memory:// would keep every table and index in this process's memory too).
  const pgliteDir = stringArg(args, 'pglite-dir', '') === 'memory' ? 'memory://' : fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
  const databasePid = numberArg(args, 'database-pid', 0) || undefined;
  const acquireMs = { ms: 0 };
  const snapshotDir = stringArg(args, 'heap-snapshot', '');
  const profileAllocations = args.includes('--allocations');
  // `--cpu-profile <dir>` implies --cpu and keeps each phase's raw profile.
  const cpuProfileDir = stringArg(args, 'cpu-profile', '');
  const profileCpu = args.includes('--cpu') || !!cpuProfileDir;
  if (cpuProfileDir) fs.mkdirSync(cpuProfileDir, { recursive: true });
  // The settings' defaults unless given: pages per page activity (at most), seconds per page activity.
  const pagesPerActivity = numberArg(args, 'pages-per-activity', 0) || undefined;
  const pageActivitySeconds = args.includes('--page-activity-seconds') ? numberArg(args, 'page-activity-seconds', 20) : undefined;
  const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, schemaName: `bench_${Date.now().toString(36)}` } : { dataDir: pgliteDir });
  await migrateDatabase(database);
  const ring = parseKeyRing(generateKeySpec());
  const connection = await connectTemporal(server.address);
  const client = createClient(connection, 'default', ring);
  const taskQueue = 'bench-catalog';
  const worker = await createWorker({
    workflowBundlePath: stringArg(args, 'workflow-bundle', '') || (await buildWorkflowBundleFile(path.join(os.tmpdir(), `bench-workflows-${process.pid}.js`))),
    connection: await NativeConnection.connect({ address: server.address }),
    namespace: 'default',
    taskQueue,
    dataConverter: createDataConverter(ring),
    deps: { database, ring, temporal: client, taskQueue, limiter: limiterArg === 'off' ? false : timedAcquire(limiterArg === 'memory' ? memoryLimiter() : postgresLimiter(database), acquireMs) },
  });

  // The other processes' CPU: what the worker's two cores are shared with.
  const otherCpu = () => cpuSnapshot({
    simulators: () => (child.pid ? processCpuMs(child.pid) : undefined),
    temporalServer: () => (server.pid ? processCpuMs(server.pid) : undefined),
    ...(database.driver === 'postgres' ? { postgres: () => cpuMsByName('postgres') } : {}),
  });
  const sampler = new MemorySampler({ embeddedDatabaseBytes: database.embeddedMemoryBytes, databasePid });
  sampler.start();
  const requestMs: Record<string, number> = {};
  const unobserve = requestObserver.subscribe({ request: (e) => (requestMs[e.vendor] = (requestMs[e.vendor] ?? 0) + e.ms) });
  try {
    return await worker.runUntil(async () => {
      const view = await connect(client, taskQueue, ring, { ...info.connectRequest, settings: { productSync: { ...info.connectRequest.settings.productSync, selection: { limit: Math.max(skus * 2, 20_000) }, ...(pagesPerActivity ? { pagesPerActivity } : {}), ...(pageActivitySeconds !== undefined ? { pageActivitySeconds } : {}) } } });
      if (view.status !== 'connected') throw new Error(`sandbox connector: ${view.statusMessage}`);
      // The worker at rest before the first phase: runtime, code (tsx-compiled here), Temporal Core, the database open.
      const idle = sampler.phase().end;
      const phase = async (name: string) => {
        await admin(info.autotask, '/counts/reset', {});
        await admin(info.distributor, '/counts/reset', {});
        sampler.reset();
        for (const k of Object.keys(requestMs)) delete requestMs[k];
        acquireMs.ms = 0;
        const profiler = profileAllocations ? new AllocationProfiler() : undefined;
        await profiler?.start();
        const cpuProfiler = profileCpu ? new CpuProfiler() : undefined;
        await cpuProfiler?.start();
        const cpu = process.cpuUsage();
        const othersBefore = otherCpu();
        const started = Date.now();
        const result = (await client.workflow.execute('productSyncWorkflow', { workflowId: `bench-${name}-${Date.now()}`, taskQueue, args: [{ connectorId: 'bench' }] })) as ProductSyncResult;
        const elapsedMs = Date.now() - started;
        const used = process.cpuUsage(cpu);
        const workerCpuMs = Math.round((used.user + used.system) / 1000);
        const time: PhaseTime = {
          workerCpuMs,
          vendorRequestMs: Object.fromEntries(Object.entries(requestMs).map(([k, v]) => [k, Math.round(v)])),
          limiterAcquireMs: Math.round(acquireMs.ms),
          loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
          cpuMsByProcess: { worker: workerCpuMs, ...cpuSince(othersBefore, otherCpu()) },
        };
        const allocations = await profiler?.stop();
        const cpuProfile = await cpuProfiler?.stop(12, cpuProfileDir ? path.join(cpuProfileDir, `catalog-${skus}-${database.driver}-${name}.cpuprofile`) : undefined);
        const memory = sampler.phase();
        if (snapshotDir) v8.writeHeapSnapshot(path.join(snapshotDir, `catalog-${skus}-${database.driver}-${name}.heapsnapshot`));
        const autotask = (await admin(info.autotask, '/counts')) as Counts;
        const distributor = (await admin(info.distributor, '/counts')) as Counts;
        const writes = Object.entries(autotask).filter(([k]) => /^(POST|PATCH|PUT) /.test(k) && !k.includes('/query')).reduce((n, [, v]) => n + v, 0);
        const reads = Object.entries(autotask).filter(([k]) => k.includes('/query')).reduce((n, [, v]) => n + v, 0);
        const changed = result.counters.created + result.counters.updated + result.counters.deactivated + result.counters.adopted;
        return {
          phase: name,
          elapsedMs,
          skusPerSecond: Math.round((result.counters.processed / elapsedMs) * 1000),
          counters: result.counters,
          pages: result.pages,
          autotaskRequests: { total: Object.values(autotask).reduce((a, b) => a + b, 0), writes, queries: reads, byEndpoint: autotask },
          thresholdInformation: thresholdShare(autotask),
          writesPerChangedSku: changed ? Math.round((writes / changed) * 100) / 100 : 0,
          distributorRequests: { total: Object.values(distributor).reduce((a, b) => a + b, 0), byEndpoint: distributor },
          peakWorkerRssMb: memory.peakRssMb,
          memory,
          ...(allocations ? { allocations } : {}),
          ...(cpuProfile ? { cpuProfile } : {}),
          time,
        };
      };
      const initial = await phase('initial');
      const noChange = await phase('no-change');
      await admin(info.distributor, '/catalog/day', { advance: 1 });
      const afterDay = await phase('after-one-day');
      const violations = checkContract ? [...((await admin(info.autotask, '/violations')) as string[]), ...((await admin(info.distributor, '/violations')) as string[])] : undefined;
      const phases = [initial, noChange, afterDay];
      return {
        scenario: 'catalog', distributor: distributorKind, skus, database: database.driver, limiter: limiterArg, pagesPerActivity: pagesPerActivity ?? 'default (100)', pageActivitySeconds: pageActivitySeconds ?? 'default (20)',
        code: compiled ? 'compiled (tsc output, plain Node)' : 'tsx',
        ...(database.driver === 'pglite' ? { pgliteDir: pgliteDir === 'memory://' ? pgliteDir : 'disk (temporary directory)' } : {}),
        ...(databasePid ? { databaseServerPid: databasePid } : {}),
        contractChecking: checkContract ? 'on' : 'off (--no-check-contract)', contractViolations: violations?.length, violationSamples: violations?.slice(0, 5),
        idleMemory: idle,
        phases,
        targets: targets(skus, database.driver, !!databasePid, phases),
      };
    });
  } finally {
    sampler.stop();
    unobserve();
    child.stdin!.end();
    if (database.driver === 'postgres') await database.query(sql.raw(`drop schema if exists "${database.schemaName}" cascade`));
    await database.close();
    if (database.driver === 'pglite' && pgliteDir !== 'memory://') fs.rmSync(pgliteDir, { recursive: true, force: true });
    await connection.close();
    await server.stop();
  }
}
