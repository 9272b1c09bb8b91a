import { Inject, Injectable } from '@nestjs/common';
import { DataSource, RefreshTokenEntity, type EntityManager } from '@vpn/db';

/** Every statement on auth.refresh_tokens. */
@Injectable()
export class RefreshTokensRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  insert(m: EntityManager, row: Pick<RefreshTokenEntity, 'id' | 'familyId' | 'userId' | 'tokenHash' | 'expiresAt'>): Promise<unknown> {
    return m.insert(RefreshTokenEntity, { ...row, rotatedAt: null, revokedAt: null });
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.ds.getRepository(RefreshTokenEntity).findOneBy({ tokenHash });
  }

  /** The row under a write lock: of two parallel rotations of one token, one waits and then sees it rotated. */
  lockByHash(m: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return m.getRepository(RefreshTokenEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  async markRotated(m: EntityManager, id: string): Promise<void> {
    await m.update(RefreshTokenEntity, { id }, { rotatedAt: new Date() });
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.createQueryBuilder().update(RefreshTokenEntity).set({ revokedAt: () => 'now()' })
      .where('family_id = :familyId AND revoked_at IS NULL', { familyId }).execute();
  }

  /** Ends every family of the user, except `keepFamilyId` when given (the caller's own session). */
  async revokeAllOfUser(m: EntityManager, userId: string, keepFamilyId?: string): Promise<void> {
    const q = m.createQueryBuilder().update(RefreshTokenEntity).set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keepFamilyId) q.andWhere('family_id <> :keepFamilyId', { keepFamilyId });
    await q.execute();
  }

  /** Families of the user revoked in the last `seconds`: their access tokens may still be unexpired. */
  async recentlyEndedFamilies(userId: string, seconds: number): Promise<string[]> {
    const rows = await this.ds.getRepository(RefreshTokenEntity).createQueryBuilder('t')
      .select('DISTINCT t.family_id', 'familyId')
      .where('t.user_id = :userId AND t.revoked_at IS NOT NULL AND t.revoked_at > now() - make_interval(secs => :seconds)', { userId, seconds })
      .getRawMany<{ familyId: string }>();
    return rows.map((r) => r.familyId);
  }
}
