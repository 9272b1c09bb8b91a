import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

const directives = { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] };

/** Over https: helmet's defaults, which make browsers keep using https (HSTS, upgrade-insecure-requests). */
const overHttps = helmet({ contentSecurityPolicy: { directives } });
/** Over plain http those two would send the browser to an https that is not there: a blank page. */
const overHttp = helmet({
  contentSecurityPolicy: { directives: { ...directives, 'upgrade-insecure-requests': null } },
  strictTransportSecurity: false,
});

/**
 * Security headers chosen per request: `req.secure` is true for TLS on this socket, or when a
 * trusted proxy (TRUST_PROXY) says the client used https.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  (req.secure ? overHttps : overHttp)(req, res, next);
}
