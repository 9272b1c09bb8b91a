import type { ServiceName } from '@vpn/contracts';
import { ConfigError, createLogger, loadPlatformConfig, ShutdownCoordinator, type EnvSource, type PlatformConfig } from '@vpn/runtime';
import { openDatabase } from '@vpn/db';
import { BusEndpoints, CommandBus, connectTransport, OutboxRelay } from '@vpn/messaging';
import { needs, type ServiceContext, type ServiceDefinition } from './service';

/**
 * Default /health port of each service run on its own, so all of them start on one host without
 * setting HEALTH_PORT. The gateway has none: its /health is on PORT (and on METRICS_PORT when set).
 */
export const DEFAULT_HEALTH_PORTS: Readonly<Record<Exclude<ServiceName, 'gateway'>, number>> = {
  auth: 8081,
  'billing-limits': 8082,
  provisioning: 8083,
  sync: 8084,
  audit: 8085,
};

export function defaultHealthPort(name: ServiceName): number | undefined {
  return name === 'gateway' ? undefined : DEFAULT_HEALTH_PORTS[name];
}

/**
 * Parses the environment once, or stops the process with one message naming every bad variable
 * and every variable the service cannot run without.
 */
export function loadConfigOrExit(source: EnvSource = process.env, def?: Pick<ServiceDefinition, 'name' | 'needs'>): PlatformConfig {
  try {
    return loadServiceConfig(source, def);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** The platform config of one service (its own health port), or a ConfigError listing every problem. */
export function loadServiceConfig(source: EnvSource, def?: Pick<ServiceDefinition, 'name' | 'needs'>): PlatformConfig {
  const missing = def ? missingSettings(source, def) : [];
  let config: PlatformConfig;
  try {
    config = loadPlatformConfig(source, { healthPort: def && defaultHealthPort(def.name) });
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError([...e.problems, ...missing]);
    throw e;
  }
  if (missing.length > 0) throw new ConfigError(missing);
  return config;
}

/** A service in its own process has no embedded fallbacks: the URLs of what it needs must be set. */
function missingSettings(source: EnvSource, def: Pick<ServiceDefinition, 'name' | 'needs'>): Array<{ variable: string; problem: string }> {
  const required = [...(needs(def, 'database') ? ['DATABASE_URL'] : []), 'NATS_URL'];
  return required
    .filter((variable) => (source[variable] ?? '').trim() === '')
    .map((variable) => ({ variable, problem: `must be set to run ${def.name} as its own process` }));
}

/**
 * Runs one service as its own OS process on NATS (`npm run start:<service>`), opening only what it
 * declares: a migrated PostgreSQL pool (`database`), an outbox relay (`outbox`); then the service,
 * its /health listener (not the gateway's: that is on its PORT), graceful shutdown.
 */
export async function runServiceProcess(def: ServiceDefinition): Promise<void> {
  const config = loadConfigOrExit(process.env, def);
  const logger = createLogger({ level: config.logLevel, name: def.name });
  const shutdown = new ShutdownCoordinator(logger);
  shutdown.installSignalHandlers();
  const databaseUrl = needs(def, 'database') ? config.databaseUrl : undefined;
  const dataSource = databaseUrl ? await openDatabase({ url: databaseUrl, applicationName: def.name, poolSize: 10 }) : undefined;
  if (dataSource) shutdown.register('database', () => dataSource.destroy());
  const transport = await connectTransport({ natsUrl: config.natsUrl, name: def.name, streamReplicas: config.natsStreamReplicas, prefix: config.natsSubjectPrefix });
  shutdown.register('bus', () => transport.close());
  if (dataSource && needs(def, 'outbox')) {
    const relay = new OutboxRelay(dataSource, transport, logger, { listenUrl: databaseUrl });
    await relay.start();
    shutdown.register('outbox relay', () => relay.stop());
  }
  const bus = new BusEndpoints(transport, { natsUrl: config.natsUrl, prefix: config.natsSubjectPrefix });
  const commands = new CommandBus(bus.createClient(def.name));
  shutdown.register('command client', () => commands.close());
  const ctx: ServiceContext = { name: def.name, config, logger, dataSource, databaseUrl, transport, bus, commands, serveHealth: def.name !== 'gateway' };
  const running = await def.start(ctx);
  shutdown.register(def.name, () => running.stop());
  logger.info({ pid: process.pid, needs: def.needs }, `${def.name} started`);
}
