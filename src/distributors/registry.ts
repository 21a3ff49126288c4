// Builds an adapter from a stored connector config: `{ kind: 'ingram', ...settings }`.
// A new distributor adds its settings schema to the union and a case to the switch.
import { z } from 'zod';
import type { DistributorAdapter } from './adapter';
import { IngramAdapter } from './ingram/adapter';
import { ingramSettingsSchema } from './ingram/settings';
import type { TokenProvider } from './token-provider';

export const distributorConfigSchema = z.discriminatedUnion('kind', [
  ingramSettingsSchema.extend({ kind: z.literal('ingram') }),
]);

export type DistributorConfigInput = z.input<typeof distributorConfigSchema>;
export type DistributorConfig = z.output<typeof distributorConfigSchema>;
export type DistributorKind = DistributorConfig['kind'];

export interface AdapterDependencies {
  /** Overrides the adapter's own token handling (e.g. a provider backed by a credential store). */
  tokens?: TokenProvider;
}

export function createDistributorAdapter(config: DistributorConfigInput, deps: AdapterDependencies = {}): DistributorAdapter {
  const parsed = distributorConfigSchema.parse(config);
  switch (parsed.kind) {
    case 'ingram': {
      const { kind: _kind, ...settings } = parsed;
      return new IngramAdapter(settings, deps);
    }
  }
}
