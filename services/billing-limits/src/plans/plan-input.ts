import { CommonErrorCode, DomainError } from '@vpn/contracts';

const PLAN_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

/** A plan name: 1–64 letters, digits, space, `.`, `_`, `-`. */
export function parsePlanName(value: unknown): string {
  if (typeof value !== 'string' || !PLAN_NAME.test(value) || value.trim() !== value) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"');
  }
  return value;
}

/** A device limit: an integer from 0 to 10,000. */
export function parseMaxDevices(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 10_000) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'maxDevices must be an integer from 0 to 10000');
  }
  return value;
}
