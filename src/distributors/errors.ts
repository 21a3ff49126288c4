// One error type for every distributor adapter. Each adapter classifies its vendor's failures
// into a `kind` exactly once (in its client); the Temporal activity interceptor maps kinds to
// retryable / non-retryable failures with `isRetryable` and uses `retryAfterMs` as the next delay.

export type DistributorErrorKind =
  | 'auth'
  | 'rate_limited'
  | 'validation'
  | 'not_found'
  | 'duplicate'
  | 'transient'
  | 'permanent';

export interface FieldError {
  field: string;
  message: string;
  value?: string;
}

export interface DistributorErrorOptions {
  kind: DistributorErrorKind;
  /** Adapter kind, e.g. `ingram`. */
  distributor: string;
  status?: number;
  /** The vendor's own error code/type (e.g. Ingram `errors[0].type`, Apigee `errorcode`). */
  vendorCode?: string;
  /** The correlation id sent with (or returned for) the failing request. */
  correlationId?: string;
  retryAfterMs?: number;
  fieldErrors?: FieldError[];
  /**
   * True when a write may have reached the vendor although no answer came back (timeout, reset).
   * The caller must look the write up (e.g. `findOrderByPo`) before repeating it.
   */
  outcomeUnknown?: boolean;
  /** The operation that failed, e.g. `POST /resellers/v6/orders`. */
  operation?: string;
  cause?: unknown;
}

const RETRYABLE: Record<DistributorErrorKind, boolean> = {
  auth: false,
  rate_limited: true,
  validation: false,
  not_found: false,
  duplicate: false,
  transient: true,
  permanent: false,
};

/** Whether a failure of this kind may succeed when simply tried again later. */
export function isRetryable(kind: DistributorErrorKind): boolean {
  return RETRYABLE[kind];
}

export class DistributorError extends Error {
  override readonly name = 'DistributorError';
  readonly kind: DistributorErrorKind;
  readonly distributor: string;
  readonly status?: number;
  readonly vendorCode?: string;
  readonly correlationId?: string;
  readonly retryAfterMs?: number;
  readonly fieldErrors: FieldError[];
  readonly outcomeUnknown: boolean;
  readonly operation?: string;

  /** `message` must never contain a secret; callers build it from vendor messages and ids only. */
  constructor(message: string, options: DistributorErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.distributor = options.distributor;
    this.status = options.status;
    this.vendorCode = options.vendorCode;
    this.correlationId = options.correlationId;
    this.retryAfterMs = options.retryAfterMs;
    this.fieldErrors = options.fieldErrors ?? [];
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.operation = options.operation;
  }

  get retryable(): boolean {
    return isRetryable(this.kind);
  }

  /** What a log line or a Temporal failure's details should carry (no cause: it may hold request options). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      distributor: this.distributor,
      status: this.status,
      vendorCode: this.vendorCode,
      correlationId: this.correlationId,
      retryAfterMs: this.retryAfterMs,
      fieldErrors: this.fieldErrors.length ? this.fieldErrors : undefined,
      outcomeUnknown: this.outcomeUnknown || undefined,
      operation: this.operation,
    };
  }
}

export function isDistributorError(err: unknown): err is DistributorError {
  return err instanceof DistributorError;
}

/** Default kind for an HTTP status when the body says nothing more specific. */
export function kindForStatus(status: number): DistributorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'duplicate';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 425 || status >= 500) return 'transient';
  if (status === 400 || status === 422) return 'validation';
  return 'permanent';
}
