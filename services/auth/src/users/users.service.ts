import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AuthErrorCode, CommonErrorCode, containsPattern, decodeCursor, DomainError, encodeCursor, isUuid, MAX_BATCH_ITEMS, parsePageLimit,
  type CommandReply, type CommandRequest, type Role, type UserView,
} from '@vpn/contracts';
import { DataSource, isUniqueViolation, type EntityManager, type UserEntity } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { PasswordHasher } from '../passwords/password-hasher';
import { assertPasswordPolicy } from '../passwords/password-policy';
import { RefreshTokens } from '../sessions/refresh-tokens';
import { EMAIL_MAX_LENGTH, normalizeEmail, parseUserQuery, tokenRole, toUserView } from './user-view';
import { UsersRepository } from './users.repository';

/** Accounts: registration, lookup, role and disabled changes (which revoke the user's sessions). */
@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  async register(req: CommandRequest<'auth.register'>): Promise<CommandReply<'auth.register'>> {
    const email = normalizeEmail(req.email);
    if (typeof req.password !== 'string') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'password must be a string');
    const user = await this.create(email, req.password, 'user', undefined, (password) => assertPasswordPolicy(password, email));
    return { user };
  }

  /**
   * Creates an account and its `user.registered` event in one transaction. `policy` runs in the
   * hashing lane (zxcvbn is CPU work on the event loop too), so a registration burst stays bounded.
   */
  async create(email: string, password: string, role: Role, manager?: EntityManager, policy?: (password: string) => void): Promise<UserView> {
    const passwordHash = await this.hasher.hash(password, policy);
    const id = randomUUID();
    const run = async (m: EntityManager): Promise<UserView> => {
      await this.users.insert(m, { id, email, passwordHash, role });
      await appendEvent(m, 'user.registered', { userId: id, email, role }, { actorId: id, subject: id });
      return { id, email, role };
    };
    try {
      return manager ? await run(manager) : await this.ds.transaction(run);
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_lower_key')) throw new DomainError(AuthErrorCode.EMAIL_TAKEN, 'this email is already registered');
      throw e;
    }
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(email);
  }

  async get(req: CommandRequest<'auth.users.get'>): Promise<CommandReply<'auth.users.get'>> {
    const user = await this.users.findById(req.userId);
    if (!user) throw new DomainError(AuthErrorCode.USER_NOT_FOUND, 'user not found');
    return { ...toUserView(user), disabled: user.disabled };
  }

  /** One page of users by (lower(email), id); one row more than asked tells whether a next page exists. */
  async list(req: CommandRequest<'auth.users.list'>): Promise<CommandReply<'auth.users.list'>> {
    const limit = parsePageLimit(req.limit);
    const query = parseUserQuery(req.query);
    const after = req.cursor === undefined ? undefined : decodeCursor(req.cursor, { email: (e) => e.length <= EMAIL_MAX_LENGTH * 4, id: isUuid });
    const rows = await this.users.page({ pattern: query ? containsPattern(query) : undefined, after }, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((u) => ({ ...toUserView(u), disabled: u.disabled })),
      nextCursor: rows.length > limit && last ? encodeCursor({ email: last.email, id: last.id }) : null,
    };
  }

  async emails(req: CommandRequest<'auth.users.emails'>): Promise<CommandReply<'auth.users.emails'>> {
    if (!Array.isArray(req.userIds) || req.userIds.length > MAX_BATCH_ITEMS) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `userIds must be an array of at most ${MAX_BATCH_ITEMS} ids`);
    }
    return (await this.users.emails(req.userIds)).map((u) => ({ userId: u.id, email: u.email }));
  }

  async tokenState(req: CommandRequest<'auth.token-state'>): Promise<CommandReply<'auth.token-state'>> {
    const user = await this.users.findById(req.userId);
    if (!user) return { missing: true };
    return {
      tokenVersion: user.tokenVersion,
      disabled: user.disabled,
      role: tokenRole(user, this.options.requireAdminTotp),
      accountRole: user.role,
      email: user.email,
      totpEnabled: user.totpEnabled,
      endedSessions: await this.refreshTokens.endedSessions(user.id),
    };
  }

  /**
   * Changes role and/or disabled. A real change bumps the token version (access tokens go stale)
   * and revokes every refresh token of the user. The last active admin cannot be demoted or disabled.
   */
  async update(req: CommandRequest<'auth.users.update'>): Promise<CommandReply<'auth.users.update'>> {
    if (!isUuid(req.userId)) throw new DomainError(AuthErrorCode.USER_NOT_FOUND, 'user not found');
    return this.ds.transaction(async (m) => {
      const user = await this.users.lockById(m, req.userId);
      if (!user) throw new DomainError(AuthErrorCode.USER_NOT_FOUND, 'user not found');
      const changes: { role?: Role; disabled?: boolean } = {};
      if (req.role !== undefined && req.role !== user.role) changes.role = req.role;
      if (req.disabled !== undefined && req.disabled !== user.disabled) changes.disabled = req.disabled;
      if (changes.role === undefined && changes.disabled === undefined) return { ...toUserView(user), disabled: user.disabled };

      const losesActiveAdmin = user.role === 'admin' && !user.disabled && (changes.role === 'user' || changes.disabled === true);
      if (losesActiveAdmin && (await this.users.lockAndCountOtherActiveAdmins(m, user.id)) === 0) {
        throw new DomainError(AuthErrorCode.LAST_ADMIN, 'the last active admin cannot be demoted or disabled');
      }
      const role = changes.role ?? user.role;
      const disabled = changes.disabled ?? user.disabled;
      await this.users.setRoleAndDisabled(m, user.id, role, disabled);
      await this.refreshTokens.revokeAllOfUser(m, user.id);
      await appendEvent(m, 'user.updated', { userId: user.id, changes }, { actorId: req.actorId, subject: user.id });
      return { id: user.id, email: user.email, role, disabled };
    });
  }
}
