// Ingram Micro (Reseller API v6) as an integration kind: settings and secrets, adapter, checks, CLI
// options and its simulator for the sandbox.
import { z } from 'zod';
import { defineIntegration } from '../../integrations/definition';
import { IngramAdapter } from './adapter';
import { INGRAM_SANDBOX_URL, ingramSettingsObject, requireBaseUrl } from './settings';
import { startIngramSim, type IngramSimOptions } from './sim';
import { ingramControls } from './sim/controls';

/** Non-secret settings: everything but the OAuth client credentials (a base URL, or `sandbox: true`). */
export const ingramIntegrationSettingsSchema = ingramSettingsObject.omit({ clientId: true, clientSecret: true }).superRefine(requireBaseUrl);
export const ingramSecretsSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

export const ingramIntegration = defineIntegration({
  kind: 'ingram',
  label: 'Ingram Micro',
  role: 'distributor',
  settingsSchema: ingramIntegrationSettingsSchema,
  secretsSchema: ingramSecretsSchema,
  secretInputs: [
    { key: 'clientId', env: 'DISTRIBUTOR_CLIENT_ID', prompt: 'Ingram Micro API client id' },
    { key: 'clientSecret', env: 'DISTRIBUTOR_CLIENT_SECRET', prompt: 'Ingram Micro API client secret' },
  ],
  options: [
    { flag: '--distributor-url <url>', description: 'Ingram Micro API base URL (required unless --sandbox)', setting: 'baseUrl' },
    { flag: '--sandbox', description: `use Ingram Micro's sandbox (${INGRAM_SANDBOX_URL})`, setting: 'sandbox', parse: () => true },
    { flag: '--customer-number <n>', description: 'Ingram Micro customer number', setting: 'customerNumber' },
    { flag: '--country-code <cc>', description: 'Ingram Micro country code (default US)', setting: 'countryCode' },
  ],
  create: (settings, secrets, { source }) => new IngramAdapter({ ...settings, ...secrets }, { source }),
  checks: [
    {
      name: 'api',
      run: async (adapter) => {
        const page = await adapter.fetchProductPage(null);
        return `Ingram Micro catalog reachable (${page.totalRecords ?? page.items.length} products listed)`;
      },
    },
  ],
  simulate: async (options: IngramSimOptions = {}) => {
    const sim = await startIngramSim(options);
    const { clientId, clientSecret, ...settings } = sim.adapterSettings();
    return {
      url: sim.url, settings, secrets: { clientId, clientSecret }, handle: sim,
      describe: () => `${sim.catalog.settings.skus} SKUs`,
      distributor: ingramControls(sim),
      takeViolations: () => sim.takeViolations(), stop: () => sim.stop(),
    };
  },
});
