// The engine's own Prometheus metrics, defined once for the process. Counters only count when
// something feeds them (the request observer, the activity interceptor, the metered limiter), and
// those are attached only when METRICS_PORT is set.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

export const vendorRequests = new Counter({
  name: 'bridge_vendor_requests_total',
  help: 'Requests sent to a vendor API, by vendor (autotask or the integration), endpoint and HTTP status (`error` = no answer).',
  labelNames: ['vendor', 'endpoint', 'status'] as const,
  registers: [registry],
});

export const vendorRequestSeconds = new Histogram({
  name: 'bridge_vendor_request_duration_seconds',
  help: 'Time from sending a vendor request to its answer (or failure).',
  labelNames: ['vendor'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const vendorRetries = new Counter({
  name: 'bridge_vendor_retries_total',
  help: 'Requests repeated inside a client, by vendor and kind of failure (network, server, thread_limit, rate_limit, ...).',
  labelNames: ['vendor', 'kind'] as const,
  registers: [registry],
});

export const autotaskBudgetUsed = new Gauge({
  name: 'bridge_autotask_budget_used',
  help: "Requests the Autotask database has used in its current hour, as last reported by ThresholdInformation (or assumed after a refusal).",
  labelNames: ['database'] as const,
  registers: [registry],
});

export const autotaskBudgetLimit = new Gauge({
  name: 'bridge_autotask_budget_limit',
  help: "The Autotask database's hourly request limit (ThresholdInformation).",
  labelNames: ['database'] as const,
  registers: [registry],
});

export const autotaskBudgetRemaining = new Gauge({
  name: 'bridge_autotask_budget_remaining',
  help: 'Requests left in the Autotask database hour (limit - used), shared with its other integrations.',
  labelNames: ['database'] as const,
  registers: [registry],
});

export const limiterWaitSeconds = new Histogram({
  name: 'bridge_autotask_limiter_wait_seconds',
  help: 'Time an Autotask request waited for a thread slot and budget before it was sent, by endpoint (entity).',
  labelNames: ['endpoint'] as const,
  buckets: [0.001, 0.01, 0.05, 0.25, 1, 5, 15, 60, 300],
  registers: [registry],
});

export const activitySeconds = new Histogram({
  name: 'bridge_activity_duration_seconds',
  help: 'Activity execution time in this worker, by activity type and outcome (ok, failed).',
  labelNames: ['activity', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.25, 1, 5, 15, 60, 300, 1800],
  registers: [registry],
});

export const productSyncRecords = new Counter({
  name: 'bridge_product_sync_records_total',
  help: 'Product Sync records handled by this worker, by outcome (created, updated, unchanged, adopted, quarantined, skipped, deactivated).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
