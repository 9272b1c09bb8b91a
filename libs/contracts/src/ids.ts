import { CommonErrorCode, DomainError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids from outside are checked before they reach SQL, so a bad id is "not found" (or a 400),
 * never a database error.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The id in canonical lower case, or VALIDATION_FAILED naming the field. */
export function parseUuid(value: unknown, what: string): string {
  if (!isUuid(value)) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `${what} must be a UUID`);
  return value.toLowerCase();
}
