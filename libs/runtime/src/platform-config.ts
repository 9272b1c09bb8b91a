import { env, parseEnv, type EnvSource, type TrustProxy } from './env';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment of API.md §2, shared by every process. */
export const platformEnvSpec = {
  PORT: env.port(3000),
  DATA_DIR: env.string('./.data'),
  DATABASE_URL: env.optionalUrl(['postgres:', 'postgresql:']),
  NATS_URL: env.optionalUrl(['nats:', 'tls:', 'ws:', 'wss:']),
  SSH_PRIVATE_KEY_FILE: env.optionalString(),
  ADMIN_EMAIL: env.email('admin@localhost'),
  ADMIN_PASSWORD: env.optionalString({ minLength: 8 }),
  SYNC_INTERVAL_SECONDS: env.int(300, { min: 1, max: 86_400 }),
  JWT_PRIVATE_KEY_FILE: env.optionalString(),
  LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
  /** Port of the small /health listener of a service started on its own (not the gateway); unset: the service's own default. */
  HEALTH_PORT: env.optionalPort(),
  /** JetStream replicas of the event stream (3 on a 3-node cluster). */
  NATS_STREAM_REPLICAS: env.int(1, { min: 1, max: 5 }),
  /** Days the audit log keeps events; 0 keeps them forever. */
  AUDIT_RETENTION_DAYS: env.int(365, { min: 0, max: 36_500 }),
  /** Prefix of every NATS subject and of the stream name: several installations (or test runs) on one NATS. */
  NATS_SUBJECT_PREFIX: env.optionalString(),
  /** Name of the plan new users get. */
  DEFAULT_PLAN: env.string('Free'),
  /** Proxies whose X-Forwarded-For/-Proto are believed (hops or CIDRs); unset: none. */
  TRUST_PROXY: env.trustProxy(),
  /** Port of the gateway's separate /metrics and /health listener; unset: no /metrics at all. */
  METRICS_PORT: env.optionalPort(),
  /** `false` stops serving /api/docs and /api/docs-json. */
  API_DOCS: env.bool(true),
  /** Per-source HTTP rate limits of the auth routes: requests per RATE_LIMIT_WINDOW_SECONDS from one client address. */
  RATE_LIMIT_WINDOW_SECONDS: env.int(600, { min: 1, max: 86_400 }),
  RATE_LIMIT_REGISTER: env.int(60, { min: 1, max: 1_000_000 }),
  RATE_LIMIT_LOGIN: env.int(300, { min: 1, max: 1_000_000 }),
  RATE_LIMIT_REFRESH: env.int(300, { min: 1, max: 1_000_000 }),
  RATE_LIMIT_PASSWORD_RESET: env.int(10, { min: 1, max: 1_000_000 }),
  /** `smtp://user:pass@host:port` (or smtps:); unset: mails are written as .eml files to DATA_DIR/mail/. */
  SMTP_URL: env.optionalUrl(['smtp:', 'smtps:']),
  /** Base of links in mails; unset: http://localhost:$PORT. */
  PUBLIC_URL: env.optionalUrl(['http:', 'https:']),
  /** Saga recovery clock of provisioning (ms); unset: its production defaults. Tests shorten it. */
  SAGA_RECOVERY_HEARTBEAT_MS: env.optionalInt({ min: 1, max: 3_600_000 }),
  SAGA_RECOVERY_STALE_MS: env.optionalInt({ min: 1, max: 86_400_000 }),
  SAGA_RECOVERY_STUCK_MS: env.optionalInt({ min: 1, max: 86_400_000 }),
};

/** The port of /health when HEALTH_PORT is unset and the caller names none (a service's own default is better). */
export const FALLBACK_HEALTH_PORT = 8081;

export interface PlatformConfig {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  natsUrl: string | undefined;
  sshPrivateKeyFile: string | undefined;
  adminEmail: string;
  adminPassword: string | undefined;
  syncIntervalSeconds: number;
  jwtPrivateKeyFile: string | undefined;
  logLevel: LogLevel;
  healthPort: number;
  natsStreamReplicas: number;
  auditRetentionDays: number;
  defaultPlan: string;
  natsSubjectPrefix: string | undefined;
  trustProxy: TrustProxy;
  metricsPort: number | undefined;
  apiDocs: boolean;
  /** Requests per window from one client address, per auth route. */
  rateLimits: { windowSeconds: number; register: number; login: number; refresh: number; passwordReset: number };
  /** Holds the SMTP password: never log it. Unset: mails go to DATA_DIR/mail/ as .eml files. */
  smtpUrl: string | undefined;
  /** Base of links in mails, without a trailing slash. */
  publicUrl: string;
  /** Only what is set; the saga recovery keeps its defaults for the rest. */
  sagaRecovery: { heartbeatMs?: number; staleAfterMs?: number; stuckAfterMs?: number };
}

export interface PlatformConfigDefaults {
  /** This process's /health port unless HEALTH_PORT says otherwise (services on one host differ). */
  healthPort?: number;
}

export function loadPlatformConfig(source: EnvSource = process.env, defaults: PlatformConfigDefaults = {}): PlatformConfig {
  const e = parseEnv(platformEnvSpec, source);
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    port: e.PORT,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    sshPrivateKeyFile: e.SSH_PRIVATE_KEY_FILE,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    syncIntervalSeconds: e.SYNC_INTERVAL_SECONDS,
    jwtPrivateKeyFile: e.JWT_PRIVATE_KEY_FILE,
    logLevel: e.LOG_LEVEL,
    healthPort: e.HEALTH_PORT ?? defaults.healthPort ?? FALLBACK_HEALTH_PORT,
    natsStreamReplicas: e.NATS_STREAM_REPLICAS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    defaultPlan: e.DEFAULT_PLAN,
    natsSubjectPrefix: e.NATS_SUBJECT_PREFIX,
    trustProxy: e.TRUST_PROXY,
    metricsPort: e.METRICS_PORT,
    apiDocs: e.API_DOCS,
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS, register: e.RATE_LIMIT_REGISTER, login: e.RATE_LIMIT_LOGIN,
      refresh: e.RATE_LIMIT_REFRESH, passwordReset: e.RATE_LIMIT_PASSWORD_RESET,
    },
    smtpUrl: e.SMTP_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    sagaRecovery: defined({
      heartbeatMs: e.SAGA_RECOVERY_HEARTBEAT_MS, staleAfterMs: e.SAGA_RECOVERY_STALE_MS, stuckAfterMs: e.SAGA_RECOVERY_STUCK_MS,
    }),
  };
}
