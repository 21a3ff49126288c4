// What one integration kind (a distributor, a marketplace, an export target) declares, once: its
// settings and secrets (zod, the only place their shape is written), how to build its client, its
// activation checks, its CLI options and secret names, and its simulator for the sandbox.
// Adding a kind is its folder plus one line in registry.ts.
import type { z } from 'zod';

export const INTEGRATION_ROLES = ['distributor', 'marketplace', 'export'] as const;
export type IntegrationRole = (typeof INTEGRATION_ROLES)[number];

/** One secret the CLI collects (stdin JSON key, environment variable, prompt) — never from argv. */
export interface SecretInput {
  /** Key in the secrets object and in `--secrets-stdin` JSON. */
  key: string;
  env: string;
  prompt: string;
}

/** One CLI option of `integrations add <kind>` that sets a (non-secret) setting. */
export interface SettingOption {
  /** e.g. `--customer-number <n>` */
  flag: string;
  description: string;
  /** Settings key it sets. */
  setting: string;
  /** Parses the option's text (default: the string as is). */
  parse?: (value: string) => unknown;
}

/** A distributor's simulator driven the same way whatever its kind: benchmarks and the tests run per distributor. */
export interface DistributorSimControls {
  /** Key of order submission in the simulator's request counts (`METHOD /path`), also what a scripted fault matches. */
  submitRoute: string;
  /** Order submissions received so far (accepted, rejected or repeated). */
  submits(): number;
  /** Requests received per `METHOD /path` (and per other protocol, e.g. `FTP RETR`) since the last reset. */
  requests(): Record<string, number>;
  resetRequests(): void;
  /** Up to `n` SKUs that can be ordered now (listed, valid, priced, in stock), with the stock of their best warehouse. */
  orderableSkus(n: number): Array<{ sku: string; mpn: string | null; warehouse: string; stock: number }>;
  /** The distributor's order ids for our PO number, as its adapter reports them (none: never placed). */
  ordersFor(clientPoNumber: string): string[];
  /** The distributor starts working on an order it accepted (it is processing; Ingram's are from the start). */
  confirm(distributorOrderId: string): void;
  /** Ships that order in full now. */
  ship(distributorOrderId: string): void;
  /** Takes a shipped order to its end (delivered where the distributor says so, invoiced). */
  close(distributorOrderId: string): void;
  /** The next order submission is handled but its answer never arrives (the client times out). */
  loseNextSubmitAnswer(): void;
  /** The catalog's next day: some prices and stock change. */
  nextDay(): Promise<void>;
}

/** A running simulator of this kind, for the sandbox and the tests. */
export interface IntegrationSimulator<H = unknown> {
  readonly url: string;
  /** Settings and secrets that point a client at this simulator (what `integrations add` takes). */
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  /** The kind's own simulator object, for tests and benches (`sandbox.ingram.catalog`, …). */
  handle: H;
  /** What `npm start` prints about it (addresses, catalog size), besides the label and URL. */
  describe?(): string;
  /** A distributor's: the same controls for every distributor kind. */
  distributor?: DistributorSimControls;
  takeViolations(): string[];
  stop(): Promise<void>;
}

export interface IntegrationCheck<C> {
  /** Short name shown by `status`, e.g. `api`. */
  name: string;
  /** Returns what it found; throws a BridgeError (or any error) with what to fix. */
  run(client: C): Promise<string>;
}

export interface IntegrationDefinition<S extends z.ZodType = z.ZodType, K extends z.ZodType = z.ZodType, C = unknown, N extends string = string, O = Record<string, unknown>, H = unknown> {
  kind: N;
  /** Display name, e.g. `Ingram Micro`; also the default Autotask vendor company name of a distributor. */
  label: string;
  role: IntegrationRole;
  settingsSchema: S;
  secretsSchema: K;
  secretInputs: SecretInput[];
  options: SettingOption[];
  /** Builds the client/adapter (`source` is the integration id, used in failures). */
  create(settings: z.output<S>, secrets: z.output<K>, context: { source: string }): C;
  checks: Array<IntegrationCheck<C>>;
  /**
   * Starts a simulator of this kind on a loopback port. The sandbox (src/sim) starts every kind's and
   * names its handle after the kind (`td-synnex` → `sandbox.tdSynnex`).
   */
  simulate?(options?: O): Promise<IntegrationSimulator<H>>;
}

/** Type-checks a definition while keeping its precise types (the kind's name, its simulator's options and handle). */
export function defineIntegration<S extends z.ZodType, K extends z.ZodType, C, N extends string, O, H>(d: IntegrationDefinition<S, K, C, N, O, H>): IntegrationDefinition<S, K, C, N, O, H> {
  return d;
}
