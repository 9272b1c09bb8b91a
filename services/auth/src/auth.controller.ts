import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, CommandRequest } from '@vpn/contracts';
import { CommandPattern } from '@vpn/messaging';
import { UsersService } from './users/users.service';
import { SessionsService } from './sessions/sessions.service';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { RateLimits } from './throttling/rate-limits';

/** The auth service's commands on the bus (queue group `auth`): each one delegates to its domain service. */
@Controller()
export class AuthCommandsController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly accessTokenIssuer: AccessTokenIssuer,
    private readonly rateLimits: RateLimits,
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
  usersList(): Promise<CommandReply<'auth.users.list'>> {
    return this.users.list();
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

  @CommandPattern('auth.throttle.hit')
  throttleHit(@Payload() req: CommandRequest<'auth.throttle.hit'>): Promise<CommandReply<'auth.throttle.hit'>> {
    return this.rateLimits.hit(req);
  }

  @CommandPattern('auth.verification-keys')
  verificationKeys(): Promise<CommandReply<'auth.verification-keys'>> {
    return this.accessTokenIssuer.verificationKeys();
  }
}
