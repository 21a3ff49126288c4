// The one failure vocabulary of the engine, shared by vendor clients, activities and workflows.
// Vendor clients classify their answers into a `FailureKind` once; the activity interceptor turns a
// BridgeError into an ApplicationFailure whose `type` is the kind; workflows retry with
// `NON_RETRYABLE_FAILURES`. Pure module: workflows import it.

export const FAILURE_KINDS = [
  'auth',
  'permission',
  'validation',
  'not_found',
  'conflict',
  'rate_limited',
  'transient',
  'outcome_unknown',
  'settings',
  'state',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Kinds that a later attempt cannot fix without someone changing data, settings or credentials. */
export const NON_RETRYABLE_FAILURES: readonly FailureKind[] = ['auth', 'permission', 'validation', 'not_found', 'conflict', 'settings', 'state'];

/** For `proxyActivities({ retry: { nonRetryableErrorTypes } })`. */
export const nonRetryableErrorTypes: string[] = [...NON_RETRYABLE_FAILURES];

export function isRetryableKind(kind: FailureKind): boolean {
  return !NON_RETRYABLE_FAILURES.includes(kind);
}

export interface FieldError {
  field: string;
  message: string;
  value?: string;
}

export interface BridgeErrorOptions {
  /** Where it failed: `autotask`, or the integration (id or kind, e.g. `ingram`). */
  source: string;
  /** The vendor operation, e.g. `POST /resellers/v6/orders` or `POST Products`. */
  operation?: string;
  status?: number;
  /** The vendor's own error code/type. */
  vendorCode?: string;
  correlationId?: string;
  retryAfterMs?: number;
  fieldErrors?: FieldError[];
  /** The vendor's own messages, secrets scrubbed. */
  details?: string[];
  cause?: unknown;
}

/** A classified failure. `message` must never contain a secret; it names vendor, endpoint and reason. */
export class BridgeError extends Error {
  override name = 'BridgeError';
  readonly kind: FailureKind;
  readonly source: string;
  readonly operation?: string;
  readonly status?: number;
  readonly vendorCode?: string;
  readonly correlationId?: string;
  readonly retryAfterMs?: number;
  readonly fieldErrors: FieldError[];
  readonly details: string[];

  constructor(kind: FailureKind, message: string, options: BridgeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.source = options.source;
    this.operation = options.operation;
    this.status = options.status;
    this.vendorCode = options.vendorCode;
    this.correlationId = options.correlationId;
    this.retryAfterMs = options.retryAfterMs;
    this.fieldErrors = options.fieldErrors ?? [];
    this.details = options.details ?? [];
  }

  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }

  /** True when a write may have reached the vendor although no answer came back. */
  get outcomeUnknown(): boolean {
    return this.kind === 'outcome_unknown';
  }

  /** What logs and Temporal failure details carry (no cause: it may hold request options). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      source: this.source,
      message: this.message,
      operation: this.operation,
      status: this.status,
      vendorCode: this.vendorCode,
      correlationId: this.correlationId,
      retryAfterMs: this.retryAfterMs,
      fieldErrors: this.fieldErrors.length ? this.fieldErrors : undefined,
      details: this.details.length ? this.details : undefined,
    };
  }
}

export function isBridgeError(err: unknown): err is BridgeError {
  return err instanceof BridgeError;
}

/** Default kind for an HTTP status when the body says nothing more specific. */
export function kindForStatus(status: number): FailureKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 425 || status >= 500) return 'transient';
  if (status >= 400) return 'validation';
  return 'transient';
}

/** A failure that is not a BridgeError, made one (e.g. a bug or a driver error): transient, bounded by the retry policy. */
export function asBridgeError(err: unknown, source: string, operation?: string): BridgeError {
  if (err instanceof BridgeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BridgeError('transient', `${source}${operation ? ` ${operation}` : ''}: ${message}`, { source, operation, cause: err });
}

/**
 * The operator-facing text of a failed step: what to fix for the kinds where the fix is known
 * (the seeds' "Authentication Failed / Permission Denied / Network Issues"), else the message.
 * `vendor` is the display name of where it failed; `doing` says what the engine was doing.
 */
export function operatorMessage(failure: { kind: string; message: string; source?: string; operation?: string }, vendor: string, doing: string): string {
  const { kind } = failure;
  const message = failure.message.replace(/[.\s]+$/, '');
  if (kind === 'auth') {
    return failure.source === 'autotask'
      ? `Authentication failed: Autotask rejected the API user (${message}). Check UserName, Secret and tracking identifier (ApiIntegrationCode) exactly as generated, with no extra spaces, and that the API user is active.`
      : `Authentication failed at ${vendor}: ${message}. Check the ${vendor} credentials.`;
  }
  if (kind === 'permission') return `Permission denied while ${doing}: ${message}. Give the API user's security level access to it.`;
  if (kind === 'transient' || kind === 'rate_limited' || kind === 'outcome_unknown') return `Network issue while ${doing}: ${message}`;
  // A vendor's own validation answer says what was sent; a check's own finding is already the whole story.
  return failure.operation ? `${doing}: ${message}` : message;
}
