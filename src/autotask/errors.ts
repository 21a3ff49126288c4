// One error type for every Autotask failure, classified once from status + body, in the engine's
// failure vocabulary (src/failures.ts) with the finer Autotask cause in `reason`. Autotask reports
// validation as HTTP 500, a bad integration code as 500 and the thread limit as 429 or as a message
// under another status, so the status alone is never enough.
import { BridgeError, isRetryableKind, type FailureKind } from '../failures';

/** What exactly went wrong at Autotask; `kind` is derived from it. */
export type AutotaskReason =
  | FailureKind
  /** 429 "thread threshold of 3 threads has been exceeded" (Itgenatr005): the request did not run. */
  | 'thread_limit'
  /** The database's hourly request budget is used up (ThresholdInformation confirms it), or ours is. */
  | 'hourly_budget'
  /** A 429 that is neither of the above. */
  | 'rate_limit'
  /** The API user now lives in another zone (a nextPageUrl of the old zone was followed). */
  | 'zone_moved'
  /** A 5xx that says nothing of the input (empty, HTML, "An unexpected error has occurred"). */
  | 'server_error'
  /** No answer: reset, timeout, refused. */
  | 'network'
  /** A write was sent and no answer came: it may or may not have happened. */
  | 'answer_lost'
  /** A 2xx whose body is not what the spec says. */
  | 'unexpected_response';

const KIND_OF: Partial<Record<AutotaskReason, FailureKind>> = {
  thread_limit: 'rate_limited',
  hourly_budget: 'rate_limited',
  rate_limit: 'rate_limited',
  zone_moved: 'transient',
  server_error: 'transient',
  network: 'transient',
  answer_lost: 'outcome_unknown',
  unexpected_response: 'transient',
};

export function kindOf(reason: AutotaskReason): FailureKind {
  return KIND_OF[reason] ?? (reason as FailureKind);
}

/** @deprecated name kept for callers: the engine kind of an Autotask error. */
export type AutotaskErrorKind = FailureKind;

/** Whether a later attempt can succeed without someone changing data or settings. */
export function isRetryable(kindOrReason: AutotaskReason): boolean {
  return isRetryableKind(kindOf(kindOrReason));
}

export interface AutotaskErrorOptions {
  /** The request, e.g. `POST Products` or `GET Products/query/next`. */
  operation?: string;
  status?: number;
  retryAfterMs?: number;
  /** Field a validation error is about, when known. */
  field?: string;
  /** Autotask's own messages (`errors[]`), secrets scrubbed. */
  details?: string[];
  cause?: unknown;
}

export class AutotaskError extends BridgeError {
  override name = 'AutotaskError';
  readonly reason: AutotaskReason;
  readonly field?: string;

  /** `reason` is an engine kind or a finer Autotask cause (`thread_limit`, `zone_moved`, …). */
  constructor(reason: AutotaskReason, message: string, options: AutotaskErrorOptions = {}) {
    super(kindOf(reason), /^Autotask\b/.test(message) ? message : `Autotask ${message}`, {
      source: 'autotask',
      operation: options.operation,
      status: options.status,
      retryAfterMs: options.retryAfterMs,
      details: options.details,
      fieldErrors: options.field ? [{ field: options.field, message }] : undefined,
      cause: options.cause,
    });
    this.reason = reason;
    this.field = options.field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, field: this.field, fieldErrors: undefined };
  }
}

const THREAD = /thread threshold|threads? (limit|threshold)|Itgenatr005/i;
const HOURLY = /request threshold|requests? per hour|usage limit|threshold (of \d+ requests|has been reached)/i;
const AUTH = /IntegrationCode is invalid|Zone information could not be determined|user(name)? or (password|secret)|invalid (credentials|user)|not authori[sz]ed|authorization has been denied|inactive (user|resource|account)/i;
const PERMISSION = /permission denied|does not have (permission|access)|insufficient (rights|permission)|not allowed to|security level/i;
const NOT_FOUND = /could not be found|was not found|not found\b/i;
/**
 * What Autotask's 500s say about bad input. Real messages: "Value does not reference an existing
 * entity for taskType" (WYRE-AI/autotask-mcp #46), "Missing required field(s): …", "Attempt to insert
 * duplicate data into contract_service_period" (notes/contracts-and-marketplaces.md), "IntegrationCode
 * is invalid." (apigrate/autotask-restapi README), "… is not a valid value …", "Unable to find … in the
 * … entity." A 500 that says none of this ("An unexpected error has occurred. Error ID: …" alone, an
 * empty body, an HTML error page) is a server fault and transient.
 */
const VALIDATION = new RegExp([
  'required', 'invalid', 'not (a )?valid', 'does not (reference|exist|match|support|accept|belong)', 'doesn.t exist', 'duplicate', 'already',
  'must (be|not|have|contain|match)', 'cannot', 'can not', 'can.t be', 'exceed', 'maximum (length|of)', 'too long', 'not allowed', 'read-?only',
  'unable to find', 'no such', 'pick ?list', 'out of range', 'greater than', 'less than', 'between', 'missing', 'not supported', 'only one',
  'at least', 'reference', 'mismatch', 'is inactive', 'not active', 'field', 'parameter', 'operator', 'filter', 'value', 'id is',
].join('|'), 'i');
const UNEXPECTED_ONLY = /^\s*an unexpected error has occurred[.!]?\s*(error id:?\s*[\w-]+\.?)?\s*$/i;

/** Pulls the messages out of `{"errors":[...]}`, `{"Message":...}` or a bare string. */
export function errorMessages(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim().slice(0, 500)] : [];
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  const list = Array.isArray(b.errors) ? b.errors : Array.isArray(b.Errors) ? b.Errors : undefined;
  if (list) return list.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  for (const key of ['Message', 'message', 'error']) if (typeof b[key] === 'string') return [b[key] as string];
  return [];
}

function isHtml(body: unknown): boolean {
  return typeof body === 'string' && /^\s*</.test(body);
}

/** Whether a 5xx's messages describe bad input (validation) rather than a server fault. */
export function describesBadInput(messages: string[]): boolean {
  const meaningful = messages.filter((m) => !UNEXPECTED_ONLY.test(m));
  return meaningful.some((m) => VALIDATION.test(m.replace(/an unexpected error has occurred\.?/i, '')));
}

/**
 * Turns an HTTP answer into a reason. `zone_moved` is never decided here: the transport
 * re-discovers the zone on `auth` and upgrades the error when the zone really changed.
 */
export function classify(status: number, body: unknown): AutotaskReason {
  const messages = isHtml(body) ? [] : errorMessages(body);
  const text = messages.join(' ');
  if (THREAD.test(text)) return 'thread_limit';
  if (HOURLY.test(text)) return 'hourly_budget';
  if (status === 429) return 'rate_limit';
  if (status === 401) return 'auth';
  if (status === 403) return PERMISSION.test(text) || !AUTH.test(text) ? 'permission' : 'auth';
  if (AUTH.test(text)) return 'auth';
  if (PERMISSION.test(text)) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 502 || status === 503 || status === 504) return 'server_error';
  if (status === 405 || (status >= 400 && status < 500)) return 'validation';
  if (status >= 500) {
    if (!describesBadInput(messages)) return 'server_error';
    return NOT_FOUND.test(text) ? 'not_found' : 'validation';
  }
  return 'unexpected_response';
}

const REASON_TEXT: Partial<Record<AutotaskReason, string>> = {
  thread_limit: 'thread limit',
  hourly_budget: 'hourly request limit',
  rate_limit: 'rate limited',
  server_error: 'server error',
  not_found: 'not found',
};

/** Builds the error for an HTTP answer; messages are scrubbed by the caller. */
export function errorFromResponse(op: string, status: number, body: unknown, retryAfterMs?: number, scrub: (s: string) => string = (s) => s): AutotaskError {
  const reason = classify(status, body);
  const details = (isHtml(body) ? ['(HTML error page)'] : errorMessages(body)).map(scrub);
  const summary = details.length ? details.join('; ') : 'no message';
  return new AutotaskError(reason, `Autotask ${op} failed (HTTP ${status}, ${REASON_TEXT[reason] ?? reason}): ${summary}`.slice(0, 1000), { operation: op, status, retryAfterMs, details });
}
