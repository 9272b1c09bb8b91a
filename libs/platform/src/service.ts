import type { ServiceName } from '@vpn/contracts';
import type { DataSource } from '@vpn/db';
import type { BusEndpoints, CommandBus, MessageTransport } from '@vpn/messaging';
import type { Logger, PlatformConfig } from '@vpn/runtime';

/** What every service gets from the process that hosts it (its own process, or the single-process start). */
export interface ServiceContext {
  name: ServiceName;
  config: PlatformConfig;
  logger: Logger;
  /** Already migrated. */
  dataSource: DataSource;
  databaseUrl: string;
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
  start(ctx: ServiceContext): Promise<RunningService>;
}
