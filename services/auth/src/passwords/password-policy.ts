import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { AuthErrorCode, CommonErrorCode, DomainError } from '@vpn/contracts';

export const PASSWORD_MIN_CHARS = 10;
export const PASSWORD_MAX_CHARS = 256;
/** zxcvbn's score (0–4) a new password needs: 0–1 are common passwords, patterns and their small variations. */
export const PASSWORD_MIN_SCORE = 2;
/**
 * zxcvbn's time grows steeply with length (≈ 25 ms for 48 random characters, 190 ms for 256, all on
 * the event loop): only this prefix is scored; what follows adds strength, never guessability.
 */
const SCORED_PREFIX_CHARS = 32;

zxcvbnOptions.setOptions({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });

/** Characters as a person counts them (code points), not UTF-16 units. */
export function passwordLength(password: string): number {
  return [...password].length;
}

const weak = (why: string): DomainError => new DomainError(AuthErrorCode.WEAK_PASSWORD, why);

/**
 * A new password (API.md §5): 10–256 characters, neither the email nor containing its local part,
 * and not a common password (zxcvbn with the common dictionary, the email as user input). The
 * password is used exactly as typed.
 */
export function assertPasswordPolicy(password: unknown, email: string): asserts password is string {
  if (typeof password !== 'string') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'password must be a string');
  const n = passwordLength(password);
  if (n < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_CHARS) throw weak(`password must be ${PASSWORD_MIN_CHARS}-${PASSWORD_MAX_CHARS} characters`);
  const lower = password.toLowerCase();
  const address = email.toLowerCase();
  const local = address.split('@')[0];
  if (lower === address || (local.length >= 3 && lower.includes(local))) throw weak('password must not be or contain the email');
  const { score } = zxcvbn([...password].slice(0, SCORED_PREFIX_CHARS).join(''), [address, local]);
  if (score < PASSWORD_MIN_SCORE) throw weak('password is too common or too easy to guess');
}
