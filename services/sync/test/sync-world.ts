import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigView, ServerView } from '@vpn/contracts';
import { openDatabase, type DataSource } from '@vpn/db';
import { InProcessTransport, type MessageTransport } from '@vpn/messaging';
import { startNestService, type RunningService, type ServiceContext } from '@vpn/platform';
import { createLogger } from '@vpn/runtime';
import { generateKeyPair, type WgKeyPair } from '@vpn/wireguard';
import { startProvisioningWorld, type ProvisioningWorld } from '../../provisioning/test/provisioning-fixture';
import { syncService, SyncModule } from '../src';

export type SyncWorld = ProvisioningWorld & {
  /** The sync service mounted in the stack. */
  syncApp(): INestApplicationContext;
  /** Another sync replica on the same database; `isolatedBus` keeps it out of the `sync.run` queue group. */
  startReplica(opts?: { ownDataSource?: boolean; isolatedBus?: boolean }): Promise<Replica>;
  createConfig(serverId: string, name?: string): Promise<{ config: ConfigView; keys: WgKeyPair; userId: string; serverView: ServerView }>;
};

export interface Replica {
  app: INestApplicationContext;
  dataSource: DataSource;
  stop(): Promise<void>;
}

/** Lab servers + provisioning + billing-limits + sync on NATS and a database of its own. */
export async function startSyncWorld(opts: { servers?: number; label: string; intervalSeconds: number }): Promise<SyncWorld> {
  const world = await startProvisioningWorld({
    servers: opts.servers ?? 1, label: opts.label, extraServices: [syncService], env: { SYNC_INTERVAL_SECONDS: String(opts.intervalSeconds) },
  });
  const { stack } = world;
  const replicas: RunningService[] = [];
  const stopWorld = world.stop;
  return Object.assign(world, {
    syncApp: () => (stack.running.get('sync') as RunningService & { app: INestApplicationContext }).app,
    startReplica: async (o: { ownDataSource?: boolean; isolatedBus?: boolean } = {}): Promise<Replica> => {
      const dataSource = o.ownDataSource ? await openDatabase({ url: stack.db.url, poolSize: 4 }) : stack.dataSource;
      const transport: MessageTransport = o.isolatedBus ? new InProcessTransport() : await stack.bus.connect('sync');
      const ctx: ServiceContext = {
        name: 'sync', config: stack.config, logger: createLogger({ level: 'silent', name: 'sync-replica' }), dataSource,
        databaseUrl: stack.db.url, transport, bus: stack.bus.endpoints(transport), commands: await stack.bus.commandBus('sync', transport),
      };
      const running = await startNestService(SyncModule, ctx);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await running.stop().catch(() => undefined);
      };
      replicas.push({ stop });
      return {
        app: running.app, dataSource,
        stop: async () => {
          await stop();
          if (o.ownDataSource && dataSource.isInitialized) await dataSource.destroy();
          if (o.isolatedBus) await transport.close();
        },
      };
    },
    createConfig: async (serverId: string, name = 'device') => {
      const keys = generateKeyPair();
      const userId = randomUUID();
      const reply = await stack.commands.request('config.create', { userId, serverId, name, publicKey: keys.publicKey }, { timeoutMs: 20_000 });
      const [serverView] = (await stack.commands.request('server.list', {})).filter((s) => s.id === serverId);
      return { config: reply.config, keys, userId, serverView };
    },
    stop: async () => {
      for (const r of replicas) await r.stop().catch(() => undefined);
      await stopWorld();
    },
  });
}
