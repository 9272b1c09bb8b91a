import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, DomainError } from '@vpn/contracts';
import { DataSource, RefreshTokenEntity, UserEntity, type EntityManager } from '@vpn/db';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

/** The outcome of presenting a refresh token that was valid: its successor and the user it belongs to. */
export interface Rotation {
  next: IssuedRefreshToken;
  user: UserEntity;
}

const invalid = (): DomainError => new DomainError(AuthErrorCode.INVALID_REFRESH_TOKEN, 'refresh token is invalid or expired');

/**
 * Opaque refresh tokens in families. Only the sha256 of a token is stored. Rotation runs under a
 * row lock, so of two parallel uses of one token at most one gets a successor; the other sees a
 * rotated token, which is reuse, and revokes the family.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  /** Starts a family at login; it ends, whatever the rotations, refreshTokenTtlSeconds later. */
  async startFamily(m: EntityManager, userId: string): Promise<IssuedRefreshToken> {
    const expiresAt = new Date(Date.now() + this.options.refreshTokenTtlSeconds * 1000);
    return this.insert(m, userId, randomUUID(), expiresAt);
  }

  async rotate(token: unknown): Promise<Rotation> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) throw invalid();
    const tokenHash = hashRefreshToken(token);
    const outcome = await this.ds.transaction(async (m): Promise<Rotation | 'revoked'> => {
      const row = await m.getRepository(RefreshTokenEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.revokedAt) return 'revoked';
      if (row.rotatedAt) {
        // A rotated token came back: it was stolen or replayed. End the whole family.
        await this.revokeFamily(m, row.familyId);
        return 'revoked';
      }
      const user = await m.getRepository(UserEntity).findOneBy({ id: row.userId });
      if (row.expiresAt.getTime() <= Date.now() || !user || user.disabled) {
        await this.revokeFamily(m, row.familyId);
        return 'revoked';
      }
      await m.update(RefreshTokenEntity, { id: row.id }, { rotatedAt: new Date() });
      const next = await this.insert(m, row.userId, row.familyId, row.expiresAt);
      return { next, user };
    });
    if (outcome === 'revoked') throw invalid();
    return outcome;
  }

  /** Logout: ends the family of the token, whatever state the token is in. Unknown tokens are ignored. */
  async revokeFamilyOf(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return;
    await this.ds.transaction(async (m) => {
      const row = await m.getRepository(RefreshTokenEntity).findOneBy({ tokenHash: hashRefreshToken(token) });
      if (row) await this.revokeFamily(m, row.familyId);
    });
  }

  async revokeAllOfUser(m: EntityManager, userId: string): Promise<void> {
    await m.query(`UPDATE auth.refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  private async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query(`UPDATE auth.refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  }

  private async insert(m: EntityManager, userId: string, familyId: string, expiresAt: Date): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    await m.insert(RefreshTokenEntity, {
      id: randomUUID(), familyId, userId, tokenHash: hashRefreshToken(token), expiresAt, rotatedAt: null, revokedAt: null,
    });
    return { token, expiresAt };
  }
}
