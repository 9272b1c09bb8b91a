import pino, { type Logger } from 'pino';
import type { LogLevel } from './platform-config';

export type { Logger } from 'pino';

/** Paths that may carry secrets anywhere in a log object; pino replaces them. */
export const REDACTED_PATHS = [
  'password', '*.password', 'privateKey', '*.privateKey', 'presharedKey', '*.presharedKey',
  'refreshToken', '*.refreshToken', 'accessToken', '*.accessToken', 'token', '*.token', 'stdin', '*.stdin',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  'conf', '*.conf',
];

export function createLogger(opts: { level: LogLevel; name: string }): Logger {
  return pino({
    name: opts.name,
    level: opts.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: opts.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
