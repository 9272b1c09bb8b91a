import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = '/api/auth';

function options(req: Request, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, secure: req.secure, ...(expires ? { expires } : {}) };
}

/** httpOnly, SameSite=Strict, scoped to /api/auth, Secure when the request came over https. */
export function setRefreshCookie(req: Request, res: Response, token: string, expiresAt: string): void {
  res.cookie(REFRESH_COOKIE, token, options(req, new Date(expiresAt)));
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, options(req));
}

export function refreshCookieOf(req: Request): string | null {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : null;
}
