// `npm run bench -- marketplace-read [--subscriptions 20000] [--marketplace cloudblue|pax8] [--page-size n] [--no-check-contract]`: reads
// each marketplace's whole event stream from a null cursor through its adapter against its simulator, then once more
// from the cursor after a few changes, and prints requests by endpoint and per event, the per-item calls the vendor's
// spec makes unavoidable (and why), elapsed and CPU time. Both marketplaces unless one is named.
import { runMarketplaceReadBench as cloudblue } from '../src/marketplaces/cloudblue/sim/bench';
import { runMarketplaceReadBench as pax8 } from '../src/marketplaces/pax8/sim/bench';
import { contractChecking, numberArg } from './args';

const MARKETPLACES: Record<string, (subscriptions: number, pageSize: number | undefined, checkContract: boolean) => Promise<object>> = {
  cloudblue: (subscriptions, pageSize, checkContract) => cloudblue({ subscriptions, pageSize, checkContract }),
  pax8: (subscriptions, pageSize, checkContract) => pax8({ subscriptions, pageSize, checkContract }),
};

export async function run(args: string[]): Promise<unknown> {
  const subscriptions = numberArg(args, 'subscriptions', 20_000);
  const pageSize = args.includes('--page-size') ? numberArg(args, 'page-size', 0) : undefined;
  // `--adapter` is the older name of `--marketplace`.
  const i = Math.max(args.indexOf('--marketplace'), args.indexOf('--adapter'));
  const only = i >= 0 ? [args[i + 1]] : Object.keys(MARKETPLACES);
  const results: Record<string, object> = {};
  for (const name of only) {
    if (!MARKETPLACES[name]) throw new Error(`--marketplace is one of ${Object.keys(MARKETPLACES).join(', ')}`);
    results[name] = await MARKETPLACES[name](subscriptions, pageSize, contractChecking(args));
  }
  return { scenario: 'marketplace-read', subscriptions, results };
}
