// Order activities, one file per step: validate → submit (exactly once) → write-back (each poll),
// the scan/sweep that start workflows, and opportunity → PO. Thin over the Autotask client, the
// distributor adapter and the order links; each returns a small summary (PO rows and distributor
// orders never travel through Temporal). Vendor errors are classified by the interceptor;
// activities catch only to look an order up (unknown submit outcome) or to decide something.
import { createOrderContext, type OrderActivityDeps } from './context';
import { opportunityActivities } from './opportunity';
import { scanActivities } from './scan';
import { submitActivities } from './submit';
import { validateActivities } from './validate';
import { writeBackActivities } from './write-back';

export { orderTiming, type OrderActivityDeps, type OrderRef } from './context';
export type { ValidateOrderResult } from './validate';
export type { SubmitOrderOutcome } from './submit';
export type { SyncStatusInput, SyncStatusResult } from './write-back';
export type { LoadOrderResult, StartCounts } from './scan';

export function createOrderActivities(deps: OrderActivityDeps) {
  const ctx = createOrderContext(deps);
  return {
    ...validateActivities(ctx),
    ...submitActivities(ctx),
    ...writeBackActivities(ctx),
    ...scanActivities(ctx),
    ...opportunityActivities(ctx),
  };
}
