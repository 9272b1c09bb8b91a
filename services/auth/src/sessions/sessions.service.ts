import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, DomainError, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource, type UserEntity } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { PasswordHasher } from '../passwords/password-hasher';
import { LoginThrottle } from '../throttling/login-throttle';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { TotpService } from '../totp/totp.service';
import { tokenRole, toUserView } from '../users/user-view';
import { UsersRepository } from '../users/users.repository';
import { RefreshTokens } from './refresh-tokens';

const MAX_LOGIN_INPUT = 1024;

/** Login (with the TOTP step when it is on), refresh, logout and sign-out-everywhere. */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly users: UsersRepository,
    private readonly totp: TotpService,
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
    // Only a complete sign-in undoes the attempt's count: wrong TOTP codes are slowed down like wrong passwords.
    await this.totp.checkLogin(user, req.totp);
    await this.throttle.succeeded(turn);
    const refresh = await this.ds.transaction((m) => this.refreshTokens.startFamily(m, user.id));
    return {
      accessToken: this.accessTokenFor(user, refresh.familyId),
      expiresIn: this.accessTokens.ttlSeconds,
      user: toUserView(user),
      refreshToken: refresh.token,
      refreshExpiresAt: refresh.expiresAt.toISOString(),
    };
  }

  async refresh(req: CommandRequest<'auth.refresh'>): Promise<CommandReply<'auth.refresh'>> {
    const { next, user } = await this.refreshTokens.rotate(req.refreshToken);
    return {
      accessToken: this.accessTokenFor(user, next.familyId),
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken: next.token,
      refreshExpiresAt: next.expiresAt.toISOString(),
    };
  }

  async logout(req: CommandRequest<'auth.logout'>): Promise<CommandReply<'auth.logout'>> {
    await this.refreshTokens.revokeFamilyOf(req.refreshToken);
    return { ok: true };
  }

  /** Sign out everywhere: every session ends, the caller's too (refresh families and access tokens). */
  async revokeAll(req: CommandRequest<'auth.sessions.revoke-all'>): Promise<CommandReply<'auth.sessions.revoke-all'>> {
    await this.ds.transaction(async (m) => {
      const user = await this.users.lockById(m, req.userId);
      if (!user) return;
      await this.users.bumpTokenVersion(m, user.id);
      await this.refreshTokens.revokeAllOfUser(m, user.id);
      await appendEvent(m, 'user.updated', { userId: user.id, changes: { signedOutEverywhere: true } }, { actorId: user.id, subject: user.id });
    });
    return { ok: true };
  }

  private accessTokenFor(user: UserEntity, sessionId: string): string {
    return this.accessTokens.issue({ sub: user.id, role: tokenRole(user, this.options.requireAdminTotp), ver: user.tokenVersion, sid: sessionId });
  }
}
