// Autotask date-times are UTC without an offset: `yyyy-mm-ddThh:mm:ss.sss` (returned that way, e.g.
// "createDate": "2016-03-30T13:10:35.563" in apigrate/autotask-restapi's README; aybouzaglou/
// autotask-rest-api-types documents "UTC, no Z/offset"; SergLGP/AutotaskRestAPI 26e6d31 sends them
// so after converting to UTC). Date-only fields (a contract's start date) are sent as the date.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** A Date or an ISO 8601 string with any offset, as Autotask wants it: UTC, no offset, milliseconds. */
export function toAutotaskDateTime(value: Date | string): string {
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value;
  const date = typeof value === 'string' ? new Date(HAS_OFFSET.test(value) ? value : `${value}Z`) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date-time: ${String(value)}`);
  return date.toISOString().slice(0, 23);
}

/** Reads an Autotask date-time (no offset = UTC) or any ISO 8601 value; null stays null. */
export function fromAutotaskDateTime(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (DATE_ONLY.test(value)) return new Date(`${value}T00:00:00Z`);
  return new Date(HAS_OFFSET.test(value) ? value : `${value}Z`);
}

/** Converts the date-time values of a write body (Date objects, ISO strings with offsets) to Autotask's form. */
export function toAutotaskDates<T extends Record<string, unknown>>(body: T): T {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(body)) {
    let next: unknown = v;
    if (v instanceof Date) next = toAutotaskDateTime(v);
    else if (typeof v === 'string' && DATE_TIME.test(v)) next = toAutotaskDateTime(v);
    if (next !== v) (out ??= { ...body })[k] = next;
  }
  return (out ?? body) as T;
}
