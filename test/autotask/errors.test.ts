import { AutotaskError, classify, errorFromResponse, isRetryable } from '../../src/autotask/errors';
import { BridgeError } from '../../src/failures';

describe('classify', () => {
  it.each([
    [401, undefined, 'auth'],
    [401, { errors: ['Authorization has been denied for this request.'] }, 'auth'],
    [500, { errors: ['IntegrationCode is invalid.'] }, 'auth'],
    [500, { errors: ['Zone information could not be determined'] }, 'auth'],
    [403, { errors: ['Permission Denied'] }, 'permission'],
    [500, { errors: ['Missing required field(s): name.'] }, 'validation'],
    [500, { errors: ['Value does not reference an existing entity for taskType'] }, 'validation'],
    [500, { errors: ['Attempt to insert duplicate data into contract_service_period'] }, 'validation'],
    [500, { errors: ['An unexpected error has occurred. Error ID: 1166', 'quantity must be greater than 0'] }, 'validation'],
    // Says nothing of the input: a server fault, retried.
    [500, { errors: ['An unexpected error has occurred. Error ID: 1166'] }, 'server_error'],
    [500, { errors: ['An unexpected error has occurred.'] }, 'server_error'],
    [500, '<!DOCTYPE html><html><body>Server Error in \'/\' Application. Invalid object name.</body></html>', 'server_error'],
    [500, undefined, 'server_error'],
    [503, undefined, 'server_error'],
    [502, { errors: ['Bad Gateway'] }, 'server_error'],
    [404, { errors: ['Products with id 9 could not be found.'] }, 'not_found'],
    [429, { errors: ['the thread threshold of 3 threads has been exceeded'] }, 'thread_limit'],
    [500, { errors: ['Request denied: thread threshold of 3 threads has been exceeded'] }, 'thread_limit'],
    [429, { errors: ['API request threshold of 10000 requests per hour has been exceeded'] }, 'hourly_budget'],
    [429, undefined, 'rate_limit'],
    [405, { Message: "The requested resource does not support http method 'GET'." }, 'validation'],
  ])('%i %j -> %s', (status, body, reason) => {
    expect(classify(status, body)).toBe(reason);
  });

  it('maps reasons onto the engine vocabulary; only transient kinds are retryable', () => {
    const kinds = (['thread_limit', 'hourly_budget', 'rate_limit', 'zone_moved', 'server_error', 'network', 'answer_lost'] as const)
      .map((r) => new AutotaskError(r, 'x').kind);
    expect(kinds).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'transient', 'transient', 'transient', 'outcome_unknown']);
    expect(['transient', 'thread_limit', 'hourly_budget', 'zone_moved', 'answer_lost'].every((k) => isRetryable(k as never))).toBe(true);
    expect(['auth', 'permission', 'validation', 'not_found'].some((k) => isRetryable(k as never))).toBe(false);
  });

  it('is a BridgeError from source autotask that names vendor, endpoint and reason, and keeps status, details and retryAfterMs', () => {
    const err = errorFromResponse('POST Products', 500, { errors: ['Missing required field(s): name.'] }, 1500);
    expect(err).toBeInstanceOf(AutotaskError);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ kind: 'validation', reason: 'validation', source: 'autotask', operation: 'POST Products', status: 500, retryAfterMs: 1500, details: ['Missing required field(s): name.'], retryable: false });
    expect(err.message).toBe('Autotask POST Products failed (HTTP 500, validation): Missing required field(s): name.');
    const json = JSON.parse(JSON.stringify(err));
    expect(json).toMatchObject({ name: 'AutotaskError', kind: 'validation', reason: 'validation', source: 'autotask', operation: 'POST Products', status: 500, details: ['Missing required field(s): name.'] });
    const limited = errorFromResponse('GET Products/query', 429, { errors: ['thread threshold of 3 threads has been exceeded'] });
    expect(limited.message).toMatch(/^Autotask GET Products\/query failed \(HTTP 429, thread limit\)/);
  });
});
