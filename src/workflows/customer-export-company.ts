// One company's webhook events, coalesced: the receiver signals-with-start this workflow for every
// event, and it exports once the events stop for `quietMs` (or `maxWaitMs` after the first), so a
// burst of 50 updates is one read and at most one document. Events that arrive during the export
// make one more round; then the workflow ends, and the next event starts a new one.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nonRetryableErrorTypes } from '../failures';
import { companyChangedSignal, type CompanyExportInput, type CompanyExportResult } from './messages/export';

const act = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
});

export async function customerExportCompanyWorkflow(input: CompanyExportInput): Promise<CompanyExportResult> {
  const quietMs = input.quietMs ?? 2_000;
  const maxWaitMs = input.maxWaitMs ?? 30_000;
  let events = 0;
  setHandler(companyChangedSignal, () => {
    events++;
  });
  let handled = 0;
  let exports = 0;
  // Started by signal-with-start, the first event is already here; started bare, wait briefly for one.
  if (!(await condition(() => events > 0, maxWaitMs))) return { events, exports };
  while (events > handled) {
    const first = Date.now();
    for (;;) {
      const seen = events;
      const more = await condition(() => events !== seen, quietMs);
      if (!more || Date.now() - first >= maxWaitMs) break;
    }
    handled = events;
    await act.exportCompany({ connectorId: input.connectorId, integrationId: input.integrationId, companyId: input.companyId });
    exports++;
  }
  return { events, exports };
}
