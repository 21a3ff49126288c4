// Starts a simulated Autotask on a loopback port. The handle seeds users, records and UDFs and
// reads state directly; the same operations exist under /__admin for out-of-process callers.
import { SimServer } from '../../sim/kit/server';
import { simEntities } from './entities';
import { SimLimits } from './limits';
import { AutotaskApi, autotaskContract, type AutotaskSimBehaviour, type SimUser } from './server';
import { SimStore, type SimRecord, type SimUdfDefinition } from './store';

export type { SimUser } from './server';
export type { SimRecord, SimUdfDefinition } from './store';

export interface AutotaskSimSeed {
  users?: SimUser[];
  /** Records per entity name, e.g. `{ Products: [{ name: 'X', ... }] }`. */
  entities?: Record<string, Array<Record<string, unknown>>>;
  udfs?: Array<{ entity: string; name: string; dataType?: number; length?: number; picklist?: string[] }>;
}

export interface AutotaskSimOptions {
  port?: number;
  /** Validate every request/response against the official spec (default true; off for benchmarks). */
  checkContract?: boolean;
  /** Requests per hour for the database (default 10,000). */
  hourlyLimit?: number;
  /** Simulated seconds per real second (3600: an hour lasts one second). Default 1. */
  clockScale?: number;
  /** Concurrent requests per integration code and endpoint (default 3). */
  threadLimit?: number;
  /** Added latency above 50% / 75% of the hourly limit (default 500 / 1000 ms). */
  usageLatencyMs?: [number, number];
  /** Processing time per request, held inside the thread limit (default 0). */
  latencyMs?: number;
  authFailureBody?: 'empty' | 'errors';
  seed?: AutotaskSimSeed;
}

export interface AutotaskSim {
  /** Server origin, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** The zone base URL ZoneInformation returns (`{url}/atservicesrest/`). */
  zoneUrl: string;
  /** Zone-less discovery base to give the client (`{url}/atservicesrest`). */
  discoveryUrl: string;
  sim: SimServer;
  store: SimStore;
  limits: SimLimits;
  api: AutotaskApi;
  addUser(user: SimUser): SimUser;
  /** Inserts records as given (all model fields present, null when omitted); returns their ids. */
  seed(entity: string, records: Array<Record<string, unknown>>): number[];
  addUdf(entity: string, name: string, options?: { dataType?: number; length?: number; picklist?: string[] }): SimUdfDefinition;
  records(entity: string): SimRecord[];
  /** Makes a user live in another zone (ZoneInformation points there; this zone answers 401). */
  moveUser(username: string, zoneUrl: string | undefined): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startAutotaskSim(options: AutotaskSimOptions = {}): Promise<AutotaskSim> {
  const sim = new SimServer({
    name: 'autotask',
    contract: autotaskContract(),
    checkContract: options.checkContract ?? true,
    errorBody: (_status, message) => ({ errors: [message] }),
    undeclaredPaths: [/\/V1\.0\/[^/]+\/query\/next\/?$/i],
  });
  const store = new SimStore();
  const limits = new SimLimits({
    threadLimit: options.threadLimit ?? 3,
    hourlyLimit: options.hourlyLimit ?? 10_000,
    clockScale: options.clockScale ?? 1,
    usageLatencyMs: options.usageLatencyMs ?? [500, 1000],
  });
  const api = new AutotaskApi(sim, store, limits, { latencyMs: options.latencyMs ?? 0, authFailureBody: options.authFailureBody ?? 'empty' } satisfies AutotaskSimBehaviour);

  const seed = (entity: string, records: Array<Record<string, unknown>>): number[] => records.map((r) => store.insertFull(entity, r).id);
  const addUdf: AutotaskSim['addUdf'] = (entity, name, o = {}) => {
    const def = simEntities().get(entity.toLowerCase());
    if (!def?.hasUdfs) throw new Error(`${entity} has no user-defined fields`);
    return store.addUdf({ entity: def.name, name, dataType: o.dataType ?? 1, length: o.length ?? 255, picklist: o.picklist });
  };
  const moveUser = (username: string, zoneUrl: string | undefined) => {
    const user = api.users.get(username.toLowerCase());
    if (!user) throw new Error(`no user ${username}`);
    user.zoneUrl = zoneUrl;
  };

  sim.adminRoute('POST', '/users', (req) => ({ status: 200, body: redactUser(api.addUser(req.body as SimUser)) }));
  sim.adminRoute('GET', '/users', () => ({ status: 200, body: [...api.users.values()].map(redactUser) }));
  sim.adminRoute('POST', '/users/:username/zone', (req) => {
    moveUser(req.params.username, (req.body as { zoneUrl?: string })?.zoneUrl);
    return { status: 204 };
  });
  sim.adminRoute('POST', '/entities/:entity', (req) => ({ status: 200, body: { ids: seed(req.params.entity, req.body as Array<Record<string, unknown>>) } }));
  sim.adminRoute('GET', '/entities/:entity', (req) => {
    const table = store.table(req.params.entity);
    return { status: 200, body: table.ids.map((id) => store.view(table.entity.name, table.rows.get(id)!)) };
  });
  sim.adminRoute('POST', '/udfs', (req) => {
    const b = req.body as { entity: string; name: string; dataType?: number; length?: number; picklist?: string[] };
    return { status: 200, body: addUdf(b.entity, b.name, b) };
  });
  sim.adminRoute('GET', '/limits', () => ({ status: 200, body: limits.snapshot() }));
  sim.adminRoute('POST', '/limits', (req) => {
    const b = (req.body ?? {}) as { hourlyLimit?: number; threadLimit?: number; clockScale?: number; usage?: number; latencyMs?: number };
    if (b.hourlyLimit !== undefined) limits.options.hourlyLimit = b.hourlyLimit;
    if (b.threadLimit !== undefined) limits.options.threadLimit = b.threadLimit;
    if (b.clockScale !== undefined) limits.options.clockScale = b.clockScale;
    if (b.usage !== undefined) limits.setUsage(b.usage);
    if (b.latencyMs !== undefined) api.behaviour.latencyMs = b.latencyMs;
    return { status: 200, body: limits.snapshot() };
  });
  const reset = () => {
    store.reset();
    limits.reset();
    api.users.clear();
    sim.counts.clear();
    sim.takeViolations();
  };
  sim.adminRoute('POST', '/reset', () => { reset(); return { status: 204 }; });

  const url = await sim.start(options.port ?? 0);
  for (const user of options.seed?.users ?? []) api.addUser(user);
  for (const udf of options.seed?.udfs ?? []) addUdf(udf.entity, udf.name, udf);
  for (const [entity, records] of Object.entries(options.seed?.entities ?? {})) seed(entity, records);

  return {
    url,
    zoneUrl: api.zoneUrl,
    discoveryUrl: `${url}/atservicesrest`,
    sim,
    store,
    limits,
    api,
    addUser: (u) => api.addUser(u),
    seed,
    addUdf,
    records: (entity) => {
      const t = store.table(entity);
      return t.ids.map((id) => t.rows.get(id)!);
    },
    moveUser,
    reset,
    stop: () => sim.stop(),
  };
}

function redactUser(u: SimUser): Record<string, unknown> {
  return { ...u, secret: '[redacted]' };
}
