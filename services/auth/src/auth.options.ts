import { env, parseEnv, type EnvSource } from '@vpn/runtime';

/** Tunables of the auth service. Defaults are the production policy; tests shorten windows. */
export interface AuthOptions {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  /** Absolute lifetime of a refresh-token family, counted from login. */
  refreshTokenTtlSeconds: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** How long a mailed password-reset link works. */
  passwordResetTtlSeconds: number;
  /**
   * REQUIRE_ADMIN_TOTP: an admin without TOTP still signs in (the bootstrap admin is never locked
   * out) but acts as a user, so every admin route answers 403, until TOTP is enrolled.
   */
  requireAdminTotp: boolean;
  /** The issuer an authenticator app shows beside the account. */
  totpIssuer: string;
  /** argon2 runs at most this many at once per lane, so a burst of registrations cannot starve logins. */
  argon2Lanes: {
    /** New hashes (registration, password changes): concurrent runs, and how many may wait before 429. */
    hashing: { concurrency: number; maxWaiting: number };
    /** Login verifications. */
    verifying: { concurrency: number; maxWaiting: number };
  };
  /**
   * Login slow-down: failures are counted per account + source address and per source address; past
   * the free failures each further attempt of that pair (or address) waits a growing delay. Nothing
   * here concerns an address that has not been failing.
   */
  throttle: {
    /** Failures of one account from one address before its attempts are slowed down. */
    pairFreeFailures: number;
    /** Failures from one address, over all accounts, before its attempts are slowed down. */
    sourceFreeFailures: number;
    /** Failures older than this are forgotten. */
    windowSeconds: number;
    /** Delay after the first failure past the free ones; doubles with each further failure. */
    baseDelayMs: number;
    maxDelayMs: number;
    /** An attempt waits at most this long for its turn; attempts queued deeper answer 429 TOO_MANY_ATTEMPTS. */
    maxWaitMs: number;
  };
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  issuer: 'vpn-auth',
  audience: 'vpn-api',
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  passwordResetTtlSeconds: 30 * 60,
  requireAdminTotp: false,
  totpIssuer: 'WireGuard VPN',
  argon2Lanes: { hashing: { concurrency: 1, maxWaiting: 64 }, verifying: { concurrency: 2, maxWaiting: 512 } },
  throttle: { pairFreeFailures: 5, sourceFreeFailures: 30, windowSeconds: 3600, baseDelayMs: 500, maxDelayMs: 5_000, maxWaitMs: 8_000 },
};

const authEnvSpec = {
  AUTH_LOGIN_FREE_FAILURES: env.int(DEFAULT_AUTH_OPTIONS.throttle.pairFreeFailures, { min: 0, max: 1_000 }),
  AUTH_LOGIN_SOURCE_FREE_FAILURES: env.int(DEFAULT_AUTH_OPTIONS.throttle.sourceFreeFailures, { min: 0, max: 100_000 }),
  AUTH_LOGIN_WINDOW_SECONDS: env.int(DEFAULT_AUTH_OPTIONS.throttle.windowSeconds, { min: 1, max: 7 * 86_400 }),
  AUTH_LOGIN_MAX_DELAY_MS: env.int(DEFAULT_AUTH_OPTIONS.throttle.maxDelayMs, { min: 0, max: 60_000 }),
  REQUIRE_ADMIN_TOTP: env.bool(DEFAULT_AUTH_OPTIONS.requireAdminTotp),
};

export type AuthOptionsOverrides = Partial<Omit<AuthOptions, 'throttle' | 'argon2' | 'argon2Lanes'>> & {
  throttle?: Partial<AuthOptions['throttle']>;
  argon2?: Partial<AuthOptions['argon2']>;
  argon2Lanes?: Partial<AuthOptions['argon2Lanes']>;
};

/** Defaults, then the environment (AUTH_LOGIN_*), then explicit overrides. */
export function resolveAuthOptions(overrides: AuthOptionsOverrides = {}, source: EnvSource = process.env): AuthOptions {
  const e = parseEnv(authEnvSpec, source);
  const argon2 = { ...DEFAULT_AUTH_OPTIONS.argon2, ...overrides.argon2 };
  if (argon2.memoryCost < 19_456 || argon2.timeCost < 2 || argon2.parallelism < 1) {
    throw new Error('argon2id parameters below the policy floor (m ≥ 19456 KiB, t ≥ 2, p ≥ 1)');
  }
  return {
    ...DEFAULT_AUTH_OPTIONS,
    requireAdminTotp: e.REQUIRE_ADMIN_TOTP,
    ...overrides,
    argon2,
    argon2Lanes: { ...DEFAULT_AUTH_OPTIONS.argon2Lanes, ...overrides.argon2Lanes },
    throttle: {
      ...DEFAULT_AUTH_OPTIONS.throttle,
      pairFreeFailures: e.AUTH_LOGIN_FREE_FAILURES,
      sourceFreeFailures: e.AUTH_LOGIN_SOURCE_FREE_FAILURES,
      windowSeconds: e.AUTH_LOGIN_WINDOW_SECONDS,
      maxDelayMs: e.AUTH_LOGIN_MAX_DELAY_MS,
      ...overrides.throttle,
    },
  };
}
