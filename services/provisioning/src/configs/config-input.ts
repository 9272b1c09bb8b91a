import { CommonErrorCode, DomainError, VpnErrorCode } from '@vpn/contracts';
import { parsePeerPublicKey, type WgPublicKey } from '@vpn/wireguard';

/** A device's key as the client sent it: base64 of 32 bytes, not the all-zero key. */
export function parseClientPublicKey(value: unknown): WgPublicKey {
  try {
    return parsePeerPublicKey(value);
  } catch {
    throw new DomainError(VpnErrorCode.INVALID_PUBLIC_KEY, 'publicKey must be the base64 of exactly 32 bytes, and not the all-zero key');
  }
}

/** A device key usable on this server: never the server's own interface key (WireGuard would ignore such a peer). */
export function parseDeviceKeyFor(server: { readonly publicKey: WgPublicKey }, key: WgPublicKey): WgPublicKey {
  if (key === server.publicKey) throw new DomainError(VpnErrorCode.INVALID_PUBLIC_KEY, "publicKey is the server's own key; a device needs a key of its own");
  return key;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export function parseIdempotencyKey(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1–128 visible ASCII characters');
  }
  return value;
}
