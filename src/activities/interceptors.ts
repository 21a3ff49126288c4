// Maps vendor errors to Temporal retry behaviour once, for every activity: permanent kinds become
// non-retryable ApplicationFailures (type = kind), rate limits carry the vendor's retry delay.
// Activities never catch just to reclassify.
import { ApplicationFailure, type Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { AutotaskError } from '../autotask/errors';
import { DistributorError } from '../distributors/errors';

export function toApplicationFailure(err: unknown): unknown {
  if (err instanceof AutotaskError || err instanceof DistributorError) {
    const retryAfterMs = err.retryAfterMs;
    return ApplicationFailure.create({
      message: err.message,
      type: err.kind,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryable && retryAfterMs ? retryAfterMs : undefined,
      cause: err,
    });
  }
  return err;
}

export class ErrorClassifyingInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  }
}

export const activityInterceptors = (_ctx: Context) => ({ inbound: new ErrorClassifyingInterceptor() });
