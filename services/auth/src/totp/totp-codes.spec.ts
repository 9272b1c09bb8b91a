import { createHmac } from 'node:crypto';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUrl, parseRecoveryCode, parseTotpCode } from './totp-codes';

/** RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" (base32 below), 8-digit vectors cut to 6. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** An independent RFC 4226 truncation, to check the library against. */
function referenceCode(secretAscii: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', Buffer.from(secretAscii)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step)', () => {
  it('matches the RFC 6238 test vectors at their times', () => {
    expect(matchTotp(RFC_SECRET, '287082', null, 59_000)).toBe(1); // RFC: 94287082 at T=59
    expect(matchTotp(RFC_SECRET, '081804', null, 1_111_111_109_000)).toBe(37_037_036); // RFC: 07081804
    expect(matchTotp(RFC_SECRET, referenceCode('12345678901234567890', 41_152_263), null, 1_234_567_890_000)).toBe(41_152_263);
  });

  it('accepts one step either side and nothing further', () => {
    const now = 1_234_567_890_000;
    const step = Math.floor(now / 30_000);
    for (const d of [-1, 0, 1]) expect(matchTotp(RFC_SECRET, referenceCode('12345678901234567890', step + d), null, now)).toBe(step + d);
    for (const d of [-2, 2]) expect(matchTotp(RFC_SECRET, referenceCode('12345678901234567890', step + d), null, now)).toBeNull();
  });

  it('refuses a step at or before the last used one (replay)', () => {
    const now = 1_234_567_890_000;
    const step = Math.floor(now / 30_000);
    const code = referenceCode('12345678901234567890', step);
    expect(matchTotp(RFC_SECRET, code, step - 1, now)).toBe(step);
    expect(matchTotp(RFC_SECRET, code, step, now)).toBeNull();
  });

  it('makes 160-bit base32 secrets and an otpauth URI naming issuer, account and secret', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl('WireGuard VPN', 'alice@example.com', secret));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/WireGuard VPN:alice@example.com');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('WireGuard VPN');
  });

  it('parses 6-digit codes (spaces allowed) and nothing else', () => {
    expect(parseTotpCode('123 456')).toBe('123456');
    expect(['12345', '1234567', 'abcdef', ''].map(parseTotpCode)).toEqual([null, null, null, null]);
  });

  it('makes ten distinct recovery codes that parse back (case and dashes ignored) to one hash each', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(hashRecoveryCode(parseRecoveryCode(c.toUpperCase()) as string)).toBe(hashRecoveryCode(parseRecoveryCode(c.replace(/-/g, ' ')) as string));
    }
    expect(parseRecoveryCode('too-short')).toBeNull();
  });
});
