import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DataSource } from '@vpn/db';
import { OutboxRelay, type CommandBus, type MessageTransport } from '@vpn/messaging';
import { needs, type RunningService, type ServiceContext, type ServiceDefinition } from '@vpn/platform';
import { createLogger, loadPlatformConfig, type PlatformConfig } from '@vpn/runtime';
import { createTestDatabase, TestBus, type TestDatabase, type TransportKind } from '@vpn/testing';

export interface StackOptions {
  services: ServiceDefinition[];
  bus?: TransportKind;
  /** Environment overrides (API.md §2 names), e.g. { SYNC_INTERVAL_SECONDS: '5' }. */
  env?: Record<string, string>;
  label?: string;
}

export interface TestStack {
  /** Base URL of the gateway when it is one of the services, e.g. http://127.0.0.1:40123 */
  url: string;
  db: TestDatabase;
  dataSource: DataSource;
  config: PlatformConfig;
  /** A client on the same bus, as another process would have. */
  commands: CommandBus;
  bus: TestBus;
  dataDir: string;
  relay: OutboxRelay;
  running: Map<string, RunningService>;
  stop(): Promise<void>;
}

/**
 * Starts the given services against a database of their own and a bus of their own (NATS by default:
 * each service gets its own connection, as its own process would), with an outbox relay, the gateway
 * on a free port, and DATA_DIR in a temporary folder. `stop()` undoes all of it.
 */
export async function startStack(opts: StackOptions): Promise<TestStack> {
  const db = await createTestDatabase(opts.label ?? 'stack');
  const dataDir = mkdtempSync(join(tmpdir(), 'vpn-stack-'));
  const config = { ...loadPlatformConfig({ DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...opts.env }), port: 0, healthPort: 0 };
  const logger = createLogger({ level: config.logLevel, name: 'test-stack' });
  const dataSource = await openDatabase({ url: db.url, poolSize: 10 });
  const bus = new TestBus(opts.bus ?? 'nats');
  const relayTransport: MessageTransport = await bus.connect('relay');
  const relay = new OutboxRelay(dataSource, relayTransport, logger, { listenUrl: db.url, pollIntervalMs: 200 });
  await relay.start();
  const running = new Map<string, RunningService>();
  let url = '';
  for (const def of opts.services) {
    const transport = await bus.connect(def.name);
    // Only what the service declares, as its own process would get (the gateway: no pool).
    const database = needs(def, 'database') ? { dataSource, databaseUrl: db.url } : {};
    const ctx: ServiceContext = {
      name: def.name, config, logger: logger.child({ service: def.name }), ...database, transport,
      bus: bus.endpoints(transport), commands: await bus.commandBus(def.name, transport),
    };
    const r = await def.start(ctx);
    running.set(def.name, r);
    if ('url' in r && typeof r.url === 'string') url = r.url;
  }
  const commands = await bus.commandBus('test-client');
  return {
    url, db, dataSource, config, commands, bus, dataDir, relay, running,
    stop: async () => {
      for (const r of [...running.values()].reverse()) await r.stop().catch(() => undefined);
      await relay.stop();
      await bus.cleanup();
      await dataSource.destroy();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
