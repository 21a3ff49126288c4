// Routes the Temporal SDK's own logs through our pino logger (and its redaction), at warn by default.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { logger } from '../logging';

let installed = false;

export function installTemporalLogger(level: LogLevel = (process.env.TEMPORAL_LOG_LEVEL as LogLevel) ?? 'WARN'): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: l, message, meta }) => {
        const method = l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : l === 'INFO' ? 'info' : 'debug';
        logger[method](meta ?? {}, message);
      }),
    });
  } catch {
    /* the Runtime was already created (e.g. by a test harness); keep its logger */
  }
}
