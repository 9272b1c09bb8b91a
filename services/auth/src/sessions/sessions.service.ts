import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, DomainError, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource, type UserEntity } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { PasswordHasher } from '../passwords/password-hasher';
import { LoginThrottle } from '../throttling/login-throttle';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { toUserView } from '../users/user-view';
import { UsersService } from '../users/users.service';
import { RefreshTokens } from './refresh-tokens';

const MAX_LOGIN_INPUT = 1024;

/** Login, refresh and logout. */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly refreshTokens: RefreshTokens,
    private readonly accessTokens: AccessTokenIssuer,
  ) {}

  /**
   * Unknown email, wrong password and disabled account answer the same INVALID_CREDENTIALS, after
   * one full argon2 verification each (against a dummy hash when there is no account).
   */
  async login(req: CommandRequest<'auth.login'>): Promise<CommandReply<'auth.login'>> {
    const { password } = req;
    const ip = typeof req.ip === 'string' && req.ip ? req.ip : 'unknown';
    if (typeof req.email !== 'string' || typeof password !== 'string' || req.email.length > MAX_LOGIN_INPUT || password.length > MAX_LOGIN_INPUT) {
      throw new DomainError(AuthErrorCode.INVALID_CREDENTIALS, 'invalid email or password');
    }
    // Registration stores the NFKC form: the same look-alike spelling finds the same account.
    const email = req.email.normalize('NFKC');
    const turn = await this.throttle.begin(email, ip);

    const user = await this.users.findByEmail(email);
    const passwordOk = await this.hasher.verifyOrDummy(user?.passwordHash ?? null, password);
    if (!user || !passwordOk || user.disabled) {
      const reason = user && passwordOk ? 'disabled' : 'invalid_credentials';
      await this.ds.transaction((m) => appendEvent(m, 'auth.login.failed', { email, ip, reason }, { subject: user?.id ?? null }));
      throw new DomainError(AuthErrorCode.INVALID_CREDENTIALS, 'invalid email or password');
    }
    await this.throttle.succeeded(turn);
    const refresh = await this.ds.transaction((m) => this.refreshTokens.startFamily(m, user.id));
    return {
      accessToken: this.accessTokenFor(user),
      expiresIn: this.accessTokens.ttlSeconds,
      user: toUserView(user),
      refreshToken: refresh.token,
      refreshExpiresAt: refresh.expiresAt.toISOString(),
    };
  }

  async refresh(req: CommandRequest<'auth.refresh'>): Promise<CommandReply<'auth.refresh'>> {
    const { next, user } = await this.refreshTokens.rotate(req.refreshToken);
    return {
      accessToken: this.accessTokenFor(user),
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken: next.token,
      refreshExpiresAt: next.expiresAt.toISOString(),
    };
  }

  async logout(req: CommandRequest<'auth.logout'>): Promise<CommandReply<'auth.logout'>> {
    await this.refreshTokens.revokeFamilyOf(req.refreshToken);
    return { ok: true };
  }

  private accessTokenFor(user: UserEntity): string {
    return this.accessTokens.issue({ sub: user.id, role: user.role, ver: user.tokenVersion });
  }
}
