import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthErrorCode, DomainError } from '@vpn/contracts';
import { DataSource, type EntityManager, type UserEntity } from '@vpn/db';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { UsersRepository } from '../users/users.repository';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  /** The session: every access token issued with this family carries it as `sid`. */
  familyId: string;
}

/** The outcome of presenting a refresh token that was valid: its successor and the user it belongs to. */
export interface Rotation {
  next: IssuedRefreshToken;
  user: UserEntity;
}

const invalid = (): DomainError => new DomainError(AuthErrorCode.INVALID_REFRESH_TOKEN, 'refresh token is invalid or expired');

/**
 * Opaque refresh tokens in families; a family is a session. Only the sha256 of a token is stored.
 * Rotation runs under a row lock, so of two parallel uses of one token at most one gets a
 * successor; the other sees a rotated token, which is reuse, and revokes the family.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    private readonly tokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
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
      const row = await this.tokens.lockByHash(m, tokenHash);
      if (!row || row.revokedAt) return 'revoked';
      if (row.rotatedAt) {
        // A rotated token came back: it was stolen or replayed. End the whole family.
        await this.tokens.revokeFamily(m, row.familyId);
        return 'revoked';
      }
      const user = await this.users.findById(row.userId, m);
      if (row.expiresAt.getTime() <= Date.now() || !user || user.disabled) {
        await this.tokens.revokeFamily(m, row.familyId);
        return 'revoked';
      }
      await this.tokens.markRotated(m, row.id);
      const next = await this.insert(m, row.userId, row.familyId, row.expiresAt);
      return { next, user };
    });
    if (outcome === 'revoked') throw invalid();
    return outcome;
  }

  /** Logout: ends the family of the token, whatever state the token is in. Unknown tokens are ignored. */
  async revokeFamilyOf(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return;
    const row = await this.tokens.findByHash(hashRefreshToken(token));
    if (row) await this.ds.transaction((m) => this.tokens.revokeFamily(m, row.familyId));
  }

  /** Ends every session of the user, or every one but `keepFamilyId`. */
  revokeAllOfUser(m: EntityManager, userId: string, keepFamilyId?: string): Promise<void> {
    return this.tokens.revokeAllOfUser(m, userId, keepFamilyId);
  }

  /** Sessions ended recently enough that one of their access tokens may still be unexpired (plus clock skew). */
  endedSessions(userId: string): Promise<string[]> {
    return this.tokens.recentlyEndedFamilies(userId, this.options.accessTokenTtlSeconds + 60);
  }

  private async insert(m: EntityManager, userId: string, familyId: string, expiresAt: Date): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    await this.tokens.insert(m, { id: randomUUID(), familyId, userId, tokenHash: hashRefreshToken(token), expiresAt });
    return { token, expiresAt, familyId };
  }
}
