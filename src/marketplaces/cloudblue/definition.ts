// CloudBlue Commerce (SimpleAPI 1.15) as an integration kind: Infinigate Cloud and other CloudBlue marketplaces.
import { defineIntegration } from '../../integrations/definition';
import { isBridgeError } from '../../failures';
import { CloudBlueAdapter } from './adapter';
import { TOKEN_OPERATION } from './client';
import { cloudBlueSecretsSchema, cloudBlueSettingsSchema } from './settings';
import { startCloudBlueSim, type CloudBlueSimOptions } from './sim';

export const cloudBlueIntegration = defineIntegration({
  kind: 'cloudblue',
  label: 'Infinigate Cloud (CloudBlue Commerce)',
  role: 'marketplace',
  settingsSchema: cloudBlueSettingsSchema,
  secretsSchema: cloudBlueSecretsSchema,
  secretInputs: [
    { key: 'username', env: 'CLOUDBLUE_USERNAME', prompt: 'CloudBlue API user (login)' },
    { key: 'password', env: 'CLOUDBLUE_PASSWORD', prompt: 'CloudBlue API user password' },
    { key: 'subscriptionKey', env: 'CLOUDBLUE_SUBSCRIPTION_KEY', prompt: 'CloudBlue API gateway subscription key' },
  ],
  options: [
    { flag: '--marketplace-url <url>', description: 'SimpleAPI base URL, e.g. https://api.cloud.im/marketplace/eu', setting: 'baseUrl' },
    { flag: '--marketplace-code <code>', description: 'marketplace code sent with the token request (e.g. uk)', setting: 'marketplace' },
    { flag: '--currency <ccy>', description: 'currency of the prices to read (default: the first listed)', setting: 'currency' },
  ],
  create: (settings, secrets, { source }) => new CloudBlueAdapter(settings, secrets, { source }),
  checks: [
    {
      // Every call passes the gateway first: a token request with no user tells the key apart from the password.
      name: 'subscription-key',
      run: async (adapter) => {
        try {
          await adapter.client.http.request({
            method: 'POST', path: '/token', noAuth: true, idempotent: true, operation: TOKEN_OPERATION,
            headers: { authorization: `Basic ${Buffer.from(':').toString('base64')}` }, json: {},
          });
        } catch (err) {
          if (isBridgeError(err) && err.operation === TOKEN_OPERATION && err.kind === 'auth' && !/subscription key/i.test(err.message)) {
            return 'The CloudBlue API gateway accepted the subscription key';
          }
          throw err;
        }
        return 'The CloudBlue API gateway accepted the subscription key';
      },
    },
    {
      name: 'token',
      run: async (adapter) => {
        adapter.client.auth.invalidate();
        await adapter.client.auth.token();
        return 'CloudBlue issued an access token for the API user';
      },
    },
    {
      name: 'api',
      run: async (adapter) => {
        const customers = await adapter.listCustomers();
        const products = await adapter.listProducts();
        return `CloudBlue answers: ${customers.total ?? customers.items.length} customers, ${products.total ?? products.items.length} products visible`;
      },
    },
  ],
  simulate: async ({ subscriptions = 200, ...options }: CloudBlueSimOptions & { subscriptions?: number } = {}) => {
    const sim = await startCloudBlueSim(options);
    sim.market.seed({ subscriptions });
    return {
      url: sim.url, settings: sim.adapterSettings(), secrets: { ...sim.secrets() }, handle: sim,
      describe: () => `${subscriptions} subscriptions`,
      takeViolations: () => sim.takeViolations(), stop: () => sim.stop(),
    };
  },
});
