// `npm run bench -- marketplace-read [--subscriptions 20000] [--adapter cloudblue|pax8]`: reads each
// marketplace's whole event stream from a null cursor through its adapter against its simulator and
// prints requests by endpoint and elapsed time per adapter.
import { runMarketplaceReadBench as cloudblue } from '../src/marketplaces/cloudblue/sim/bench';
import { runMarketplaceReadBench as pax8 } from '../src/marketplaces/pax8/sim/bench';
import { numberArg } from './args';

const ADAPTERS: Record<string, (subscriptions: number) => Promise<object>> = {
  cloudblue: (subscriptions) => cloudblue({ subscriptions }),
  pax8: (subscriptions) => pax8({ subscriptions }),
};

export async function run(args: string[]): Promise<unknown> {
  const subscriptions = numberArg(args, 'subscriptions', 20_000);
  const i = args.indexOf('--adapter');
  const only = i >= 0 ? [args[i + 1]] : Object.keys(ADAPTERS);
  const results: Record<string, object> = {};
  for (const name of only) {
    if (!ADAPTERS[name]) throw new Error(`--adapter is one of ${Object.keys(ADAPTERS).join(', ')}`);
    results[name] = await ADAPTERS[name](subscriptions);
  }
  return { scenario: 'marketplace-read', subscriptions, results };
}
