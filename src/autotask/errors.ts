// One error type for every Autotask failure, classified once from status + body. Autotask reports
// validation as HTTP 500, a bad integration code as 500 and the thread limit as 429 or as a message
// under another status, so the status alone is never enough.
export type AutotaskErrorKind =
  | 'auth'
  | 'permission'
  | 'validation'
  | 'not_found'
  | 'thread_limit'
  | 'rate_limit'
  | 'transient'
  | 'zone_moved';

export const AUTOTASK_ERROR_KINDS: readonly AutotaskErrorKind[] = [
  'auth', 'permission', 'validation', 'not_found', 'thread_limit', 'rate_limit', 'transient', 'zone_moved',
];

const RETRYABLE = new Set<AutotaskErrorKind>(['transient', 'thread_limit', 'rate_limit', 'zone_moved']);

/** Whether a later attempt can succeed without someone changing data or settings. */
export function isRetryable(kind: AutotaskErrorKind): boolean {
  return RETRYABLE.has(kind);
}

export interface AutotaskErrorOptions {
  status?: number;
  retryAfterMs?: number;
  /** Field a validation error is about, when known. */
  field?: string;
  /** Autotask's own messages (`errors[]`), secrets scrubbed. */
  details?: string[];
  cause?: unknown;
}

export class AutotaskError extends Error {
  override readonly name = 'AutotaskError';
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly field?: string;
  readonly details: string[];

  constructor(readonly kind: AutotaskErrorKind, message: string, options: AutotaskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.field = options.field;
    this.details = options.details ?? [];
  }

  get retryable(): boolean {
    return isRetryable(this.kind);
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message, status: this.status, retryAfterMs: this.retryAfterMs, field: this.field, details: this.details };
  }
}

const THREAD = /thread threshold|threads? (limit|threshold)|Itgenatr005/i;
const HOURLY = /request threshold|requests? per hour|usage limit|threshold (of \d+ requests|has been reached)/i;
const AUTH = /IntegrationCode is invalid|Zone information could not be determined|user(name)? or (password|secret)|invalid (credentials|user)|not authori[sz]ed|inactive/i;
const PERMISSION = /permission denied|does not have (permission|access)|insufficient (rights|permission)|not allowed to/i;
const NOT_FOUND = /could not be found|does not exist|not found/i;

/** Pulls the messages out of `{"errors":[...]}`, `{"Message":...}` or a bare string. */
export function errorMessages(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim().slice(0, 500)] : [];
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors)) return b.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  for (const key of ['Message', 'message', 'error']) if (typeof b[key] === 'string') return [b[key] as string];
  return [];
}

/**
 * Turns an HTTP answer into an error kind. `zone_moved` is never decided here: the transport
 * re-discovers the zone on `auth` and upgrades the error when the zone really changed.
 */
export function classify(status: number, body: unknown): AutotaskErrorKind {
  const text = errorMessages(body).join(' ');
  if (THREAD.test(text)) return 'thread_limit';
  if (status === 429) return 'rate_limit';
  if (HOURLY.test(text)) return 'rate_limit';
  if (status === 401) return 'auth';
  if (status === 403) return PERMISSION.test(text) || !AUTH.test(text) ? 'permission' : 'auth';
  if (AUTH.test(text)) return 'auth';
  if (PERMISSION.test(text)) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 502 || status === 503 || status === 504) return 'transient';
  if (status === 405 || (status >= 400 && status < 500)) return 'validation';
  if (status >= 500) {
    // Autotask answers bad input with 500 and a message (even "An unexpected error has occurred");
    // a 500 without one is a server fault.
    if (!text || /timeout|temporarily|try again|service unavailable/i.test(text)) return 'transient';
    return NOT_FOUND.test(text) ? 'not_found' : 'validation';
  }
  return 'transient';
}

/** Builds the error for an HTTP answer; messages are scrubbed by the caller. */
export function errorFromResponse(op: string, status: number, body: unknown, retryAfterMs?: number, scrub: (s: string) => string = (s) => s): AutotaskError {
  const kind = classify(status, body);
  const details = errorMessages(body).map(scrub);
  const summary = details.length ? details.join('; ') : `HTTP ${status}`;
  return new AutotaskError(kind, `${op}: ${summary}`.slice(0, 1000), { status, retryAfterMs, details });
}
