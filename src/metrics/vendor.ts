// Vendor requests and retries, fed by the one request observer every client already reports to.
import { requestObserver } from '../http/observe';
import { vendorRequestSeconds, vendorRequests, vendorRetries } from './registry';

/**
 * `GET Products/123?x=1` → `GET Products/{id}`: ids, order numbers and query strings would make one
 * series per record. A path segment with a digit is an id unless it is an API version (`v6`, `v1.0`).
 */
export function endpointLabel(operation: string): string {
  const [head] = operation.split('?');
  const space = head.indexOf(' ');
  const method = space > 0 ? head.slice(0, space + 1) : '';
  const path = head.slice(method.length)
    .split('/')
    .map((segment) => (/\d/.test(segment) && !/^v\d+(\.\d+)*$/i.test(segment) ? '{id}' : segment))
    .join('/');
  return method + path;
}

/** Starts counting; returns the function that stops it. */
export function observeVendorRequests(): () => void {
  return requestObserver.subscribe({
    request: (e) => {
      vendorRequests.inc({ vendor: e.vendor, endpoint: endpointLabel(e.operation), status: String(e.status) });
      vendorRequestSeconds.observe({ vendor: e.vendor }, e.ms / 1000);
    },
    retry: (e) => vendorRetries.inc({ vendor: e.vendor, kind: e.kind }),
  });
}
