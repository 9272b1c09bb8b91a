import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CommonErrorCode, DomainError } from '@vpn/contracts';
import { ACCESS_METADATA, type AccessLevel, type RequestWithPrincipal } from './access.decorators';
import { AccessTokenVerifier } from './access-token.verifier';

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return m ? m[1] : null;
}

/**
 * The global guard. Reads the access level the route's method declares (`@Public()`, `@User()`,
 * `@Admin()`); a method that declares none is refused, whatever its controller says.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.get<AccessLevel | undefined>(ACCESS_METADATA, context.getHandler());
    if (level === undefined) throw new DomainError(CommonErrorCode.FORBIDDEN, 'this route declares no access level');
    if (level === 'public') return true;
    const req = context.switchToHttp().getRequest<Request & RequestWithPrincipal>();
    const token = bearerToken(req);
    if (!token) throw new DomainError(CommonErrorCode.UNAUTHORIZED, 'an access token is required');
    const principal = await this.verifier.verify(token);
    req.principal = principal;
    if (level === 'admin' && principal.role !== 'admin') throw new DomainError(CommonErrorCode.FORBIDDEN, 'admins only');
    return true;
  }
}
