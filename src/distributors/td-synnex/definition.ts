// TD SYNNEX (US/CA: EC Express XML + the daily price file over FTP) as an integration kind: settings
// and secrets, adapter, activation checks, CLI options and its simulator for the sandbox.
import { defineIntegration } from '../../integrations/definition';
import { TdSynnexAdapter } from './adapter';
import { describe } from './ftp-file';
import { tdSynnexSecretsSchema, tdSynnexSettingsSchema } from './settings';
import { startTdSynnexSim, type TdSynnexSimOptions } from './sim';
import { tdSynnexControls } from './sim/controls';

/** The sandbox's catalog unless it asks for another size (the simulator's own default, 20,000, is for benchmarks). */
const SANDBOX_SKUS = 2_000;

const number = (v: string) => Number(v);

export const tdSynnexIntegration = defineIntegration({
  kind: 'td-synnex',
  label: 'TD SYNNEX',
  role: 'distributor',
  settingsSchema: tdSynnexSettingsSchema,
  secretsSchema: tdSynnexSecretsSchema,
  secretInputs: [
    { key: 'xmlUsername', env: 'TDSYNNEX_XML_USERNAME', prompt: 'TD SYNNEX EC Express XML user name' },
    { key: 'xmlPassword', env: 'TDSYNNEX_XML_PASSWORD', prompt: 'TD SYNNEX EC Express XML password' },
    { key: 'ftpUser', env: 'TDSYNNEX_FTP_USER', prompt: 'TD SYNNEX price-file FTP user' },
    { key: 'ftpPassword', env: 'TDSYNNEX_FTP_PASSWORD', prompt: 'TD SYNNEX price-file FTP password' },
  ],
  options: [
    { flag: '--customer-number <n>', description: 'TD SYNNEX customer (account) number', setting: 'customerNumber' },
    { flag: '--region <us|ca>', description: 'TD SYNNEX US or Canada (default us)', setting: 'region' },
    { flag: '--environment <production|sandbox>', description: 'EC Express production or test hosts (default sandbox)', setting: 'environment' },
    { flag: '--distributor-url <url>', description: 'EC Express XML origin (overrides region/environment)', setting: 'xmlUrl' },
    { flag: '--ftp-host <host>', description: 'FTP host delivering the price file', setting: 'ftpHost' },
    { flag: '--ftp-port <n>', description: 'FTP port (default 21)', setting: 'ftpPort', parse: number },
    { flag: '--ftp-path <dir>', description: 'FTP directory of the price file (default /)', setting: 'ftpPath' },
    { flag: '--price-file <name>', description: 'price file name (default <customer number>.ap)', setting: 'priceFile' },
    { flag: '--warehouses <list>', description: 'comma-separated warehouses (number, col<n> or city) whose stock counts as availability (default all)', setting: 'availabilityWarehouses', parse: (v) => v.split(',').map((w) => w.trim()).filter(Boolean) },
    { flag: '--max-file-age-hours <n>', description: 'older files are priced through the XML P&A call (default 36)', setting: 'maxFileAgeHours', parse: number },
  ],
  create: (settings, secrets, context) => new TdSynnexAdapter(settings, secrets, context.source),
  checks: [
    {
      name: 'ftp',
      run: async (adapter) => {
        const file = await adapter.catalog.ftp.stat();
        const hours = (Date.now() - file.modifiedMs) / 3_600_000;
        const age = hours <= adapter.settings.maxFileAgeHours ? '' : ` — older than ${adapter.settings.maxFileAgeHours} h: prices will come from the XML P&A call`;
        return `Price file ${describe(file)}, ${hours.toFixed(1)} h old${age}`;
      },
    },
    {
      name: 'xml',
      run: async (adapter) => {
        // One SKU from the file, priced through an authenticated XML call (not from the file).
        const page = await adapter.fetchProductPage(null);
        adapter.close();
        const sku = page.items[0]?.distributorSku;
        if (!sku) return 'EC Express XML not checked: the price file lists no SKU';
        const { data } = await adapter.xml.priceAvailability([{ sku }]);
        const item = data.priceavailabilitylist?.[0];
        return `EC Express XML answered for SKU ${sku}: ${item?.status ?? 'no status'}${item?.price ? `, price ${item.price}` : ''}`;
      },
    },
  ],
  simulate: async (options: TdSynnexSimOptions = {}) => {
    const sim = await startTdSynnexSim({ ...options, catalog: { skus: SANDBOX_SKUS, ...options.catalog } });
    return {
      url: sim.url, settings: { ...sim.settings() }, secrets: { ...sim.secrets }, handle: sim,
      distributor: tdSynnexControls(sim),
      describe: () => `price file ftp://127.0.0.1:${sim.ftp.port}${sim.fileName}, ${sim.catalog.settings.skus} SKUs`,
      takeViolations: () => sim.takeViolations(), stop: () => sim.stop(),
    };
  },
});
