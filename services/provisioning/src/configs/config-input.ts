import { CommonErrorCode, DomainError, VpnErrorCode } from '@vpn/contracts';
import { parsePublicKey, type WgPublicKey } from '@vpn/wireguard';

export function parseClientPublicKey(value: unknown): WgPublicKey {
  try {
    return parsePublicKey(value);
  } catch {
    throw new DomainError(VpnErrorCode.INVALID_PUBLIC_KEY, 'publicKey must be the base64 of exactly 32 bytes');
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export function parseIdempotencyKey(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1–128 visible ASCII characters');
  }
  return value;
}
