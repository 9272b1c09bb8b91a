import { Inject, Injectable } from '@nestjs/common';
import { isUuid, type Role } from '@vpn/contracts';
import { DataSource, UserEntity, type EntityManager } from '@vpn/db';

/** Serializes changes that could remove the last active admin, and the first admin's creation. */
const ADMIN_CHANGE_LOCK = 727_101;
const BOOTSTRAP_LOCK = 727_103;

/** Every statement on auth.users. Methods taking a manager run inside the caller's transaction. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  insert(m: EntityManager, user: Pick<UserEntity, 'id' | 'email' | 'passwordHash' | 'role'>): Promise<unknown> {
    return m.insert(UserEntity, { ...user, disabled: false, tokenVersion: 1, totpEnabled: false, totpSecret: null, totpLastStep: null });
  }

  /** Case-insensitive, as the unique index on lower(email). */
  findByEmail(email: string, m: EntityManager = this.ds.manager): Promise<UserEntity | null> {
    return m.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async findById(userId: string, m: EntityManager = this.ds.manager): Promise<UserEntity | null> {
    if (!isUuid(userId)) return null;
    return m.getRepository(UserEntity).findOneBy({ id: userId });
  }

  /** The row under a write lock until the transaction ends. */
  async lockById(m: EntityManager, userId: string): Promise<UserEntity | null> {
    if (!isUuid(userId)) return null;
    return m.getRepository(UserEntity).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Up to `limit` users after `after` in (lower(email), id) byte order, the order of
   * users_email_order_idx; `pattern` (a LIKE pattern, escaped by the caller) filters the email.
   */
  page(filter: { pattern?: string; after?: { email: string; id: string } }, limit: number): Promise<UserEntity[]> {
    const q = this.ds.getRepository(UserEntity).createQueryBuilder('u')
      .orderBy('lower(u.email) COLLATE "C"').addOrderBy('u.id').limit(limit);
    if (filter.pattern !== undefined) q.andWhere(`lower(u.email) LIKE lower(:pattern) ESCAPE '\\'`, { pattern: filter.pattern });
    if (filter.after) {
      q.andWhere('(lower(u.email) COLLATE "C", u.id) > (lower(:afterEmail) COLLATE "C", :afterId)', { afterEmail: filter.after.email, afterId: filter.after.id });
    }
    return q.getMany();
  }

  /** The emails of these users; ids that are not users are left out. */
  emails(userIds: string[]): Promise<Array<Pick<UserEntity, 'id' | 'email'>>> {
    const ids = userIds.filter(isUuid);
    if (ids.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(UserEntity).createQueryBuilder('u').select(['u.id', 'u.email']).where('u.id IN (:...ids)', { ids }).getMany();
  }

  /** Takes the first-admin lock for the transaction, then tells whether any admin exists. */
  async lockAndHasAdmin(m: EntityManager): Promise<boolean> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    return (await m.getRepository(UserEntity).countBy({ role: 'admin' })) > 0;
  }

  /** Active admins other than `userId`, counted under the admin-change lock. */
  async lockAndCountOtherActiveAdmins(m: EntityManager, userId: string): Promise<number> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CHANGE_LOCK]);
    return m.getRepository(UserEntity).createQueryBuilder('u')
      .where(`u.role = 'admin' AND NOT u.disabled AND u.id <> :id`, { id: userId }).getCount();
  }

  /** Role/disabled change: the token version moves, so every access token of the user goes stale. */
  async setRoleAndDisabled(m: EntityManager, userId: string, role: Role, disabled: boolean): Promise<void> {
    await m.createQueryBuilder().update(UserEntity)
      .set({ role, disabled, tokenVersion: () => 'token_version + 1', updatedAt: () => 'now()' })
      .where('id = :userId', { userId }).execute();
  }

  /** A new password; `endAccessTokens` also moves the token version (every access token goes stale). */
  async setPasswordHash(m: EntityManager, userId: string, passwordHash: string, endAccessTokens: boolean): Promise<void> {
    await m.createQueryBuilder().update(UserEntity)
      .set({ passwordHash, updatedAt: () => 'now()', ...(endAccessTokens ? { tokenVersion: () => 'token_version + 1' } : {}) })
      .where('id = :userId', { userId }).execute();
  }

  /** Every access token of the user goes stale. */
  async bumpTokenVersion(m: EntityManager, userId: string): Promise<void> {
    await m.createQueryBuilder().update(UserEntity)
      .set({ tokenVersion: () => 'token_version + 1', updatedAt: () => 'now()' })
      .where('id = :userId', { userId }).execute();
  }

  /** A new pending secret (replaces an earlier pending one); refused by the caller when TOTP is on. */
  async setPendingTotp(m: EntityManager, userId: string, secret: string): Promise<void> {
    await m.update(UserEntity, { id: userId }, { totpSecret: secret, totpEnabled: false, totpLastStep: null });
  }

  /**
   * Turns TOTP on or off. Sessions go on: where REQUIRE_ADMIN_TOTP makes an admin's rights depend on
   * it, the role in their access tokens no longer matches and the next refresh issues the new one.
   */
  async setTotp(m: EntityManager, userId: string, state: { enabled: true; lastStep: number } | { enabled: false }): Promise<void> {
    await m.createQueryBuilder().update(UserEntity)
      .set(state.enabled
        ? { totpEnabled: true, totpLastStep: state.lastStep, updatedAt: () => 'now()' }
        : { totpEnabled: false, totpSecret: null, totpLastStep: null, updatedAt: () => 'now()' })
      .where('id = :userId', { userId }).execute();
  }

  /**
   * Records `step` as the last used TOTP time step, only when it is later than the one recorded:
   * false means the code was used before (a replay), whoever raced for it.
   */
  async claimTotpStep(userId: string, step: number, m: EntityManager = this.ds.manager): Promise<boolean> {
    const result = await m.createQueryBuilder().update(UserEntity)
      .set({ totpLastStep: step })
      .where('id = :userId AND totp_enabled AND (totp_last_step IS NULL OR totp_last_step < :step)', { userId, step })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}
