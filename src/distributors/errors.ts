// The distributor flavour of the engine's one failure vocabulary (src/failures.ts). Each adapter
// classifies its vendor's failures into a FailureKind exactly once (in its client's `classify`);
// the activity interceptor maps kinds to retryable / non-retryable failures and uses
// `retryAfterMs` as the next delay. Kinds a distributor produces:
//   auth, permission, validation, not_found, conflict (the order already exists), rate_limited,
//   transient, outcome_unknown (a write got no answer: look it up before repeating it), state
//   (the vendor refuses in the record's current state, e.g. a cancel after release), settings.
import { BridgeError, isBridgeError, isRetryableKind, kindForStatus, type BridgeErrorOptions, type FailureKind, type FieldError } from '../failures';

export type DistributorErrorKind = FailureKind;
export type { FieldError };
export { kindForStatus };

export interface DistributorErrorOptions extends Omit<BridgeErrorOptions, 'source'> {
  kind: FailureKind;
  /** Integration id or kind, e.g. `ingram` (the failure's `source`). */
  distributor: string;
}

/** Whether a failure of this kind may succeed when simply tried again later. */
export function isRetryable(kind: FailureKind): boolean {
  return isRetryableKind(kind);
}

export class DistributorError extends BridgeError {
  override name = 'DistributorError';

  /** `message` must never contain a secret; callers build it from vendor messages and ids only. */
  constructor(message: string, options: DistributorErrorOptions) {
    const { kind, distributor, ...rest } = options;
    super(kind, message, { ...rest, source: distributor });
  }

  /** The integration that failed (same as `source`). */
  get distributor(): string {
    return this.source;
  }

  /** A classified BridgeError from the shared HTTP base, as a DistributorError (same fields). */
  static from(err: BridgeError): DistributorError {
    if (err instanceof DistributorError) return err;
    const copy = new DistributorError(err.message, {
      kind: err.kind, distributor: err.source, operation: err.operation, status: err.status, vendorCode: err.vendorCode,
      correlationId: err.correlationId, retryAfterMs: err.retryAfterMs, fieldErrors: err.fieldErrors, details: err.details,
      cause: err.cause,
    });
    if (err.stack) copy.stack = err.stack;
    return copy;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), distributor: this.source, outcomeUnknown: this.outcomeUnknown || undefined };
  }
}

export function isDistributorError(err: unknown): err is DistributorError {
  return err instanceof DistributorError;
}

/** Any error as a DistributorError when it is a classified BridgeError; anything else unchanged. */
export function asDistributorError(err: unknown): unknown {
  return isBridgeError(err) ? DistributorError.from(err) : err;
}
