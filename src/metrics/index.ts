// Prometheus metrics of the worker process (METRICS_PORT); see README "Production".
export { metricsInterceptors } from './activities';
export { meteredLimiter } from './limiter';
export { startMetricsServer, type MetricsServer } from './server';
