import { CommonErrorCode, DomainError, type Role, type UserView } from '@vpn/contracts';
import type { UserEntity } from '@vpn/db';

export function toUserView(u: Pick<UserEntity, 'id' | 'email' | 'role'>): UserView {
  return { id: u.id, email: u.email, role: u.role };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
export const EMAIL_MAX_LENGTH = 254;
/** Bidirectional-text controls: they make an address display as another one. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * A syntactically plausible address in NFKC form (so look-alike compatibility characters are one
 * account); bidi controls are refused. Kept otherwise as typed (uniqueness ignores case).
 */
export function normalizeEmail(email: unknown): string {
  if (typeof email !== 'string' || email.length > EMAIL_MAX_LENGTH * 4) throw invalidEmail();
  const normalized = email.normalize('NFKC');
  if (BIDI_CONTROLS.test(normalized) || normalized.length > EMAIL_MAX_LENGTH || !EMAIL.test(normalized)) throw invalidEmail();
  return normalized;
}

/** The admin listing's search text: a string no longer than an email, absent when empty. */
export function parseUserQuery(query: unknown): string | undefined {
  if (query === undefined || query === '') return undefined;
  if (typeof query !== 'string' || query.length > EMAIL_MAX_LENGTH) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `query must be a string of at most ${EMAIL_MAX_LENGTH} characters`);
  }
  return query;
}

const invalidEmail = (): DomainError => new DomainError(CommonErrorCode.VALIDATION_FAILED, 'email must be an email address');

/**
 * The role access tokens carry: with REQUIRE_ADMIN_TOTP an admin without TOTP acts as a user
 * (signs in, can enrol TOTP, but every admin route answers 403) until TOTP is on.
 */
export function tokenRole(user: Pick<UserEntity, 'role' | 'totpEnabled'>, requireAdminTotp: boolean): Role {
  return user.role === 'admin' && requireAdminTotp && !user.totpEnabled ? 'user' : user.role;
}
