import { env, parseEnv, type EnvSource } from '@vpn/runtime';

/** Tunables of the auth service. Defaults are the production policy; tests shorten windows. */
export interface AuthOptions {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  /** Absolute lifetime of a refresh-token family, counted from login. */
  refreshTokenTtlSeconds: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  throttle: {
    /** Failed logins allowed per account (lower-cased email) within `accountWindowSeconds`, from any address. */
    accountMaxFailures: number;
    accountWindowSeconds: number;
    /** Failed logins allowed per client address within `ipWindowSeconds`, over all accounts. */
    ipMaxFailures: number;
    ipWindowSeconds: number;
  };
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  issuer: 'vpn-auth',
  audience: 'vpn-api',
  accessTokenTtlSeconds: 15 * 60,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  throttle: { accountMaxFailures: 100, accountWindowSeconds: 3600, ipMaxFailures: 300, ipWindowSeconds: 900 },
};

const authEnvSpec = {
  AUTH_LOGIN_ACCOUNT_MAX_FAILURES: env.int(DEFAULT_AUTH_OPTIONS.throttle.accountMaxFailures, { min: 1, max: 100 }),
  AUTH_LOGIN_ACCOUNT_WINDOW_SECONDS: env.int(DEFAULT_AUTH_OPTIONS.throttle.accountWindowSeconds, { min: 1, max: 7 * 86_400 }),
  AUTH_LOGIN_IP_MAX_FAILURES: env.int(DEFAULT_AUTH_OPTIONS.throttle.ipMaxFailures, { min: 1, max: 100_000 }),
  AUTH_LOGIN_IP_WINDOW_SECONDS: env.int(DEFAULT_AUTH_OPTIONS.throttle.ipWindowSeconds, { min: 1, max: 7 * 86_400 }),
};

export type AuthOptionsOverrides = Partial<Omit<AuthOptions, 'throttle' | 'argon2'>> & {
  throttle?: Partial<AuthOptions['throttle']>;
  argon2?: Partial<AuthOptions['argon2']>;
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
    ...overrides,
    argon2,
    throttle: {
      accountMaxFailures: e.AUTH_LOGIN_ACCOUNT_MAX_FAILURES,
      accountWindowSeconds: e.AUTH_LOGIN_ACCOUNT_WINDOW_SECONDS,
      ipMaxFailures: e.AUTH_LOGIN_IP_MAX_FAILURES,
      ipWindowSeconds: e.AUTH_LOGIN_IP_WINDOW_SECONDS,
      ...overrides.throttle,
    },
  };
}
