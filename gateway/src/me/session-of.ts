import type { Request } from 'express';
import { isUuid } from '@vpn/contracts';
import { bearerToken } from '../common';

/**
 * The session (`sid` claim) of the request's access token. Read only on `@User()` routes, after the
 * access guard has verified the token's signature and claims, so decoding its payload is enough.
 */
export function sessionOf(req: Request): string | undefined {
  const token = bearerToken(req);
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const sid: unknown = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sid?: unknown }).sid;
    return typeof sid === 'string' && isUuid(sid) ? sid : undefined;
  } catch {
    return undefined;
  }
}
