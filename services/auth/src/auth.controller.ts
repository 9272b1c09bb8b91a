import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, CommandRequest } from '@vpn/contracts';
import { CommandPattern } from '@vpn/messaging';
import { UsersService } from './users/users.service';
import { SessionsService } from './sessions/sessions.service';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { PasswordsService } from './passwords/passwords.service';
import { RateLimits } from './throttling/rate-limits';
import { TotpService } from './totp/totp.service';

/** The auth service's commands on the bus (queue group `auth`): each one delegates to its domain service. */
@Controller()
export class AuthCommandsController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly accessTokenIssuer: AccessTokenIssuer,
    private readonly rateLimits: RateLimits,
    private readonly passwords: PasswordsService,
    private readonly totp: TotpService,
  ) {}

  @CommandPattern('auth.register')
  register(@Payload() req: CommandRequest<'auth.register'>): Promise<CommandReply<'auth.register'>> {
    return this.users.register(req);
  }

  @CommandPattern('auth.users.get')
  usersGet(@Payload() req: CommandRequest<'auth.users.get'>): Promise<CommandReply<'auth.users.get'>> {
    return this.users.get(req);
  }

  @CommandPattern('auth.users.list')
  usersList(@Payload() req: CommandRequest<'auth.users.list'>): Promise<CommandReply<'auth.users.list'>> {
    return this.users.list(req);
  }

  @CommandPattern('auth.users.emails')
  usersEmails(@Payload() req: CommandRequest<'auth.users.emails'>): Promise<CommandReply<'auth.users.emails'>> {
    return this.users.emails(req);
  }

  @CommandPattern('auth.token-state')
  tokenState(@Payload() req: CommandRequest<'auth.token-state'>): Promise<CommandReply<'auth.token-state'>> {
    return this.users.tokenState(req);
  }

  @CommandPattern('auth.users.update')
  usersUpdate(@Payload() req: CommandRequest<'auth.users.update'>): Promise<CommandReply<'auth.users.update'>> {
    return this.users.update(req);
  }

  @CommandPattern('auth.login')
  login(@Payload() req: CommandRequest<'auth.login'>): Promise<CommandReply<'auth.login'>> {
    return this.sessions.login(req);
  }

  @CommandPattern('auth.refresh')
  refresh(@Payload() req: CommandRequest<'auth.refresh'>): Promise<CommandReply<'auth.refresh'>> {
    return this.sessions.refresh(req);
  }

  @CommandPattern('auth.logout')
  logout(@Payload() req: CommandRequest<'auth.logout'>): Promise<CommandReply<'auth.logout'>> {
    return this.sessions.logout(req);
  }

  @CommandPattern('auth.sessions.revoke-all')
  sessionsRevokeAll(@Payload() req: CommandRequest<'auth.sessions.revoke-all'>): Promise<CommandReply<'auth.sessions.revoke-all'>> {
    return this.sessions.revokeAll(req);
  }

  @CommandPattern('auth.password.change')
  passwordChange(@Payload() req: CommandRequest<'auth.password.change'>): Promise<CommandReply<'auth.password.change'>> {
    return this.passwords.change(req);
  }

  @CommandPattern('auth.password-reset.request')
  passwordResetRequest(@Payload() req: CommandRequest<'auth.password-reset.request'>): Promise<CommandReply<'auth.password-reset.request'>> {
    return this.passwords.requestReset(req);
  }

  @CommandPattern('auth.password-reset.confirm')
  passwordResetConfirm(@Payload() req: CommandRequest<'auth.password-reset.confirm'>): Promise<CommandReply<'auth.password-reset.confirm'>> {
    return this.passwords.confirmReset(req);
  }

  @CommandPattern('auth.totp.enrol')
  totpEnrol(@Payload() req: CommandRequest<'auth.totp.enrol'>): Promise<CommandReply<'auth.totp.enrol'>> {
    return this.totp.enrol(req);
  }

  @CommandPattern('auth.totp.confirm')
  totpConfirm(@Payload() req: CommandRequest<'auth.totp.confirm'>): Promise<CommandReply<'auth.totp.confirm'>> {
    return this.totp.confirm(req);
  }

  @CommandPattern('auth.totp.disable')
  totpDisable(@Payload() req: CommandRequest<'auth.totp.disable'>): Promise<CommandReply<'auth.totp.disable'>> {
    return this.totp.disable(req);
  }

  @CommandPattern('auth.throttle.hit')
  throttleHit(@Payload() req: CommandRequest<'auth.throttle.hit'>): Promise<CommandReply<'auth.throttle.hit'>> {
    return this.rateLimits.hit(req);
  }

  @CommandPattern('auth.verification-keys')
  verificationKeys(): Promise<CommandReply<'auth.verification-keys'>> {
    return this.accessTokenIssuer.verificationKeys();
  }
}
