// Pax8 (Partner API) as an integration kind: settings and secrets, adapter, activation checks, CLI
// options and its simulator for the sandbox.
import { z } from 'zod';
import { defineIntegration } from '../../integrations/definition';
import { Pax8Adapter } from './adapter';
import { pax8SettingsSchema } from './settings';
import { startPax8Sim, type Pax8SimOptions } from './sim';

/** Non-secret settings: everything but the client credentials. */
export const pax8IntegrationSettingsSchema = pax8SettingsSchema.omit({ clientId: true, clientSecret: true });
export const pax8SecretsSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

export const pax8Integration = defineIntegration({
  kind: 'pax8',
  label: 'Pax8',
  role: 'marketplace',
  settingsSchema: pax8IntegrationSettingsSchema,
  secretsSchema: pax8SecretsSchema,
  secretInputs: [
    { key: 'clientId', env: 'PAX8_CLIENT_ID', prompt: 'Pax8 API client id' },
    { key: 'clientSecret', env: 'PAX8_CLIENT_SECRET', prompt: 'Pax8 API client secret' },
  ],
  options: [
    { flag: '--pax8-url <url>', description: 'Pax8 Partner API base URL (default https://api.pax8.com/v1)', setting: 'baseUrl' },
    { flag: '--pax8-token-url <url>', description: 'Pax8 token endpoint (default <base URL>/token)', setting: 'tokenUrl' },
    { flag: '--pax8-currency <ccy>', description: 'the partner account currency (default USD)', setting: 'currency', parse: (v) => v.toUpperCase() },
  ],
  create: (settings, secrets, context) => new Pax8Adapter({ ...settings, ...secrets }, { source: context.source }),
  checks: [
    {
      name: 'token',
      run: async (adapter) => {
        await adapter.client.auth.token();
        return 'Pax8 issued an access token for https://api.pax8.com';
      },
    },
    {
      name: 'api',
      run: async (adapter) => {
        const page = await adapter.listCustomers();
        return `Pax8 Partner API reachable (${page.total ?? page.items.length} companies)`;
      },
    },
  ],
  simulate: async (options: Pax8SimOptions = {}) => {
    const sim = await startPax8Sim(options);
    const { clientId, clientSecret, ...settings } = sim.adapterSettings();
    return { url: sim.url, settings, secrets: { clientId, clientSecret }, handle: sim, takeViolations: () => sim.takeViolations(), stop: () => sim.stop() };
  },
});
