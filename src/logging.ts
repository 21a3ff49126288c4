// One pino logger for the engine. JSON by default, pretty in a TTY; credentials are redacted
// wherever they appear (headers, options, error objects), whatever their capitalisation.
import pino, { type Logger } from 'pino';

/** Keys whose values are never written to a log line. */
export const SECRET_KEYS = [
  'UserName', 'userName', 'username', 'Secret', 'secret', 'ApiIntegrationCode', 'apiIntegrationCode',
  'integrationCode', 'Authorization', 'authorization', 'password', 'Password', 'token', 'accessToken',
  'access_token', 'refreshToken', 'refresh_token', 'clientSecret', 'client_secret', 'apiKey', 'api_key',
  'apiintegrationcode', 'credentials', 'encryptionKey',
];

const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`, `headers["${k.toLowerCase()}"]`, `*.headers["${k.toLowerCase()}"]`]);

export function createLogger(options: { level?: string; name?: string; pretty?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const pretty = !options.destination && (options.pretty ?? (process.stdout.isTTY && process.env.LOG_FORMAT !== 'json'));
  const config: pino.LoggerOptions = {
    name: options.name ?? 'autotask-bridge',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

// `LOG_DESTINATION=stderr` keeps stdout for a command's own output (the benches print JSON there).
export const logger: Logger = createLogger(process.env.LOG_DESTINATION === 'stderr' ? { destination: pino.destination(2) } : {});
export type { Logger };
