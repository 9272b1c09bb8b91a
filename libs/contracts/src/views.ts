/** Shapes of the public REST API (API.md §3). Times are ISO 8601 UTC strings. */
export type Role = 'admin' | 'user';

export interface UserView {
  id: string;
  email: string;
  role: Role;
}

/** How a subscription's usage is reset (API.md §5); every boundary is at 00:00 UTC. */
export type ResetStrategy = 'NO_RESET' | 'DAY' | 'WEEK' | 'MONTH' | 'MONTH_ROLLING' | 'YEAR';
export const RESET_STRATEGIES: readonly ResetStrategy[] = ['NO_RESET', 'DAY', 'WEEK', 'MONTH', 'MONTH_ROLLING', 'YEAR'];

export interface PlanView {
  id: string;
  name: string;
  maxDevices: number;
  /** null: unlimited traffic. */
  dataLimitBytes: number | null;
  /** null: never expires. */
  durationDays: number | null;
  resetStrategy: ResetStrategy;
  /** The subscription waits ON_HOLD until the first handshake of any of the user's devices. */
  startOnFirstConnect: boolean;
}

/** Only ACTIVE and ON_HOLD may have devices on the servers. */
export type SubscriptionStatus = 'ACTIVE' | 'ON_HOLD' | 'LIMITED' | 'EXPIRED' | 'DISABLED';
export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'ON_HOLD', 'LIMITED', 'EXPIRED', 'DISABLED'];

export interface SubscriptionView {
  status: SubscriptionStatus;
  planId: string;
  /** null while ON_HOLD (the clock has not started). */
  startedAt: string | null;
  expiresAt: string | null;
  dataLimitBytes: number | null;
  usedBytes: number;
  lifetimeUsedBytes: number;
  lastResetAt: string | null;
  nextResetAt: string | null;
}

export interface MeView extends UserView {
  plan: PlanView;
  devicesUsed: number;
  subscription: SubscriptionView;
}

export interface AdminUserView extends UserView {
  planId: string;
  disabled: boolean;
  devicesUsed: number;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: UserView;
}

export interface PublicServerView {
  id: string;
  name: string;
  location: string;
  maintenance: boolean;
}

export interface ServerView {
  id: string;
  name: string;
  location: string;
  host: string;
  sshPort: number;
  sshUser: string;
  endpoint: string;
  interface: string;
  addressPool: string;
  dns: string[];
  publicKey: string;
  listenPort: number;
  maintenance: boolean;
  peerCount: number;
  lastSyncAt: string | null;
  reachable: boolean;
}

export type ConfigStatus = 'active' | 'suspended';

export interface ConfigView {
  id: string;
  name: string;
  serverId: string;
  serverName: string;
  address: string;
  publicKey: string;
  status: ConfigStatus;
  createdAt: string;
  lastHandshakeAt: string | null;
  rxBytes: number;
  txBytes: number;
  /** false: the peer is off its server (key and address kept). */
  enabled: boolean;
  /** The client's DNS; null: the server's. */
  dns: string[] | null;
  mtu: number | null;
  /** What the client routes into the tunnel. */
  allowedIps: string[];
  persistentKeepalive: number | null;
  /** A handshake within the last CONNECTED_WITHIN_SECONDS. */
  connected: boolean;
}

export const CONNECTED_WITHIN_SECONDS = 180;

/** A device's own client options (API.md §5 Devices), as create and update take them. */
export interface DeviceOptions {
  dns?: string[] | null;
  mtu?: number | null;
  allowedIps?: string[];
  persistentKeepalive?: number | null;
}

export interface CreatedConfigView {
  config: ConfigView;
  conf: string;
}

export interface UsageSampleView {
  at: string;
  rxBytes: number;
  txBytes: number;
}

export interface SyncReport {
  serverId: string;
  added: number;
  removed: number;
  updated: number;
  unchanged: number;
  durationMs: number;
}

export interface AuditEntryView {
  id: string;
  type: string;
  occurredAt: string;
  actorId: string | null;
  subject: string | null;
  data: Record<string, unknown>;
}

export interface HealthView {
  status: 'ok' | 'unavailable';
  checks: { db: 'up' | 'down'; bus: 'up' | 'down' };
}

export interface ErrorResponse {
  statusCode: number;
  code: string;
  message: string;
}
