// Autotask's answer shapes, shared by the server and the rule modules.
import type { SimResponse } from '../../sim/kit/server';

/** A refusal with Autotask's body `{"errors":[message]}`; thrown by rules and write checks. */
export class SimRejection extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Autotask answers bad input (a missing or dangling reference, a broken business rule) with HTTP 500
 * and `{"errors":["…"]}` (notes/autotask-api.md §7; WYRE-AI/autotask-mcp #46).
 */
export function reject(message: string): SimRejection {
  return new SimRejection(500, message);
}

export function errorsBody(status: number, message: string | string[]): SimResponse {
  return { status, body: { errors: Array.isArray(message) ? message : [message] } };
}

/** IIS/Web API's answer to a method a route does not have (Anteris-Dev/autotask-client #12). */
export function methodNotAllowed(method: string): SimResponse {
  return { status: 405, body: { Message: `The requested resource does not support http method '${method}'.` } };
}
