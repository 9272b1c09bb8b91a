import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, CommonErrorCode, DomainError, isUuid, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource } from '@vpn/db';
import { Mailer } from '@vpn/mail';
import { appendEvent } from '@vpn/messaging';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { RefreshTokens } from '../sessions/refresh-tokens';
import { UsersRepository } from '../users/users.repository';
import { PasswordHasher } from './password-hasher';
import { assertPasswordPolicy } from './password-policy';
import { passwordResetMail } from './password-reset-mail';
import { PasswordResetTokensRepository } from './password-reset-tokens.repository';

const MAX_INPUT = 1024;
const RESET_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const invalidToken = (): DomainError => new DomainError(AuthErrorCode.INVALID_TOKEN, 'the reset link is invalid, used or expired');

export function hashResetToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Password change (signed in) and reset by a mailed one-time link. */
@Injectable()
export class PasswordsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly users: UsersRepository,
    private readonly resetTokens: PasswordResetTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokens,
    private readonly mailer: Mailer,
  ) {}

  /**
   * Every other session ends: their refresh families are revoked, which also ends their access
   * tokens (the gateway refuses an access token whose `sid` names an ended session). The caller's
   * session (`sessionId`) is kept, so its access token and refresh cookie keep working. Without a
   * session id every session ends, the caller's too.
   */
  async change(req: CommandRequest<'auth.password.change'>): Promise<CommandReply<'auth.password.change'>> {
    const { currentPassword, newPassword } = req;
    if (typeof currentPassword !== 'string' || currentPassword.length > MAX_INPUT || typeof newPassword !== 'string') {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'currentPassword and newPassword must be strings');
    }
    const user = await this.users.findById(req.userId);
    if (!user || user.disabled) throw new DomainError(CommonErrorCode.UNAUTHORIZED, 'token revoked');
    if (!(await this.hasher.verifyOrDummy(user.passwordHash, currentPassword))) {
      throw new DomainError(AuthErrorCode.WRONG_CURRENT_PASSWORD, 'the current password is wrong');
    }
    const passwordHash = await this.hasher.hash(newPassword, (p) => assertPasswordPolicy(p, user.email));
    const keep = typeof req.sessionId === 'string' && isUuid(req.sessionId) ? req.sessionId : undefined;
    await this.ds.transaction(async (m) => {
      await this.users.setPasswordHash(m, user.id, passwordHash, keep === undefined);
      await this.refreshTokens.revokeAllOfUser(m, user.id, keep);
      await this.resetTokens.retireAllOfUser(m, user.id);
      await appendEvent(m, 'user.updated', { userId: user.id, changes: { passwordChanged: true } }, { actorId: user.id, subject: user.id });
    });
    return { ok: true };
  }

  /**
   * Answers at once, whether or not the email has an account (no hint, same timing); the look-up
   * and the mail happen afterwards. Only the token's sha256 is stored; the link lives 30 minutes.
   */
  requestReset(req: CommandRequest<'auth.password-reset.request'>): Promise<CommandReply<'auth.password-reset.request'>> {
    if (typeof req.email === 'string' && req.email.length <= MAX_INPUT) {
      const email = req.email.normalize('NFKC');
      void this.mailResetLink(email).catch((e: unknown) => this.logger.error({ err: e }, 'password reset mail failed'));
    }
    return Promise.resolve({ ok: true });
  }

  /** A new password through a reset link: the link is used up, every session of the user ends. */
  async confirmReset(req: CommandRequest<'auth.password-reset.confirm'>): Promise<CommandReply<'auth.password-reset.confirm'>> {
    if (typeof req.token !== 'string' || !RESET_TOKEN.test(req.token)) throw invalidToken();
    if (typeof req.newPassword !== 'string') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'newPassword must be a string');
    const tokenHash = hashResetToken(req.token);
    const usable = await this.resetTokens.findUsable(tokenHash);
    if (!usable) throw invalidToken();
    const user = await this.users.findById(usable.userId);
    if (!user) throw invalidToken();
    // The policy refuses before the link is used: a weak choice can be retried with the same link.
    const passwordHash = await this.hasher.hash(req.newPassword, (p) => assertPasswordPolicy(p, user.email));
    await this.ds.transaction(async (m) => {
      if ((await this.resetTokens.consume(m, tokenHash)) !== user.id) throw invalidToken();
      await this.users.setPasswordHash(m, user.id, passwordHash, true);
      await this.refreshTokens.revokeAllOfUser(m, user.id);
      await this.resetTokens.retireAllOfUser(m, user.id);
      await appendEvent(m, 'user.updated', { userId: user.id, changes: { passwordReset: true } }, { actorId: user.id, subject: user.id });
    });
    return { ok: true, userId: user.id };
  }

  private async mailResetLink(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.disabled) return;
    const token = randomBytes(32).toString('base64url');
    const ttl = this.options.passwordResetTtlSeconds;
    await this.resetTokens.insert({ id: randomUUID(), userId: user.id, tokenHash: hashResetToken(token), expiresAt: new Date(Date.now() + ttl * 1000) });
    const link = `${this.config.publicUrl}/reset-password?token=${token}`;
    await this.mailer.send(passwordResetMail(user.email, link, Math.round(ttl / 60)));
  }
}
