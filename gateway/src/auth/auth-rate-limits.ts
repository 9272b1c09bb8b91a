import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request, Response, NextFunction } from 'express';
import { CommandBus } from '@vpn/messaging';
import { PLATFORM_CONFIG } from '@vpn/platform';
import type { PlatformConfig } from '@vpn/runtime';
import { BusThrottlerStorage } from './bus-throttler.storage';

/** The auth routes with a per-source rate limit (RATE_LIMIT_* of the environment). */
export type RateLimitedRoute = keyof Omit<PlatformConfig['rateLimits'], 'windowSeconds'>;

const RATE_LIMITED_ROUTE = 'vpn:rate-limited-route';

/** Limits a route's requests per client address (with the `ThrottlerGuard` on its controller); routes without it are not counted. */
export const RateLimited = (route: RateLimitedRoute): MethodDecorator => SetMetadata(RATE_LIMITED_ROUTE, route);

function routeOf(context: ExecutionContext): RateLimitedRoute | undefined {
  return Reflect.getMetadata(RATE_LIMITED_ROUTE, context.getHandler()) as RateLimitedRoute | undefined;
}

/**
 * `@nestjs/throttler` for the auth routes: one fixed window per route and client address (`req.ip`,
 * which follows the app's proxy trust), counted by the auth service so every gateway replica shares
 * the counts. Past the limit: 429 TOO_MANY_ATTEMPTS until the window ends.
 */
export const AuthThrottlerModule = ThrottlerModule.forRootAsync({
  inject: [PLATFORM_CONFIG, CommandBus],
  useFactory: (config: PlatformConfig, commands: CommandBus): ThrottlerModuleOptions => ({
    throttlers: [{
      // The default name keeps the standard header names (a named throttler suffixes them: Retry-After-<name>).
      name: 'default',
      ttl: config.rateLimits.windowSeconds * 1000,
      limit: (context) => config.rateLimits[routeOf(context) ?? 'login'],
    }],
    skipIf: (context) => routeOf(context) === undefined,
    storage: new BusThrottlerStorage(commands),
    errorMessage: 'too many requests from this address; try again later',
  }),
});

/** Auth answers (tokens, cookies, account facts) are never stored by a browser or proxy cache. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
