import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '@vpn/contracts';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';

// `Algorithm` is a const enum in the typings, which per-file transpilers cannot inline.
const ARGON2ID = 2 as unknown as Algorithm;

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 256;

/** Characters as a person counts them (code points), not UTF-16 units. */
export function passwordLength(password: string): number {
  return [...password].length;
}

/** Rejects a password outside 8–256 characters. The password is used exactly as typed. */
export function assertPasswordPolicy(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'password must be a string');
  const n = passwordLength(password);
  if (n < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_CHARS) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `password must be ${PASSWORD_MIN_CHARS}-${PASSWORD_MAX_CHARS} characters`);
  }
}

/**
 * argon2id hashing. `verifyOrDummy` always runs one full verification, against a dummy hash when
 * there is no account, so an unknown email costs the same time as a wrong password.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    const { memoryCost, timeCost, parallelism } = this.options.argon2;
    return hash(password, { algorithm: ARGON2ID, memoryCost, timeCost, parallelism });
  }

  async verifyOrDummy(storedHash: string | null, password: string): Promise<boolean> {
    try {
      const ok = await verify(storedHash ?? this.dummyHash, password);
      return ok && storedHash !== null;
    } catch {
      return false;
    }
  }
}
