import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RecoveryCodeEntity, type EntityManager } from '@vpn/db';

/** Every statement on auth.recovery_codes. */
@Injectable()
export class RecoveryCodesRepository {
  /** The user's codes become exactly these (earlier ones, used or not, are gone). */
  async replaceAll(m: EntityManager, userId: string, codeHashes: string[]): Promise<void> {
    await m.delete(RecoveryCodeEntity, { userId });
    await m.insert(RecoveryCodeEntity, codeHashes.map((codeHash) => ({ id: randomUUID(), userId, codeHash, usedAt: null })));
  }

  /** Marks an unused code used; false when there is no such unused code (wrong, or used before). */
  async consume(m: EntityManager, userId: string, codeHash: string): Promise<boolean> {
    const result = await m.createQueryBuilder().update(RecoveryCodeEntity).set({ usedAt: () => 'now()' })
      .where('user_id = :userId AND code_hash = :codeHash AND used_at IS NULL', { userId, codeHash }).execute();
    return (result.affected ?? 0) === 1;
  }

  async deleteAll(m: EntityManager, userId: string): Promise<void> {
    await m.delete(RecoveryCodeEntity, { userId });
  }
}
