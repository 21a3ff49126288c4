// Maps classified failures to Temporal retry behaviour once, for every activity: the failure's kind
// becomes the ApplicationFailure type (workflows list the non-retryable ones with
// `nonRetryableErrorTypes` from src/failures.ts), a rate limit carries the vendor's retry delay, and
// the details carry source, operation and the vendor's code. Activities never catch just to reclassify.
import { ApplicationFailure, type Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { BridgeError } from '../failures';

export function toApplicationFailure(err: unknown): unknown {
  if (err instanceof BridgeError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.kind,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryable && err.retryAfterMs ? err.retryAfterMs : undefined,
      details: [err.toJSON()],
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
