import { Inject, Injectable } from '@nestjs/common';
import { DataSource, PasswordResetTokenEntity, type EntityManager } from '@vpn/db';

/** Every statement on auth.password_reset_tokens. */
@Injectable()
export class PasswordResetTokensRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async insert(row: Pick<PasswordResetTokenEntity, 'id' | 'userId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await this.ds.getRepository(PasswordResetTokenEntity).insert({ ...row, usedAt: null });
  }

  /** The unused, unexpired token with this hash, or null. */
  findUsable(tokenHash: string): Promise<PasswordResetTokenEntity | null> {
    return this.ds.getRepository(PasswordResetTokenEntity).createQueryBuilder('t')
      .where('t.token_hash = :tokenHash AND t.used_at IS NULL AND t.expires_at > now()', { tokenHash }).getOne();
  }

  /** Uses the token if it is still usable: the user it belongs to, or null (used, expired or unknown) — one winner under races. */
  async consume(m: EntityManager, tokenHash: string): Promise<string | null> {
    const result = await m.createQueryBuilder().update(PasswordResetTokenEntity).set({ usedAt: () => 'now()' })
      .where('token_hash = :tokenHash AND used_at IS NULL AND expires_at > now()', { tokenHash })
      .returning(['userId']).execute();
    const rows = result.raw as Array<{ user_id?: string; userId?: string }>;
    return rows.length === 1 ? (rows[0].user_id ?? rows[0].userId ?? null) : null;
  }

  /** Every other link of the user stops working (its password just changed). */
  async retireAllOfUser(m: EntityManager, userId: string): Promise<void> {
    await m.createQueryBuilder().update(PasswordResetTokenEntity).set({ usedAt: () => 'now()' })
      .where('user_id = :userId AND used_at IS NULL', { userId }).execute();
  }
}
