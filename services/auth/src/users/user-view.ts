import { CommonErrorCode, DomainError, type UserView } from '@vpn/contracts';
import type { UserEntity } from '@vpn/db';

export function toUserView(u: Pick<UserEntity, 'id' | 'email' | 'role'>): UserView {
  return { id: u.id, email: u.email, role: u.role };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
export const EMAIL_MAX_LENGTH = 254;

/** A syntactically plausible address; kept exactly as typed (uniqueness ignores case). */
export function assertEmail(email: unknown): asserts email is string {
  if (typeof email !== 'string' || email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email)) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'email must be an email address');
  }
}
