import { Module, type DynamicModule } from '@nestjs/common';
import { AuthCommandsController } from './auth.controller';
import { AUTH_OPTIONS, resolveAuthOptions, type AuthOptionsOverrides } from './auth.options';
import { AdminBootstrap } from './bootstrap/admin-bootstrap';
import { PasswordHasher } from './passwords/password-hasher';
import { RefreshTokens } from './sessions/refresh-tokens';
import { SessionsService } from './sessions/sessions.service';
import { LoginThrottle } from './throttling/login-throttle';
import { RateLimits } from './throttling/rate-limits';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { UsersService } from './users/users.service';

/** The auth service's Nest module: its commands are served by `AuthCommandsController`. */
@Module({})
export class AuthModule {
  static forRoot(overrides: AuthOptionsOverrides = {}): DynamicModule {
    return {
      module: AuthModule,
      controllers: [AuthCommandsController],
      providers: [
        { provide: AUTH_OPTIONS, useValue: resolveAuthOptions(overrides) },
        PasswordHasher, AccessTokenIssuer, RefreshTokens, LoginThrottle, RateLimits, UsersService, SessionsService, AdminBootstrap,
      ],
    };
  }
}
