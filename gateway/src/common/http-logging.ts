import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@vpn/runtime';

export const REQUEST_ID_HEADER = 'x-request-id';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UNLOGGED = new Set(['/metrics', '/api/health']);

/** The caller's X-Request-Id when it is sane, else a new one; echoed on the response. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && VALID_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One log line per request when it ends: 5xx as error, 4xx as warn, the rest as info (so at the
 * default level a quiet gateway logs only what went wrong). Only the method, the path without its
 * query string, the status, the time and the request id are written: never headers, bodies or
 * tokens. Nothing is built for a line the logger's level would drop.
 */
export function httpLogging(logger: Logger) {
  // `ip` is Express's client address: the socket's, or X-Forwarded-For's when TRUST_PROXY trusts the sender.
  return (req: IncomingMessage & { id?: string; ip?: string }, res: ServerResponse, next: () => void): void => {
    req.id = requestIdOf(req, res);
    const path = (req.url ?? '').split('?')[0];
    if (UNLOGGED.has(path)) return next();
    const started = performance.now();
    let finished = false;
    res.once('finish', () => {
      finished = true;
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({
        req: { id: req.id, method: req.method, url: path, remoteAddress: req.ip ?? req.socket.remoteAddress },
        res: { statusCode: status }, responseTime: Math.round(performance.now() - started),
      }, 'request completed');
    });
    res.once('close', () => {
      if (finished || !logger.isLevelEnabled('warn')) return;
      logger.warn({ req: { id: req.id, method: req.method, url: path }, responseTime: Math.round(performance.now() - started) }, 'request aborted');
    });
    next();
  };
}
