import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import type { Response } from 'express';
import { CommonErrorCode, DomainError } from '@vpn/contracts';
import { ACCESS_METADATA, type AccessLevel, type Principal, type RequestWithPrincipal } from './access.decorators';
import { ACCESS_TOKEN_STRATEGY, unauthorized } from './access-token.strategy';

/** Failures that are not the token's fault (bus down or slow) keep their own answer (503). */
const PASS_THROUGH: ReadonlySet<string> = new Set([CommonErrorCode.BUS_TIMEOUT, CommonErrorCode.BUS_UNAVAILABLE, CommonErrorCode.SERVICE_UNAVAILABLE]);

/**
 * The global guard. Reads the access level the route's method declares (`@Public()`, `@User()`,
 * `@Admin()`); a method that declares none is refused, whatever its controller says. `@User()` and
 * `@Admin()` routes authenticate through the passport access-token strategy.
 */
@Injectable()
export class AccessGuard extends AuthGuard(ACCESS_TOKEN_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.get<AccessLevel | undefined>(ACCESS_METADATA, context.getHandler());
    if (level === undefined) throw new DomainError(CommonErrorCode.FORBIDDEN, 'this route declares no access level');
    if (level === 'public') return true;
    // A signed-in answer is the user's own (and may carry a token or a conf): never stored by a cache.
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    await super.canActivate(context);
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
    if (level === 'admin' && principal?.role !== 'admin') throw new DomainError(CommonErrorCode.FORBIDDEN, 'admins only');
    return true;
  }

  override getAuthenticateOptions(): IAuthModuleOptions {
    return { session: false, property: 'principal' };
  }

  override handleRequest<T = Principal>(err: unknown, user: T | false, info: unknown): T {
    if (err instanceof DomainError && PASS_THROUGH.has(err.code)) throw err;
    if (info instanceof DomainError && PASS_THROUGH.has(info.code)) throw info;
    if (err || !user) throw err instanceof DomainError && err.code === CommonErrorCode.UNAUTHORIZED ? err : unauthorized(reasonOf(info));
    return user;
  }
}

function reasonOf(info: unknown): string {
  if (info instanceof DomainError) return info.message;
  if (info instanceof Error && info.name === 'TokenExpiredError') return 'token expired';
  return 'a valid access token is required';
}
