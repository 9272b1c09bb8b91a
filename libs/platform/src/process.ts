import { ConfigError, createLogger, loadPlatformConfig, ShutdownCoordinator, type PlatformConfig } from '@vpn/runtime';
import { openDatabase } from '@vpn/db';
import { BusEndpoints, CommandBus, connectTransport, OutboxRelay } from '@vpn/messaging';
import type { ServiceDefinition } from './service';

/** Parses the environment or stops the process with one message naming every bad variable. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  try {
    return loadPlatformConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/**
 * Runs one service as its own OS process on NATS + PostgreSQL (`npm run start:<service>`):
 * migrations, bus, outbox relay, the service, a /health listener, graceful shutdown.
 */
export async function runServiceProcess(def: ServiceDefinition): Promise<void> {
  const config = loadConfigOrExit();
  const missing = [!config.databaseUrl && 'DATABASE_URL', !config.natsUrl && 'NATS_URL'].filter(Boolean);
  if (missing.length > 0) {
    process.stderr.write(`Invalid configuration: ${missing.join(', ')} must be set to run ${def.name} as its own process\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel, name: def.name });
  const shutdown = new ShutdownCoordinator(logger);
  shutdown.installSignalHandlers();
  const databaseUrl = config.databaseUrl as string;
  const dataSource = await openDatabase({ url: databaseUrl, applicationName: def.name, poolSize: 10 });
  shutdown.register('database', () => dataSource.destroy());
  const transport = await connectTransport({ natsUrl: config.natsUrl, name: def.name, streamReplicas: config.natsStreamReplicas, prefix: config.natsSubjectPrefix });
  shutdown.register('bus', () => transport.close());
  const relay = new OutboxRelay(dataSource, transport, logger, { listenUrl: databaseUrl });
  await relay.start();
  shutdown.register('outbox relay', () => relay.stop());
  const bus = new BusEndpoints(transport, { natsUrl: config.natsUrl, prefix: config.natsSubjectPrefix });
  const commands = new CommandBus(bus.createClient(def.name));
  shutdown.register('command client', () => commands.close());
  const running = await def.start({ name: def.name, config, logger, dataSource, databaseUrl, transport, bus, commands, serveHealth: def.name !== 'gateway' });
  shutdown.register(def.name, () => running.stop());
  logger.info({ pid: process.pid }, `${def.name} started`);
}
