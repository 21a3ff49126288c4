// The sandbox: every vendor simulator started together and seeded like a small MSP's Autotask
// database with an Ingram Micro account. `npm start` runs on it; tests and benches use it too.
import { startAutotaskSim, type AutotaskSim, type AutotaskSimOptions } from '../autotask/sim';
import type { ConnectRequest } from '../client/connectors';
import { startIngramSim, type IngramSim, type IngramSimOptions } from '../distributors/ingram/sim';

/** Sandbox credentials: they only open the local simulators. */
export const SANDBOX_AUTOTASK_USER = {
  username: 'bridge-api@sandbox.autotask.local',
  secret: 'sandbox-Secret-42',
  integrationCode: 'SANDBOX-TRACKING-ID',
  resourceEmail: 'admin@sandbox-msp.example',
};

export interface SandboxOptions {
  autotask?: AutotaskSimOptions;
  ingram?: IngramSimOptions;
}

export interface Sandbox {
  autotask: AutotaskSim;
  ingram: IngramSim;
  vendorCompanyId: number;
  customerCompanyId: number;
  billingCodeId: number;
  /** What `autotask-bridge connect` would send for a connector on this sandbox. */
  connectRequest(connectorId: string, settings?: Record<string, unknown>): ConnectRequest;
  /** Every contract violation either simulator saw (and clears them). */
  takeViolations(): string[];
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const autotask = await startAutotaskSim(options.autotask);
  const ingram = await startIngramSim(options.ingram).catch(async (err) => {
    await autotask.stop();
    throw err;
  });
  const user = autotask.addUser(SANDBOX_AUTOTASK_USER);
  const [vendorCompanyId, customerCompanyId] = autotask.seed('Companies', [
    { companyName: 'Ingram Micro', companyType: 7, phone: '+1 714 566 1000', ownerResourceID: user.resourceId, isActive: true },
    { companyName: 'Contoso Ltd', companyType: 1, phone: '+1 425 555 0100', ownerResourceID: user.resourceId, isActive: true, address1: '1 Microsoft Way', city: 'Redmond', state: 'WA', postalCode: '98052', countryID: 237 },
  ]);
  const [billingCodeId] = autotask.seed('BillingCodes', [
    { name: 'Hardware', description: 'Hardware sold through the distributor', useType: 2, isActive: true, unitCost: 0, unitPrice: 0 },
    { name: 'Remote Support', useType: 1, isActive: true },
  ]);
  const settings = ingram.adapterSettings();
  return {
    autotask,
    ingram,
    vendorCompanyId,
    customerCompanyId,
    billingCodeId,
    connectRequest: (connectorId, extra = {}) => ({
      connectorId,
      name: `Sandbox (${connectorId})`,
      email: SANDBOX_AUTOTASK_USER.resourceEmail,
      discoveryUrl: autotask.discoveryUrl,
      autotask: { username: SANDBOX_AUTOTASK_USER.username, secret: SANDBOX_AUTOTASK_USER.secret, integrationCode: SANDBOX_AUTOTASK_USER.integrationCode },
      integrations: [
        {
          id: 'ingram',
          kind: 'ingram',
          settings: { baseUrl: settings.baseUrl, tokenUrl: settings.tokenUrl, customerNumber: settings.customerNumber, countryCode: settings.countryCode },
          secrets: { clientId: settings.clientId, clientSecret: settings.clientSecret },
        },
      ],
      settings: { ...extra, productSync: { ...((extra.productSync as object) ?? {}) } },
    }),
    takeViolations: () => [...autotask.sim.takeViolations(), ...ingram.takeViolations()],
    stop: async () => {
      await Promise.all([autotask.stop(), ingram.stop()]);
    },
  };
}
