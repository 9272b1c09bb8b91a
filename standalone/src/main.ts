import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '@vpn/db';
import { BusEndpoints, CommandBus, connectTransport, OutboxRelay } from '@vpn/messaging';
import { loadConfigOrExit, needs, type ServiceContext, type ServiceDefinition } from '@vpn/platform';
import { createLogger, ShutdownCoordinator } from '@vpn/runtime';
import { gatewayService } from '@vpn/gateway';
import { auditService } from '@vpn/service-audit';
import { authService } from '@vpn/service-auth';
import { billingLimitsService } from '@vpn/service-billing-limits';
import { provisioningService } from '@vpn/service-provisioning';
import { syncService } from '@vpn/service-sync';
import { startEmbeddedDatabase } from './embedded-database';

/** Start order: command owners first, the HTTP edge last so it never answers before they do. */
const SERVICES: ServiceDefinition[] = [authService, billingLimitsService, provisioningService, syncService, auditService, gatewayService];

/**
 * The whole control plane in one process (`npm start`): embedded PostgreSQL 16 unless DATABASE_URL
 * is set, the in-process bus unless NATS_URL is set, every service, and the dashboard.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, name: 'vpn' });
  const shutdown = new ShutdownCoordinator(logger, 20_000);
  shutdown.installSignalHandlers();
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  config.dataDir = dataDir;

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const db = await startEmbeddedDatabase(dataDir, logger);
    shutdown.register('embedded postgres', () => db.stop());
    databaseUrl = db.url;
    logger.info({ dataDir: join(dataDir, 'postgres') }, 'embedded PostgreSQL 16 started');
  }
  const dataSource = await openDatabase({ url: databaseUrl, applicationName: 'vpn-standalone', poolSize: 20 });
  shutdown.register('database', () => dataSource.destroy());
  const transport = await connectTransport({ natsUrl: config.natsUrl, name: 'vpn-standalone', streamReplicas: config.natsStreamReplicas, prefix: config.natsSubjectPrefix });
  shutdown.register('bus', () => transport.close());
  if (SERVICES.some((def) => needs(def, 'outbox'))) {
    const relay = new OutboxRelay(dataSource, transport, logger, { listenUrl: databaseUrl });
    await relay.start();
    shutdown.register('outbox relay', () => relay.stop());
  }
  const bus = new BusEndpoints(transport, { natsUrl: config.natsUrl, prefix: config.natsSubjectPrefix });
  const commands = new CommandBus(bus.createClient('vpn-standalone'));
  shutdown.register('command client', () => commands.close());

  for (const def of SERVICES) {
    // Each service gets only what it declared: the gateway shares the bus, not the pool.
    const database = needs(def, 'database') ? { dataSource, databaseUrl } : {};
    const ctx: ServiceContext = { name: def.name, config, logger: logger.child({ service: def.name }), ...database, transport, bus, commands };
    const running = await def.start(ctx);
    shutdown.register(def.name, () => running.stop());
  }

  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `  WireGuard control plane is running: ${url}`,
    `  API docs: ${url}/api/docs    health: ${url}/api/health`,
    `  database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL 16 (${join(dataDir, 'postgres')})`}; bus: ${config.natsUrl ? 'NATS' : 'in-process'}`,
  ];
  const adminPasswordFile = join(dataDir, 'admin-password');
  if (existsSync(adminPasswordFile)) lines.push(`  admin: ${config.adminEmail}, password in ${adminPasswordFile}`);
  const sshKey = config.sshPrivateKeyFile ? `${config.sshPrivateKeyFile}.pub` : join(dataDir, 'ssh', 'id_ed25519.pub');
  if (existsSync(sshKey)) lines.push(`  provisioner SSH public key (authorize it on your WireGuard servers): ${sshKey}`);
  lines.push('  Ctrl-C stops everything.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`start failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
