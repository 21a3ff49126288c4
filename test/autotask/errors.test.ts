import { AutotaskError, classify, errorFromResponse, isRetryable } from '../../src/autotask/errors';

describe('classify', () => {
  it.each([
    [401, undefined, 'auth'],
    [401, { errors: ['Authorization has been denied for this request.'] }, 'auth'],
    [500, { errors: ['IntegrationCode is invalid.'] }, 'auth'],
    [500, { errors: ['Zone information could not be determined'] }, 'auth'],
    [403, { errors: ['Permission Denied'] }, 'permission'],
    [500, { errors: ['Missing required field(s): name.'] }, 'validation'],
    [500, { errors: ['An unexpected error has occurred. Error ID: 1166'] }, 'validation'],
    [500, { errors: ['Value does not reference an existing entity for taskType'] }, 'validation'],
    [500, undefined, 'transient'],
    [503, undefined, 'transient'],
    [404, { errors: ['Products with id 9 could not be found.'] }, 'not_found'],
    [429, { errors: ['the thread threshold of 3 threads has been exceeded'] }, 'thread_limit'],
    [500, { errors: ['Request denied: thread threshold of 3 threads has been exceeded'] }, 'thread_limit'],
    [429, { errors: ['API request threshold of 10000 requests per hour has been exceeded'] }, 'rate_limit'],
    [429, undefined, 'rate_limit'],
    [405, { Message: "The requested resource does not support http method 'GET'." }, 'validation'],
  ])('%i %j -> %s', (status, body, kind) => {
    expect(classify(status, body)).toBe(kind);
  });

  it('marks only transient kinds retryable', () => {
    expect(['transient', 'thread_limit', 'rate_limit', 'zone_moved'].every((k) => isRetryable(k as never))).toBe(true);
    expect(['auth', 'permission', 'validation', 'not_found'].some((k) => isRetryable(k as never))).toBe(false);
  });

  it('keeps status, details and retryAfterMs', () => {
    const err = errorFromResponse('POST Products', 500, { errors: ['Missing required field(s): name.'] }, 1500);
    expect(err).toBeInstanceOf(AutotaskError);
    expect(err).toMatchObject({ kind: 'validation', status: 500, retryAfterMs: 1500, details: ['Missing required field(s): name.'] });
    expect(err.message).toContain('POST Products');
  });
});
