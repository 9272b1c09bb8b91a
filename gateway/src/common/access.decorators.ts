import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '@vpn/contracts';
import { ErrorResponseDto } from './error-response.dto';

/** Who may call a route. Every controller method declares one; a route without it is refused. */
export type AccessLevel = 'public' | 'user' | 'admin';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['public', 'user', 'admin'];

export const ACCESS_METADATA = 'vpn:access';
/** The OpenAPI extension naming each operation's access level (read by the route-walk test). */
export const ACCESS_EXTENSION = 'x-access';

/** Anyone, without a token. */
export const Public = (): MethodDecorator => applyDecorators(
  SetMetadata(ACCESS_METADATA, 'public'),
  ApiExtension(ACCESS_EXTENSION, 'public'),
);

/** Any signed-in, enabled user (admins included). */
export const User = (): MethodDecorator => applyDecorators(
  SetMetadata(ACCESS_METADATA, 'user'),
  ApiExtension(ACCESS_EXTENSION, 'user'),
  ApiBearerAuth(),
  ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'no valid access token' }),
);

/** Admins only: 401 without a valid token, 403 for other users. */
export const Admin = (): MethodDecorator => applyDecorators(
  SetMetadata(ACCESS_METADATA, 'admin'),
  ApiExtension(ACCESS_EXTENSION, 'admin'),
  ApiBearerAuth(),
  ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'no valid access token' }),
  ApiForbiddenResponse({ type: ErrorResponseDto, description: 'not an admin' }),
);

/** The verified caller of a `@User()` / `@Admin()` route. */
export interface Principal {
  userId: string;
  role: Role;
}

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** Injects the verified caller; only meaningful on `@User()` / `@Admin()` routes. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('CurrentUser used on a route that is not @User() or @Admin()');
  return principal;
});
