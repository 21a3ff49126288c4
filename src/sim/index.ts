// The sandbox: the Autotask simulator seeded like a small MSP's database, plus the simulator of every
// integration kind in the registry (each definition's `simulate()`), each distributor as an Autotask
// vendor company. `npm start` runs on it; tests and benches use it too. A kind's simulator joins by
// being in the registry: its handle is `sandbox.<kind in camelCase>` (`sandbox.ingram`, `sandbox.tdSynnex`).
import { startAutotaskSim, type AutotaskSim, type AutotaskSimOptions } from '../autotask/sim';
import type { ConnectRequest, IntegrationRequest } from '../client/connectors';
import type { IntegrationSimulator } from '../integrations/definition';
import { integrationKinds, type PRODUCT_KINDS } from '../integrations/registry';

/** Sandbox credentials: they only open the local simulators. */
export const SANDBOX_AUTOTASK_USER = {
  username: 'bridge-api@sandbox.autotask.local',
  secret: 'sandbox-Secret-42',
  integrationCode: 'SANDBOX-TRACKING-ID',
  resourceEmail: 'admin@sandbox-msp.example',
};

/** What `connectRequest()` connects unless told otherwise: Ingram Micro, as before TD SYNNEX joined. */
export const SANDBOX_DEFAULT_INTEGRATIONS = ['ingram'];

type Definition = (typeof PRODUCT_KINDS)[number];
/** `td-synnex` → `tdSynnex`. */
type HandleName<N extends string> = N extends `${infer A}-${infer B}` ? `${A}${Capitalize<HandleName<B>>}` : N;
type SimulatorOf<D> = D extends { simulate?(options?: infer O): Promise<IntegrationSimulator<infer H>> } ? { options: O; handle: H } : never;

/** Each kind's simulator, by handle name. */
export type SandboxHandles = { [D in Definition as HandleName<D['kind']>]: SimulatorOf<D>['handle'] };
/** Options of each kind's simulator, by handle name; `false` leaves that simulator out. */
export type SandboxKindOptions = { [D in Definition as HandleName<D['kind']>]?: SimulatorOf<D>['options'] | false };

export type SandboxOptions = SandboxKindOptions & {
  autotask?: AutotaskSimOptions;
  /** Kinds `connectRequest()` adds by default, the first distributor's company being `vendorCompanyId` (default `['ingram']`). */
  integrations?: string[];
};

export type Sandbox = SandboxHandles & {
  autotask: AutotaskSim;
  /** The running simulators by kind, in registry order. */
  simulators: ReadonlyMap<string, IntegrationSimulator>;
  /** Kinds `connectRequest()` adds by default. */
  integrations: readonly string[];
  /** The Autotask vendor company of each simulated distributor, by kind. */
  vendorCompanyIds: Readonly<Record<string, number>>;
  /** The vendor company of the first default integration that is a distributor (Ingram Micro unless `integrations` says otherwise). */
  vendorCompanyId: number;
  customerCompanyId: number;
  billingCodeId: number;
  /** What `integrations add <kind>` would send for this kind's simulator (id defaults to the kind). */
  integrationRequest(kind: string, id?: string): IntegrationRequest;
  /** What `autotask-bridge connect` would send for a connector on this sandbox, with these integrations (default `options.integrations`). */
  connectRequest(connectorId: string, settings?: Record<string, unknown>, integrations?: string[]): ConnectRequest;
  /** Every contract violation any simulator saw (and clears them). */
  takeViolations(): string[];
  stop(): Promise<void>;
};

/** The property a kind's simulator is reachable under. */
export function sandboxHandleName(kind: string): string {
  return kind.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const kindOptions = options as Record<string, unknown>;
  const definitions = integrationKinds().filter((d) => d.simulate && kindOptions[sandboxHandleName(d.kind)] !== false);
  const defaults = options.integrations ?? SANDBOX_DEFAULT_INTEGRATIONS;
  for (const kind of defaults) if (!definitions.some((d) => d.kind === kind)) throw new Error(`Sandbox: no ${kind} simulator to connect (it was left out or has none)`);
  const autotask = await startAutotaskSim(options.autotask);
  const simulators = new Map<string, IntegrationSimulator>();
  const stopAll = () => Promise.all([autotask.stop(), ...[...simulators.values()].map((s) => s.stop())]);
  const started = await Promise.allSettled(definitions.map((d) => d.simulate!((kindOptions[sandboxHandleName(d.kind)] ?? {}) as Record<string, unknown>)));
  started.forEach((r, i) => r.status === 'fulfilled' && simulators.set(definitions[i].kind, r.value));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }

  const user = autotask.addUser(SANDBOX_AUTOTASK_USER);
  const distributors = definitions.filter((d) => d.role === 'distributor');
  const vendorIds = autotask.seed('Companies', distributors.map((d) => ({ companyName: d.label, companyType: 7, ownerResourceID: user.resourceId, isActive: true })));
  const vendorCompanyIds = Object.fromEntries(distributors.map((d, i) => [d.kind, vendorIds[i]]));
  const [customerCompanyId] = autotask.seed('Companies', [
    { companyName: 'Contoso Ltd', companyType: 1, phone: '+1 425 555 0100', ownerResourceID: user.resourceId, isActive: true, address1: '1 Microsoft Way', city: 'Redmond', state: 'WA', postalCode: '98052', countryID: 237 },
  ]);
  const [billingCodeId] = autotask.seed('BillingCodes', [
    { name: 'Hardware', description: 'Hardware sold through the distributor', useType: 2, isActive: true, unitCost: 0, unitPrice: 0 },
    { name: 'Remote Support', useType: 1, isActive: true },
  ]);
  const mainDistributor = defaults.find((k) => k in vendorCompanyIds) ?? distributors[0]?.kind;

  const integrationRequest = (kind: string, id = kind): IntegrationRequest => {
    const sim = simulators.get(kind);
    if (!sim) throw new Error(`Sandbox: no ${kind} simulator (running: ${[...simulators.keys()].join(', ')})`);
    return { id, kind, settings: { ...sim.settings }, secrets: { ...sim.secrets } };
  };
  const sandbox = {
    autotask,
    simulators,
    integrations: defaults,
    vendorCompanyIds,
    vendorCompanyId: mainDistributor ? vendorCompanyIds[mainDistributor] : Number.NaN, // NaN: no distributor simulated
    customerCompanyId,
    billingCodeId,
    integrationRequest,
    connectRequest: (connectorId: string, extra: Record<string, unknown> = {}, kinds = defaults): ConnectRequest => ({
      connectorId,
      name: `Sandbox (${connectorId})`,
      email: SANDBOX_AUTOTASK_USER.resourceEmail,
      discoveryUrl: autotask.discoveryUrl,
      autotask: { username: SANDBOX_AUTOTASK_USER.username, secret: SANDBOX_AUTOTASK_USER.secret, integrationCode: SANDBOX_AUTOTASK_USER.integrationCode },
      integrations: kinds.map((kind) => integrationRequest(kind)),
      settings: { ...extra, productSync: { ...((extra.productSync as object) ?? {}) } },
    }),
    takeViolations: () => [...autotask.sim.takeViolations(), ...[...simulators.values()].flatMap((s) => s.takeViolations())],
    stop: async () => {
      await stopAll();
    },
  };
  for (const [kind, sim] of simulators) {
    Object.defineProperty(sandbox, sandboxHandleName(kind), { value: sim.handle, enumerable: true });
  }
  // Kinds left out: a clear error rather than `undefined` on first use.
  for (const d of integrationKinds()) {
    const name = sandboxHandleName(d.kind);
    if (!simulators.has(d.kind) && !(name in sandbox)) {
      Object.defineProperty(sandbox, name, { get: () => { throw new Error(`Sandbox: started without the ${d.label} simulator`); } });
    }
  }
  return sandbox as unknown as Sandbox;
}

/** One line per simulator for `npm start`: what it is, where, and whether the sandbox connector uses it. */
export function describeSimulators(sandbox: Sandbox): string[] {
  return [...sandbox.simulators].map(([kind, sim]) => {
    const d = integrationKinds().find((k) => k.kind === kind);
    const detail = sim.describe ? ` (${sim.describe()})` : '';
    const use = sandbox.integrations.includes(kind) ? 'connected' : `available (${d?.role ?? 'integration'} "${kind}", not connected)`;
    return `${d?.label ?? kind} simulator ${sim.url}${detail} — ${use}`;
  });
}
