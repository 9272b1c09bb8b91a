import { Module, type DynamicModule } from '@nestjs/common';
import { Mailer } from '@vpn/mail';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { AuthCommandsController } from './auth.controller';
import { AUTH_OPTIONS, resolveAuthOptions, type AuthOptionsOverrides } from './auth.options';
import { AdminBootstrap } from './bootstrap/admin-bootstrap';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordResetTokensRepository } from './passwords/password-reset-tokens.repository';
import { PasswordsService } from './passwords/passwords.service';
import { RefreshTokens } from './sessions/refresh-tokens';
import { RefreshTokensRepository } from './sessions/refresh-tokens.repository';
import { SessionsService } from './sessions/sessions.service';
import { LoginThrottle } from './throttling/login-throttle';
import { RateLimits } from './throttling/rate-limits';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { RecoveryCodesRepository } from './totp/recovery-codes.repository';
import { TotpService } from './totp/totp.service';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/** Mail over SMTP_URL, or .eml files in DATA_DIR/mail; sent from no-reply@ the PUBLIC_URL's host. */
const mailerProvider = {
  provide: Mailer,
  inject: [PLATFORM_CONFIG, LOGGER],
  useFactory: (config: PlatformConfig, logger: Logger): Mailer =>
    new Mailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, from: `no-reply@${new URL(config.publicUrl).hostname}` }, logger.child({ component: 'mail' })),
};

/** The auth service's Nest module: its commands are served by `AuthCommandsController`. */
@Module({})
export class AuthModule {
  static forRoot(overrides: AuthOptionsOverrides = {}): DynamicModule {
    return {
      module: AuthModule,
      controllers: [AuthCommandsController],
      providers: [
        { provide: AUTH_OPTIONS, useValue: resolveAuthOptions(overrides) },
        mailerProvider,
        UsersRepository, RefreshTokensRepository, RecoveryCodesRepository, PasswordResetTokensRepository,
        PasswordHasher, AccessTokenIssuer, RefreshTokens, LoginThrottle, RateLimits, UsersService, SessionsService, AdminBootstrap,
        PasswordsService, TotpService,
      ],
    };
  }
}
