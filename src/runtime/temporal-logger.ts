// Routes the Temporal SDK's own logs through our pino logger (and its redaction), at warn by default,
// and turns on the SDK's Prometheus exporter when asked (TEMPORAL_METRICS_PORT): the Runtime is
// installed once per process, so both are set here.
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import { logger } from '../logging';

let installed = false;

export function installTemporalLogger(level: LogLevel = (process.env.TEMPORAL_LOG_LEVEL as LogLevel) ?? 'WARN', options: { metricsPort?: number } = {}): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: l, message, meta }) => {
        const method = l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : l === 'INFO' ? 'info' : 'debug';
        logger[method](meta ?? {}, message);
      }),
      telemetryOptions: {
        // The SDK core's (Rust) own lines too: by default they go straight to stdout, past our redaction.
        logging: { forward: {}, filter: makeTelemetryFilterString({ core: level, other: 'ERROR' }) },
        ...(options.metricsPort ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.metricsPort}` } } } : {}),
      },
    });
  } catch (err) {
    // Anything but "already created" (e.g. by a test harness, whose logger we keep) is real, such as a taken port.
    if (!(err instanceof IllegalStateError)) throw err;
    if (options.metricsPort) logger.warn(`Temporal SDK metrics are off: the Temporal Runtime was created before TEMPORAL_METRICS_PORT (${options.metricsPort}) could be applied`);
  }
}
