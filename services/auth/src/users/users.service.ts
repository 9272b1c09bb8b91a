import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, CommonErrorCode, DomainError, isUuid, type CommandReply, type CommandRequest, type Role, type UserView } from '@vpn/contracts';
import { DataSource, isUniqueViolation, UserEntity, type EntityManager } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { PasswordHasher } from '../passwords/password-hasher';
import { assertPasswordPolicy } from '../passwords/password-policy';
import { RefreshTokens } from '../sessions/refresh-tokens';
import { normalizeEmail, toUserView } from './user-view';

/** Serializes changes that could remove the last active admin. */
const ADMIN_CHANGE_LOCK = 727_101;

/** Accounts: registration, lookup, role and disabled changes (which revoke the user's sessions). */
@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
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
      await m.insert(UserEntity, { id, email, passwordHash, role, disabled: false, tokenVersion: 1 });
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
    return this.ds.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async findById(userId: string): Promise<UserEntity | null> {
    if (!isUuid(userId)) return null;
    return this.ds.getRepository(UserEntity).findOneBy({ id: userId });
  }

  async get(req: CommandRequest<'auth.users.get'>): Promise<CommandReply<'auth.users.get'>> {
    const user = await this.findById(req.userId);
    if (!user) throw new DomainError(AuthErrorCode.USER_NOT_FOUND, 'user not found');
    return { ...toUserView(user), disabled: user.disabled };
  }

  async list(): Promise<CommandReply<'auth.users.list'>> {
    const users = await this.ds.getRepository(UserEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return users.map((u) => ({ ...toUserView(u), disabled: u.disabled }));
  }

  async tokenState(req: CommandRequest<'auth.token-state'>): Promise<CommandReply<'auth.token-state'>> {
    const user = await this.findById(req.userId);
    if (!user) return { missing: true };
    return { tokenVersion: user.tokenVersion, disabled: user.disabled, role: user.role, email: user.email };
  }

  /**
   * Changes role and/or disabled. A real change bumps the token version (access tokens go stale)
   * and revokes every refresh token of the user. The last active admin cannot be demoted or disabled.
   */
  async update(req: CommandRequest<'auth.users.update'>): Promise<CommandReply<'auth.users.update'>> {
    if (!isUuid(req.userId)) throw new DomainError(AuthErrorCode.USER_NOT_FOUND, 'user not found');
    return this.ds.transaction(async (m) => {
      const user = await m.getRepository(UserEntity).findOne({ where: { id: req.userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new DomainError(AuthErrorCode.USER_NOT_FOUND, 'user not found');
      const changes: { role?: Role; disabled?: boolean } = {};
      if (req.role !== undefined && req.role !== user.role) changes.role = req.role;
      if (req.disabled !== undefined && req.disabled !== user.disabled) changes.disabled = req.disabled;
      if (changes.role === undefined && changes.disabled === undefined) return { ...toUserView(user), disabled: user.disabled };

      const losesActiveAdmin = user.role === 'admin' && !user.disabled && (changes.role === 'user' || changes.disabled === true);
      if (losesActiveAdmin) {
        await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CHANGE_LOCK]);
        const [{ others }] = await m.query<Array<{ others: number }>>(
          `SELECT count(*)::int AS others FROM auth.users WHERE role = 'admin' AND NOT disabled AND id <> $1`, [user.id]);
        if (others === 0) throw new DomainError(AuthErrorCode.LAST_ADMIN, 'the last active admin cannot be demoted or disabled');
      }
      const role = changes.role ?? user.role;
      const disabled = changes.disabled ?? user.disabled;
      await m.query(
        `UPDATE auth.users SET role = $2, disabled = $3, token_version = token_version + 1, updated_at = now() WHERE id = $1`,
        [user.id, role, disabled]);
      await this.refreshTokens.revokeAllOfUser(m, user.id);
      await appendEvent(m, 'user.updated', { userId: user.id, changes }, { actorId: req.actorId, subject: user.id });
      return { id: user.id, email: user.email, role, disabled };
    });
  }
}
