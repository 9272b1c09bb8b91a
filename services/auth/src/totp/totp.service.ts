import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, CommonErrorCode, DomainError, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource, type EntityManager, type UserEntity } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { UsersRepository } from '../users/users.repository';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUrl, parseRecoveryCode, parseTotpCode } from './totp-codes';
import { RecoveryCodesRepository } from './recovery-codes.repository';

const MAX_CODE_INPUT = 64;

/**
 * TOTP second factor (RFC 6238): enrolment (a pending secret, on once a code confirms it, with ten
 * single-use recovery codes stored hashed), disabling with a code, and the check at login. A code's
 * time step is recorded when used, so the same code cannot be replayed within its window. The
 * secret is stored as is (not encrypted at rest): it is as sensitive as the database itself.
 */
@Injectable()
export class TotpService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly users: UsersRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
  ) {}

  async enrol(req: CommandRequest<'auth.totp.enrol'>): Promise<CommandReply<'auth.totp.enrol'>> {
    const secret = newTotpSecret();
    const email = await this.ds.transaction(async (m) => {
      const user = await this.users.lockById(m, req.userId);
      if (!user) throw new DomainError(CommonErrorCode.UNAUTHORIZED, 'token revoked');
      if (user.totpEnabled) throw new DomainError(AuthErrorCode.TOTP_STATE_CONFLICT, 'TOTP is on already: disable it first');
      await this.users.setPendingTotp(m, user.id, secret);
      return user.email;
    });
    return { secret, otpauthUrl: otpauthUrl(this.options.totpIssuer, email, secret) };
  }

  async confirm(req: CommandRequest<'auth.totp.confirm'>): Promise<CommandReply<'auth.totp.confirm'>> {
    const code = typeof req.code === 'string' && req.code.length <= MAX_CODE_INPUT ? parseTotpCode(req.code) : null;
    const recoveryCodes = newRecoveryCodes();
    await this.ds.transaction(async (m) => {
      const user = await this.users.lockById(m, req.userId);
      if (!user) throw new DomainError(CommonErrorCode.UNAUTHORIZED, 'token revoked');
      if (user.totpEnabled || !user.totpSecret) throw new DomainError(AuthErrorCode.TOTP_STATE_CONFLICT, 'no TOTP enrolment is pending');
      const step = code === null ? null : matchTotp(user.totpSecret, code, null);
      if (step === null) throw new DomainError(AuthErrorCode.INVALID_TOTP, 'the code does not match: check the device clock and try the next code');
      await this.users.setTotp(m, user.id, { enabled: true, lastStep: step });
      await this.recoveryCodes.replaceAll(m, user.id, recoveryCodes.map((c) => hashRecoveryCode(c.replace(/-/g, ''))));
      await appendEvent(m, 'user.updated', { userId: user.id, changes: { totpEnabled: true } }, { actorId: user.id, subject: user.id });
    });
    return { recoveryCodes };
  }

  /** Needs a current code (or a recovery code): a stolen access token alone cannot turn TOTP off. */
  async disable(req: CommandRequest<'auth.totp.disable'>): Promise<CommandReply<'auth.totp.disable'>> {
    await this.ds.transaction(async (m) => {
      const user = await this.users.lockById(m, req.userId);
      if (!user) throw new DomainError(CommonErrorCode.UNAUTHORIZED, 'token revoked');
      if (!user.totpEnabled) throw new DomainError(AuthErrorCode.TOTP_STATE_CONFLICT, 'TOTP is not on');
      if (!(await this.useCode(user, req.code, m))) throw new DomainError(AuthErrorCode.INVALID_TOTP, 'the code does not match');
      await this.users.setTotp(m, user.id, { enabled: false });
      await this.recoveryCodes.deleteAll(m, user.id);
      await appendEvent(m, 'user.updated', { userId: user.id, changes: { totpEnabled: false } }, { actorId: user.id, subject: user.id });
    });
    return { ok: true };
  }

  /** Login's second step for an account with TOTP on: no code → TOTP_REQUIRED; wrong, replayed or used → INVALID_TOTP. */
  async checkLogin(user: UserEntity, code: unknown): Promise<void> {
    if (!user.totpEnabled) return;
    if (code === undefined || code === null || code === '') throw new DomainError(AuthErrorCode.TOTP_REQUIRED, 'this account needs a TOTP code');
    if (!(await this.useCode(user, code))) throw new DomainError(AuthErrorCode.LOGIN_INVALID_TOTP, 'the TOTP code is wrong or was used already');
  }

  /** A 6-digit code of a step not used before, or an unused recovery code; either is used up (inside `m` when given). */
  private async useCode(user: UserEntity, value: unknown, m?: EntityManager): Promise<boolean> {
    if (typeof value !== 'string' || value.length > MAX_CODE_INPUT || !user.totpSecret) return false;
    const code = parseTotpCode(value);
    if (code !== null) {
      const step = matchTotp(user.totpSecret, code, user.totpLastStep);
      return step !== null && this.users.claimTotpStep(user.id, step, m);
    }
    const recovery = parseRecoveryCode(value);
    if (recovery === null) return false;
    const hash = hashRecoveryCode(recovery);
    return m ? this.recoveryCodes.consume(m, user.id, hash) : this.ds.transaction((t) => this.recoveryCodes.consume(t, user.id, hash));
  }
}
