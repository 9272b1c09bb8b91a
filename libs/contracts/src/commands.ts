import type {
  AdminUserView, AuditEntryView, ConfigView, DeviceOptions, LoginResult, MeView, PlanView, PublicServerView, ResetStrategy,
  Role, ServerView, SubscriptionView, SyncReport, UsageSampleView, UserView,
} from './views';
import type { ErrorBody } from './errors';
import type { Page } from './paging';

/** One item of a batch command: its reservation, and the error it alone met (absent: done). */
export interface BatchItemResult {
  reservationId: string;
  error?: ErrorBody;
}

/** Most items one batch command may carry. */
export const MAX_BATCH_ITEMS = 500;

/**
 * Every command on the bus: subject → request and reply payload. Commands are request/reply
 * over core NATS with a queue group per service, so replicas share the work.
 * No subject string is written anywhere but here.
 */
export interface CommandMap {
  // ── auth ────────────────────────────────────────────────────────────────
  'auth.register': { request: { email: string; password: string }; reply: { user: UserView } };
  'auth.login': {
    /** `totp`: a 6-digit code or a recovery code, for accounts with TOTP on. */
    request: { email: string; password: string; ip: string; totp?: string };
    reply: LoginResult & { refreshToken: string; refreshExpiresAt: string };
  };
  'auth.refresh': {
    request: { refreshToken: string };
    reply: { accessToken: string; expiresIn: number; refreshToken: string; refreshExpiresAt: string };
  };
  'auth.logout': { request: { refreshToken: string }; reply: { ok: true } };
  /** The public key(s) the gateway verifies access tokens with. */
  'auth.verification-keys': { request: Record<string, never>; reply: { keys: JsonWebKeyLike[]; issuer: string; audience: string } };
  /** Current token version and state of a user, for the gateway's short revocation cache. */
  'auth.token-state': {
    request: { userId: string };
    /**
     * `role` is the role tokens carry (an admin without a required TOTP acts as a user);
     * `endedSessions`: sessions (access-token `sid`) of the user ended while their access tokens may still live.
     */
    reply: { tokenVersion: number; disabled: boolean; role: Role; email: string; accountRole: Role; totpEnabled: boolean; endedSessions: string[] } | { missing: true };
  };
  /** Ends every session of the user but `sessionId` (the caller's); the caller's password first. */
  'auth.password.change': { request: { userId: string; sessionId?: string; currentPassword: string; newPassword: string }; reply: { ok: true } };
  /** Mails a one-time reset link when the email has an account; answers at once either way. */
  'auth.password-reset.request': { request: { email: string }; reply: { ok: true } };
  /** `userId`: whose sessions just ended, so the gateway can drop its cached token state at once. */
  'auth.password-reset.confirm': { request: { token: string; newPassword: string }; reply: { ok: true; userId: string } };
  /** A new TOTP secret, pending until confirmed with a code. */
  'auth.totp.enrol': { request: { userId: string }; reply: { secret: string; otpauthUrl: string } };
  'auth.totp.confirm': { request: { userId: string; code: string }; reply: { recoveryCodes: string[] } };
  'auth.totp.disable': { request: { userId: string; code: string }; reply: { ok: true } };
  /** Sign out everywhere: every refresh family and access token of the user ends. */
  'auth.sessions.revoke-all': { request: { userId: string }; reply: { ok: true } };
  'auth.users.get': { request: { userId: string }; reply: UserView & { disabled: boolean } };
  /** Keyset-paged by (lower(email), id); `query`: a case-insensitive substring of the email; `cursor` from the previous page. */
  'auth.users.list': { request: { query?: string; limit: number; cursor?: string }; reply: Page<UserView & { disabled: boolean }> };
  /** The emails of the given users (unknown ids are left out), e.g. for one page of an admin listing. */
  'auth.users.emails': { request: { userIds: string[] }; reply: Array<{ userId: string; email: string }> };
  'auth.users.update': {
    request: { actorId: string; userId: string; role?: Role; disabled?: boolean };
    reply: UserView & { disabled: boolean };
  };
  /** One hit on a shared HTTP rate-limit counter (the gateway's ThrottlerStorage); times in ms. */
  'auth.throttle.hit': {
    request: { key: string; ttlMs: number; limit: number; blockDurationMs: number };
    reply: { totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number };
  };

  // ── billing-limits ──────────────────────────────────────────────────────
  'limits.plans.list': { request: Record<string, never>; reply: PlanView[] };
  'limits.plans.create': { request: { actorId: string; name: string; maxDevices: number } & Partial<PlanTerms>; reply: PlanView };
  'limits.plans.update': { request: { actorId: string; planId: string; name?: string; maxDevices?: number } & Partial<PlanTerms>; reply: PlanView };
  /** The user's plan, used device slots (committed + live reservations) and subscription. */
  'limits.account': { request: { userId: string }; reply: { plan: PlanView; devicesUsed: number; subscription: SubscriptionView } };
  'limits.accounts': { request: { userIds: string[] }; reply: Array<{ userId: string; planId: string; devicesUsed: number }> };
  'limits.assign-plan': { request: { actorId: string; userId: string; planId: string }; reply: { userId: string; planId: string } };
  /** Check the device limit and reserve one slot, in one transaction. */
  'limits.reserve': { request: { userId: string; reservationId: string; ttlSeconds?: number }; reply: { reservationId: string } };
  /** Idempotent; `userId` lets a commit after the reservation was swept still count the device. */
  'limits.commit': { request: { reservationId: string; deviceId: string; userId?: string }; reply: { ok: true } };
  /**
   * Many reservations in one round trip (a provisioner coalesces its concurrent sagas): each item is
   * checked and reserved exactly as `limits.reserve`; an item's failure is its own `error`.
   */
  'limits.reserve-many': {
    request: { items: Array<{ userId: string; reservationId: string }>; ttlSeconds?: number };
    reply: { results: BatchItemResult[] };
  };
  /** Many commits in one round trip; each item as `limits.commit`. */
  'limits.commit-many': {
    request: { items: Array<{ reservationId: string; deviceId: string; userId?: string }> };
    reply: { results: BatchItemResult[] };
  };
  /** Frees a reservation, or the slot of a committed device; idempotent. */
  'limits.release': { request: { reservationId?: string; deviceId?: string }; reply: { ok: true } };
  /** Admin: sets the subscription's expiry and/or data limit (null: none). */
  'limits.subscription.update': {
    request: { actorId: string; userId: string; expiresAt?: string | null; dataLimitBytes?: number | null };
    reply: SubscriptionView;
  };
  /** Admin: `days` more (1–3650), from `expiresAt` before it passed, from now after. */
  'limits.subscription.renew': { request: { actorId: string; userId: string; days: number }; reply: SubscriptionView };
  /** Admin: raises the data limit by `bytes` (> 0). */
  'limits.subscription.top-up': { request: { actorId: string; userId: string; bytes: number }; reply: SubscriptionView };
  /** Admin: usedBytes to 0 now (a usage-history row keeps the period). */
  'limits.subscription.reset-usage': { request: { actorId: string; userId: string }; reply: SubscriptionView };
  /**
   * Traffic from the usage collector, per user. `batchId` names the collector run: a redelivered or
   * retried batch is recognised and counts nothing (`applied: false`).
   */
  'limits.usage.record': { request: { batchId: string; samples: UsageDelta[] }; reply: { applied: boolean } };
  /** The first handshake of any of the user's devices: ON_HOLD → ACTIVE from `handshakeAt`, once. */
  'limits.activate-on-handshake': { request: { userId: string; handshakeAt: string }; reply: { activated: boolean } };

  // ── provisioning: servers ───────────────────────────────────────────────
  'server.ssh-key': { request: Record<string, never>; reply: { publicKey: string } };
  'server.register': { request: RegisterServerCommand & { actorId: string }; reply: ServerView };
  'server.list': { request: Record<string, never>; reply: ServerView[] };
  'server.list-public': { request: Record<string, never>; reply: PublicServerView[] };
  'server.update': {
    request: { actorId: string; serverId: string; name?: string; location?: string; maintenance?: boolean; dns?: string[]; sshHostKey?: string };
    reply: ServerView;
  };
  'server.delete': { request: { actorId: string; serverId: string }; reply: { ok: true } };
  /** Re-pins the SSH host key after a legitimate change, once the server shows that key and its registered interface. */
  'server.pin-host-key': { request: { actorId: string; serverId: string; sshHostKey: string }; reply: ServerView };

  // ── provisioning: configs ───────────────────────────────────────────────
  'config.create': {
    request: { userId: string; serverId: string; name: string; publicKey: string; idempotencyKey?: string } & DeviceOptions;
    reply: { config: ConfigView; server: ServerConfRenderInfo; replayed: boolean };
  };
  /** Rename, options, and `enabled` (the peer off/on the server before the reply). */
  'config.update': {
    request: { userId: string; configId: string; actorId: string; name?: string; enabled?: boolean } & DeviceOptions;
    reply: ConfigView;
  };
  /** A new key for the same address and name; the old key is off the server before the reply. */
  'config.rekey': { request: { userId: string; configId: string; actorId: string; publicKey: string }; reply: { config: ConfigView; server: ServerConfRenderInfo } };
  /** What the edge needs to render a config's wg-quick file (without its private key). */
  'config.conf': { request: { userId: string; configId: string }; reply: { config: ConfigView; server: ServerConfRenderInfo } };
  'config.list': { request: { userId: string }; reply: ConfigView[] };
  'config.get': { request: { userId: string; configId: string }; reply: ConfigView };
  'config.revoke': { request: { userId: string; configId: string; actorId: string }; reply: { ok: true } };
  /** Every user's configs, keyset-paged by (createdAt, id); `query`: a substring of the name or address. */
  'config.admin-list': {
    request: { query?: string; serverId?: string; userId?: string; limit: number; cursor?: string };
    reply: Page<ConfigView & { userId: string }>;
  };
  /** An admin revokes any user's config: the owner's revocation saga, `actorId` the admin. */
  'config.admin-revoke': { request: { configId: string; actorId: string }; reply: { ok: true } };
  'config.usage': { request: { userId: string; configId: string; from: string; to: string }; reply: UsageSampleView[] };

  // ── sync ────────────────────────────────────────────────────────────────
  'sync.run': { request: { serverId: string; actorId: string }; reply: SyncReport };

  // ── audit ───────────────────────────────────────────────────────────────
  'audit.list': { request: { limit: number; before?: string }; reply: AuditEntryView[] };

  // ── health ──────────────────────────────────────────────────────────────
  /** Whether the answering service reaches PostgreSQL: the gateway, which has no pool, reports it as its `db` check. */
  'health.database': { request: Record<string, never>; reply: { db: 'up' | 'down' } };
}

export interface RegisterServerCommand {
  name: string;
  location?: string;
  host: string;
  sshPort?: number;
  sshUser?: string;
  sshHostKey?: string;
  endpoint: string;
  interface?: string;
  addressPool: string;
  dns?: string[];
}

/** What the edge needs to render a client's wg-quick file. */
export interface ServerConfRenderInfo {
  publicKey: string;
  endpoint: string;
  dns: string[];
}

/** A plan's subscription terms (API.md §5); null limits are unlimited. */
export interface PlanTerms {
  dataLimitBytes: number | null;
  durationDays: number | null;
  resetStrategy: ResetStrategy;
  startOnFirstConnect: boolean;
}

/** Bytes a user's devices moved since the collector's previous read (`at`: when it was read, ISO). */
export interface UsageDelta {
  userId: string;
  rxBytesDelta: number;
  txBytesDelta: number;
  at: string;
}

/** Most samples one `limits.usage.record` may carry. */
export const MAX_USAGE_SAMPLES = 20_000;

/** A public JWK (no private members). */
export interface JsonWebKeyLike {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  kid?: string;
  alg?: string;
  use?: string;
}

export type CommandSubject = keyof CommandMap;
export type CommandRequest<S extends CommandSubject> = CommandMap[S]['request'];
export type CommandReply<S extends CommandSubject> = CommandMap[S]['reply'];

/** Subject prefix → the service (queue group) that serves it. */
export const COMMAND_OWNERS = {
  auth: 'auth',
  limits: 'billing-limits',
  server: 'provisioning',
  config: 'provisioning',
  sync: 'sync',
  audit: 'audit',
  /** Auth answers for the database: every sign-in depends on it, and all services share one PostgreSQL. */
  health: 'auth',
} as const satisfies Record<string, ServiceName>;

export type ServiceName = 'gateway' | 'auth' | 'billing-limits' | 'provisioning' | 'sync' | 'audit';
export const SERVICE_NAMES: readonly ServiceName[] = ['gateway', 'auth', 'billing-limits', 'provisioning', 'sync', 'audit'];

/** Every command subject, checked at compile time against CommandMap. */
export const COMMAND_SUBJECTS = [
  'auth.register', 'auth.login', 'auth.refresh', 'auth.logout', 'auth.verification-keys', 'auth.token-state',
  'auth.users.get', 'auth.users.list', 'auth.users.emails', 'auth.users.update', 'auth.throttle.hit',
  'auth.password.change', 'auth.password-reset.request', 'auth.password-reset.confirm',
  'auth.totp.enrol', 'auth.totp.confirm', 'auth.totp.disable', 'auth.sessions.revoke-all',
  'limits.plans.list', 'limits.plans.create', 'limits.plans.update', 'limits.account', 'limits.accounts',
  'limits.assign-plan', 'limits.reserve', 'limits.commit', 'limits.reserve-many', 'limits.commit-many', 'limits.release',
  'limits.subscription.update', 'limits.subscription.renew', 'limits.subscription.top-up', 'limits.subscription.reset-usage',
  'limits.usage.record', 'limits.activate-on-handshake',
  'server.ssh-key', 'server.register', 'server.list', 'server.list-public', 'server.update', 'server.delete', 'server.pin-host-key',
  'config.create', 'config.list', 'config.get', 'config.revoke', 'config.admin-list', 'config.admin-revoke', 'config.usage',
  'config.update', 'config.rekey', 'config.conf',
  'sync.run',
  'audit.list',
  'health.database',
] as const satisfies readonly CommandSubject[];

// Compile-time proof that COMMAND_SUBJECTS lists every key of CommandMap.
type MissingSubjects = Exclude<CommandSubject, (typeof COMMAND_SUBJECTS)[number]>;
const _allSubjectsListed: MissingSubjects extends never ? true : MissingSubjects = true;
void _allSubjectsListed;

/** The service whose queue group serves a subject. */
export function commandOwner(subject: CommandSubject): ServiceName {
  const prefix = subject.split('.')[0] as keyof typeof COMMAND_OWNERS;
  return COMMAND_OWNERS[prefix];
}
