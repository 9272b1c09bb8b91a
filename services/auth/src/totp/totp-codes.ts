import { createHash, randomInt } from 'node:crypto';
import { authenticator } from 'otplib';

/** RFC 6238 as API.md §5 fixes it: SHA-1, 6 digits, 30-second steps, one step either side accepted. */
export const TOTP_PERIOD_SECONDS = 30;
// otplib 12 (CommonJS): 13 depends on an ESM-only base32 package that jest on Node 20 cannot load.
const totp = authenticator.clone({ digits: 6, step: TOTP_PERIOD_SECONDS, window: 1 }); // SHA-1 is its default

export const RECOVERY_CODE_COUNT = 10;

/** A 6-digit TOTP code as typed (spaces allowed), or null when it cannot be one. */
export function parseTotpCode(value: string): string | null {
  const digits = value.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A new base32 secret of 160 bits (RFC 4226's recommended length for SHA-1). */
export function newTotpSecret(): string {
  return totp.generateSecret(20);
}

/** The otpauth:// URI an authenticator app scans (SHA1, 6 digits, period 30). */
export function otpauthUrl(issuer: string, account: string, secret: string): string {
  return totp.keyuri(account, issuer, secret);
}

/**
 * The time step a code matches (now ±1 step), or null. Steps at or before `afterStep` are refused,
 * so a code that signed in once cannot be replayed within its window.
 */
export function matchTotp(secret: string, code: string, afterStep: number | null, now = Date.now()): number | null {
  const delta = totp.clone({ epoch: now }).checkDelta(code, secret);
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
  return afterStep !== null && step <= afterStep ? null : step;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like `k7m2-q9xa-4tpe` (≈ 59 bits each), shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** A recovery code as typed (case, spaces and dashes ignored), or null when it cannot be one. */
export function parseRecoveryCode(value: string): string | null {
  const plain = value.toLowerCase().replace(/[\s-]+/g, '');
  return /^[a-z0-9]{12}$/.test(plain) ? plain : null;
}

/** Recovery codes are random, not chosen by people: a plain sha256 of the parsed form is enough. */
export function hashRecoveryCode(parsed: string): string {
  return createHash('sha256').update(parsed, 'utf8').digest('hex');
}
