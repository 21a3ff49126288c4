// Where vendor requests are reported, once, for metrics and benchmarks: clients call `observe`
// and `retry`; whoever cares (the metrics module, a benchmark) subscribes. No listener, no cost.
export interface RequestEvent {
  /** `autotask` or the integration (id or kind). */
  vendor: string;
  operation: string;
  /** HTTP status, or `error` when no answer came. */
  status: number | 'error';
  ms: number;
}

export interface RetryEvent {
  vendor: string;
  kind: string;
}

export interface RequestListener {
  request?(event: RequestEvent): void;
  retry?(event: RetryEvent): void;
}

class RequestObserver {
  private readonly listeners = new Set<RequestListener>();

  subscribe(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  observe(event: RequestEvent): void {
    for (const l of this.listeners) l.request?.(event);
  }

  retry(event: RetryEvent): void {
    for (const l of this.listeners) l.retry?.(event);
  }
}

export const requestObserver = new RequestObserver();
