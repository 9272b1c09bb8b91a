import type { ServiceName } from '@vpn/contracts';
import type { DataSource } from '@vpn/db';
import type { BusEndpoints, CommandBus, MessageTransport } from '@vpn/messaging';
import type { Logger, PlatformConfig } from '@vpn/runtime';

/**
 * What a service asks its host for. `bus`: commands and events on NATS (or the in-process bus);
 * `database`: a migrated PostgreSQL pool (also for its event consumers' inbox); `outbox`: a relay
 * publishing the events it writes; `ssh`: the provisioner's key (SSH_PRIVATE_KEY_FILE or DATA_DIR).
 */
export type ServiceNeed = 'bus' | 'database' | 'outbox' | 'ssh';

/** What every service gets from the process that hosts it (its own process, or the single-process start). */
export interface ServiceContext {
  name: ServiceName;
  config: PlatformConfig;
  logger: Logger;
  /** Already migrated; only for a service that needs `database`. */
  dataSource?: DataSource;
  databaseUrl?: string;
  /** The event wire (outbox relay, event consumers, health). */
  transport: MessageTransport;
  /** Makes the Nest transport strategies that serve this service's handlers. */
  bus: BusEndpoints;
  /** This process's typed command client. */
  commands: CommandBus;
  /** Listen on `config.healthPort` with /health and /metrics (a service in its own process). */
  serveHealth?: boolean;
}

export interface RunningService {
  /** Stops taking work, lets in-flight work finish, releases resources. */
  stop(): Promise<void>;
}

/** A service: a Nest application started on a context. The same definition runs alone or mounted. */
export interface ServiceDefinition {
  name: ServiceName;
  /** The host opens only these (the gateway: `bus` alone, no database pool, no relay). */
  needs: readonly ServiceNeed[];
  start(ctx: ServiceContext): Promise<RunningService>;
}

/** Whether a definition asked for a resource. */
export function needs(def: Pick<ServiceDefinition, 'needs'>, need: ServiceNeed): boolean {
  return def.needs.includes(need);
}
