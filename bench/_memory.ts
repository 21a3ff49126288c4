// Where a benchmark process's memory goes, sampled every 100 ms: RSS, and at RSS's peak the V8 heap,
// `external` (off-heap memory V8 tracks: Buffers, ArrayBuffers and WebAssembly memories — PGlite's
// whole PostgreSQL lives in one), the embedded database's WebAssembly memory when there is one, and
// what is left (native: the Temporal Core SDK in Rust, the workflow thread's own V8 isolate, code,
// malloc). An external database server (`--database-pid`) is sampled too, so "worker + embedded
// database" can be compared whichever process the database runs in.
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/** A full GC on demand, so a phase's end shows what stays reachable (not what awaits collection). */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export interface MemoryBreakdown {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Includes arrayBuffers and the embedded database's WebAssembly memory. */
  externalMb: number;
  arrayBuffersMb: number;
  /** PGlite in this process: its WebAssembly memory (it grows and never shrinks). */
  embeddedDatabaseMb?: number;
  /** rss − heapTotal − external: native memory (Temporal Core, the workflow isolate, code, malloc). */
  nativeMb: number;
  /** The database server process given by `--database-pid` (RSS). */
  databaseServerRssMb?: number;
}

export interface PhaseMemory {
  /** Peak RSS of this process during the phase. */
  peakRssMb: number;
  /** Peak of this process's RSS plus the database server's, when there is one (sampled together). */
  peakWithDatabaseServerMb?: number;
  /** The breakdown at the sample where RSS peaked. */
  atPeak: MemoryBreakdown;
  /** Highest value of each part during the phase (not necessarily at the same moment). */
  max: { heapUsedMb: number; externalMb: number; embeddedDatabaseMb?: number; databaseServerRssMb?: number };
  /** After the phase, once a full GC ran: what stays. */
  end: MemoryBreakdown;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux builds). */
const USER_HZ = 100;

/** CPU time (user + system, ms) of a process so far, from /proc (Linux); undefined elsewhere or when it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) of every process of this machine named `name` (e.g. the PostgreSQL server's), summed. */
export function cpuMsByName(name: string): number | undefined {
  let total: number | undefined;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== name) continue;
    } catch {
      continue;
    }
    const ms = processCpuMs(Number(pid));
    if (ms !== undefined) total = (total ?? 0) + ms;
  }
  return total;
}

/** CPU time so far (ms) of named processes; one whose time cannot be read is left out. */
export function cpuSnapshot(sources: Record<string, () => number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, read] of Object.entries(sources)) {
    const ms = read();
    if (ms !== undefined) out[name] = ms;
  }
  return out;
}

/** CPU time (ms) each process used between two snapshots (those read in both). */
export function cpuSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, ms] of Object.entries(after)) if (before[name] !== undefined) out[name] = Math.round(ms - before[name]);
  return out;
}

/** Resident set of another process, from /proc (Linux); undefined elsewhere or when it is gone. */
export function processRss(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private peak!: { at: MemoryBreakdown; rss: number; total: number };
  private max!: PhaseMemory['max'];
  private gc?: () => void;

  constructor(private readonly options: { embeddedDatabaseBytes?: () => number | undefined; databasePid?: number }) {
    this.reset();
  }

  start(intervalMs = 100): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  reset(): void {
    const now = this.read();
    this.peak = { at: now, rss: now.rssMb, total: now.rssMb + (now.databaseServerRssMb ?? 0) };
    this.max = { heapUsedMb: now.heapUsedMb, externalMb: now.externalMb, embeddedDatabaseMb: now.embeddedDatabaseMb, databaseServerRssMb: now.databaseServerRssMb };
  }

  sample(): MemoryBreakdown {
    const now = this.read();
    if (now.rssMb >= this.peak.rss) this.peak = { ...this.peak, at: now, rss: now.rssMb };
    this.peak.total = Math.max(this.peak.total, now.rssMb + (now.databaseServerRssMb ?? 0));
    this.max.heapUsedMb = Math.max(this.max.heapUsedMb, now.heapUsedMb);
    this.max.externalMb = Math.max(this.max.externalMb, now.externalMb);
    if (now.embeddedDatabaseMb !== undefined) this.max.embeddedDatabaseMb = Math.max(this.max.embeddedDatabaseMb ?? 0, now.embeddedDatabaseMb);
    if (now.databaseServerRssMb !== undefined) this.max.databaseServerRssMb = Math.max(this.max.databaseServerRssMb ?? 0, now.databaseServerRssMb);
    return now;
  }

  /** The phase's figures; call at its end (runs a full GC for `end`). */
  phase(): PhaseMemory {
    this.sample();
    const gc = (this.gc ??= exposeGc());
    gc();
    return {
      peakRssMb: this.peak.rss,
      ...(this.options.databasePid ? { peakWithDatabaseServerMb: this.peak.total } : {}),
      atPeak: this.peak.at,
      max: this.max,
      end: this.read(),
    };
  }

  private read(): MemoryBreakdown {
    const m = process.memoryUsage();
    const wasm = this.options.embeddedDatabaseBytes?.();
    const server = this.options.databasePid ? processRss(this.options.databasePid) : undefined;
    return {
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      arrayBuffersMb: mb(m.arrayBuffers),
      ...(wasm !== undefined ? { embeddedDatabaseMb: mb(wasm) } : {}),
      nativeMb: Math.max(0, mb(m.rss - m.heapTotal - m.external)),
      ...(server !== undefined ? { databaseServerRssMb: mb(server) } : {}),
    };
  }
}

interface SamplingNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SamplingNode[] }

/**
 * What allocates, garbage included: V8's sampling heap profiler (this process's main thread) with
 * objects later collected by minor and major GCs kept in the profile. `top()` sums self sizes by
 * function and source location.
 */
export class AllocationProfiler {
  private session?: import('node:inspector').Session;

  async start(): Promise<void> {
    const { Session } = await import('node:inspector');
    this.session = new Session();
    this.session.connect();
    await this.post('HeapProfiler.enable');
    await this.post('HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }

  /** Stops sampling; the `limit` biggest allocation sites (MB) and the total. */
  async stop(limit = 12): Promise<{ totalMb: number; top: Array<{ site: string; mb: number }> }> {
    const { profile } = (await this.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
    this.session!.disconnect();
    const bySite = new Map<string, number>();
    let total = 0;
    const walk = (node: SamplingNode) => {
      if (node.selfSize) {
        const { functionName, url, lineNumber } = node.callFrame;
        const file = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|db|bench)\//, '$1/');
        const site = `${functionName || '(anonymous)'} ${file || '(native)'}${file ? `:${lineNumber + 1}` : ''}`;
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
        total += node.selfSize;
      }
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    return { totalMb: mb(total), top: [...bySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([site, bytes]) => ({ site, mb: Math.round((bytes / 1024 / 1024) * 10) / 10 })) };
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  }
}

interface CpuNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

/** The package (node_modules) or source folder a profiled frame belongs to; undefined for V8/Node natives. */
function packageOf(url: string): string | undefined {
  if (!url) return undefined;
  const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const src = /\/(src|db|bench)\/([^/]+)\//.exec(url);
  return src ? `${src[1]}/${src[2]}` : undefined;
}

/** Where the worker's CPU goes (main thread): V8's CPU profiler, self time summed by function and file. */
export class CpuProfiler {
  private session?: import('node:inspector').Session;

  async start(): Promise<void> {
    const { Session } = await import('node:inspector');
    this.session = new Session();
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: 1000 });
    await this.post('Profiler.start');
  }

  /** `saveTo`: also write the raw profile there (open it in Chrome DevTools or speedscope). */
  async stop(limit = 12, saveTo?: string): Promise<{ sampledMs: number; inclusiveByPackage: Array<{ package: string; ms: number; percent: number }>; top: Array<{ site: string; ms: number; percent: number }> }> {
    const { profile } = (await this.post('Profiler.stop')) as { profile: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] } };
    this.session!.disconnect();
    if (saveTo) (await import('node:fs')).writeFileSync(saveTo, JSON.stringify(profile));
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const bySite = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const us = byNode.get(node.id) ?? 0;
      if (!us) continue;
      const { functionName, url } = node.callFrame;
      if (functionName === '(idle)') continue;
      const file = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|db|bench)\//, '$1/');
      const site = `${functionName || '(anonymous)'} ${file || ''}`.trim();
      bySite.set(site, (bySite.get(site) ?? 0) + us);
      total += us;
    }
    // Inclusive time per package: a sample counts once for every package on its stack (so got's time
    // includes the Node HTTP code it calls), which says where a request's CPU goes better than self time.
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
    const nodesById = new Map(profile.nodes.map((n) => [n.id, n]));
    const byPackage = new Map<string, number>();
    for (const [id, us] of byNode) {
      if (nodesById.get(id)?.callFrame.functionName === '(idle)') continue;
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const pkg = packageOf(nodesById.get(at)!.callFrame.url);
        if (pkg) seen.add(pkg);
      }
      for (const pkg of seen) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    }
    return {
      sampledMs: Math.round(total / 1000),
      inclusiveByPackage: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([pkg, us]) => ({ package: pkg, ms: Math.round(us / 1000), percent: Math.round((us / total) * 1000) / 10 })),
      top: [...bySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([site, us]) => ({ site, ms: Math.round(us / 1000), percent: Math.round((us / total) * 1000) / 10 })),
    };
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  }
}
