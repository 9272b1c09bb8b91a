/** Shapes of the public REST API (API.md §3). Times are ISO 8601 UTC strings. */
export type Role = 'admin' | 'user';

export interface UserView {
  id: string;
  email: string;
  role: Role;
}

export interface PlanView {
  id: string;
  name: string;
  maxDevices: number;
}

export interface MeView extends UserView {
  plan: PlanView;
  devicesUsed: number;
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
