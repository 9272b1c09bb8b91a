import { DomainError } from '@vpn/contracts';
import { assertPasswordPolicy } from './password-policy';

function codeOf(password: unknown, email = 'alice@example.com'): string {
  try {
    assertPasswordPolicy(password, email);
    return 'OK';
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

describe('password policy', () => {
  it('accepts a long, uncommon password, also one of exactly 10 and of 256 characters', () => {
    expect(codeOf('Glacier-Harbor-5521')).toBe('OK');
    expect(codeOf('tq8#Vw2!pZ')).toBe('OK');
    expect(codeOf('Glacier-Harbor-5521-'.repeat(13).slice(0, 256))).toBe('OK');
  });

  it('refuses fewer than 10 or more than 256 characters (code points, not UTF-16 units) with WEAK_PASSWORD', () => {
    expect(codeOf('tq8#Vw2!p')).toBe('WEAK_PASSWORD');
    expect(codeOf('Glacier-Harbor-5521-'.repeat(13).slice(0, 257))).toBe('WEAK_PASSWORD');
    expect(codeOf('🔑🔒🗝🔐🛡🧩🎲🪐🌋')).toBe('WEAK_PASSWORD'); // 9 code points, 18 UTF-16 units
  });

  it('refuses the email itself and passwords containing its local part, whatever the case', () => {
    expect(codeOf('alice@example.com')).toBe('WEAK_PASSWORD');
    expect(codeOf('ALICE@example.COM')).toBe('WEAK_PASSWORD');
    expect(codeOf('xyz-Alice-9931-vault', 'alice@example.com')).toBe('WEAK_PASSWORD');
  });

  it('scores only a prefix, so a long password costs little time', () => {
    const started = performance.now();
    expect(codeOf('Zq3!vL9#xT2@mW7$kR5%nB8^cF4&hJ6*'.repeat(8))).toBe('OK');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses common passwords and keyboard patterns', () => {
    for (const p of ['password123', 'qwertyuiop', '1234567890', 'iloveyou12', 'aaaaaaaaaaaa']) expect([p, codeOf(p)]).toEqual([p, 'WEAK_PASSWORD']);
  });

  it('a non-string is a validation failure, not a weak password', () => {
    expect(codeOf(12345678901)).toBe('VALIDATION_FAILED');
  });
});
