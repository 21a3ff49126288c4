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

/** A running simulator of this kind, for the sandbox and the tests. */
export interface IntegrationSimulator {
  readonly url: string;
  /** Settings and secrets that point a client at this simulator. */
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  takeViolations(): string[];
  stop(): Promise<void>;
}

export interface IntegrationCheck<C> {
  /** Short name shown by `status`, e.g. `api`. */
  name: string;
  /** Returns what it found; throws a BridgeError (or any error) with what to fix. */
  run(client: C): Promise<string>;
}

export interface IntegrationDefinition<S extends z.ZodType = z.ZodType, K extends z.ZodType = z.ZodType, C = unknown> {
  kind: string;
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
  /** Starts a simulator of this kind on a loopback port (sandbox, tests). */
  simulate?(options?: Record<string, unknown>): Promise<IntegrationSimulator>;
}

/** Type-checks a definition while keeping its precise types. */
export function defineIntegration<S extends z.ZodType, K extends z.ZodType, C>(d: IntegrationDefinition<S, K, C>): IntegrationDefinition<S, K, C> {
  return d;
}
