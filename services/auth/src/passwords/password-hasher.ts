import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { WorkLane } from './work-lane';

// `Algorithm` is a const enum in the typings, which per-file transpilers cannot inline.
const ARGON2ID = 2 as unknown as Algorithm;

/**
 * argon2id hashing in two bounded lanes: new hashes (registrations) and login verifications each
 * take only their own few threads, so a burst of one cannot starve the other. `verifyOrDummy`
 * always runs one full verification, against a dummy hash when there is no account, so an unknown
 * email costs the same time as a wrong password.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';
  private readonly hashing: WorkLane;
  private readonly verifying: WorkLane;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {
    const { hashing, verifying } = options.argon2Lanes;
    this.hashing = new WorkLane('argon2-hash', hashing.concurrency, hashing.maxWaiting);
    this.verifying = new WorkLane('argon2-verify', verifying.concurrency, verifying.maxWaiting);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  /** A new hash; `policy` (which may throw) runs first, inside the lane. */
  hash(password: string, policy?: (password: string) => void): Promise<string> {
    const { memoryCost, timeCost, parallelism } = this.options.argon2;
    return this.hashing.run(() => {
      policy?.(password);
      return hash(password, { algorithm: ARGON2ID, memoryCost, timeCost, parallelism });
    });
  }

  async verifyOrDummy(storedHash: string | null, password: string): Promise<boolean> {
    return this.verifying.run(async () => {
      try {
        const ok = await verify(storedHash ?? this.dummyHash, password);
        return ok && storedHash !== null;
      } catch {
        return false;
      }
    });
  }
}
