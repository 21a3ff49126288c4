// An update refused by its validator or failed in its handler surfaces with the workflow's reason,
// not Temporal's generic "Workflow Update failed".
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';

export async function withUpdateReason<T>(run: () => Promise<T>, notFoundMessage?: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new Error((err.cause as Error | undefined)?.message ?? err.message, { cause: err });
    if (notFoundMessage && err instanceof WorkflowNotFoundError) throw new Error(notFoundMessage, { cause: err });
    throw err;
  }
}
