// How the simulated Autotask stores date-times: UTC, no offset, milliseconds
// (`2016-03-30T13:10:35.563`, as returned in apigrate/autotask-restapi's README and documented by
// aybouzaglou/autotask-rest-api-types). A value sent with an offset is converted to UTC; one sent
// without is taken as UTC (the API "intakes calls in UTC": seanmacey/AutoTaskRest README quoting
// Autotask's docs); a date alone is midnight.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** The stored form, or undefined when `value` is not a date-time Autotask accepts. */
export function simDateTime(value: string): string | undefined {
  if (DATE_ONLY.test(value)) value = `${value}T00:00:00`;
  if (!DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(HAS_OFFSET.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 23);
}

export function simNow(): string {
  return new Date().toISOString().slice(0, 23);
}

/** The spec's `date-time` as Autotask really writes it (with or without offset, or a date alone). */
export const AUTOTASK_DATE_TIME_FORMAT = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?([Zz]|[+-]\\d{2}:?\\d{2})?)?$';
