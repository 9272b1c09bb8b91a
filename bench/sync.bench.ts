import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshPool } from '@vpn/ssh';
import { addPeersCommand, dumpCommand, generateKeyPairFast, hostCidr, parseInterfaceName, parseIpAddress, type PeerSpec } from '@vpn/wireguard';
import { syncService } from '@vpn/service-sync';
import { startProvisioningWorld } from '../services/provisioning/test/provisioning-fixture';

interface BenchRow { name: string; value: number; unit: string; goal?: string; notes?: string }

const PEERS = 10_000;
const ROUNDS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Reconciliation of a 10,000-peer lab server (wireguard-go) against the raw commands it is made of,
 * over the same pooled SSH connection: after a reboot (dump + one `wg addconf` of every peer) and in
 * the steady state (dump + one database read, nothing to change).
 */
export default async function bench(): Promise<BenchRow[]> {
  const world = await startProvisioningWorld({ label: 'bench_sync', extraServices: [syncService], env: { SYNC_INTERVAL_SECONDS: '86400' } });
  const ssh = new SshPool({ privateKey: readFileSync(join(world.lab.stateDir, 'provisioner_key'), 'utf8'), commandTimeoutMs: 120_000 });
  try {
    const labServer = world.lab.servers[0];
    const server = await world.register(0, { addressPool: labServer.addressPool.replace(/\/\d+$/, '/16') });
    const target = { host: server.host, port: server.sshPort, username: server.sshUser, hostKey: labServer.hostKey };
    const ifname = parseInterfaceName(server.interface);
    const [base] = server.addressPool.split('.');
    const second = server.addressPool.split('.')[1];

    // 10,000 configs (and their leases) straight into the database.
    const peers: PeerSpec[] = [];
    const ids: string[] = [];
    const keys: string[] = [];
    const addrs: string[] = [];
    for (let i = 0; i < PEERS; i++) {
      const n = i + 2;
      const address = parseIpAddress(`${base}.${second}.${Math.floor(n / 256)}.${n % 256}`);
      const { publicKey } = generateKeyPairFast();
      peers.push({ publicKey, allowedIps: [hostCidr(address)] });
      ids.push(randomUUID());
      keys.push(publicKey);
      addrs.push(address);
    }
    const ds = world.stack.dataSource;
    await ds.transaction(async (m) => {
      await m.query(`INSERT INTO vpn.leases (owner_id, server_id, address, public_key) SELECT u.id, $1, u.a, u.k FROM unnest($2::uuid[], $3::text[], $4::text[]) AS u(id, a, k)`, [server.id, ids, addrs, keys]);
      await m.query(`INSERT INTO vpn.configs (id, user_id, server_id, name, address, public_key) SELECT u.id, u.id, $1, 'bench', u.a, u.k FROM unnest($2::uuid[], $3::text[], $4::text[]) AS u(id, a, k)`, [server.id, ids, addrs, keys]);
    });
    await ds.query('ANALYZE vpn.configs');

    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const rawDump = () => ssh.execStream(target, dumpCommand(ifname), () => undefined);
    const addAll = addPeersCommand(ifname, peers);
    const sync = () => world.stack.commands.request('sync.run', { serverId: server.id, actorId: randomUUID() }, { timeoutMs: 120_000 });
    await rawDump(); // warm the connection
    // Flush what earlier benches (and the inserts above) left dirty, so a checkpoint does not land in a timing.
    const settle = () => ds.query('CHECKPOINT').catch(() => undefined);
    await settle();

    const rawReadd: number[] = [];
    const syncReadd: number[] = [];
    for (let r = 0; r < 3; r++) {
      await world.lab.reboot(0);
      rawReadd.push(await time(async () => {
        await rawDump();
        await ssh.exec(target, addAll);
      }));
      await world.lab.reboot(0);
      await rawDump(); // the same warm connection for both
      let added = 0;
      syncReadd.push(await time(async () => {
        added = (await sync()).added;
      }));
      if (added !== PEERS) throw new Error(`sync re-added ${added} peers, not ${PEERS}`);
    }

    const rawSteady: number[] = [];
    const syncSteady: number[] = [];
    await sync();
    await settle();
    for (let r = 0; r < ROUNDS; r++) {
      rawSteady.push(await time(async () => {
        await rawDump();
        await ds.query(`SELECT id, public_key, address, status FROM vpn.configs WHERE server_id = $1`, [server.id]);
      }));
      let unchanged = 0;
      syncSteady.push(await time(async () => {
        unchanged = (await sync()).unchanged;
      }));
      if (unchanged !== PEERS) throw new Error(`steady sync found ${unchanged} unchanged peers, not ${PEERS}`);
    }

    const readdRatio = median(syncReadd) / median(rawReadd);
    const steadyRatio = median(syncSteady) / median(rawSteady);
    return [
      { name: `sync after reboot, ${PEERS} peers (median of 3)`, value: Math.round(median(syncReadd)), unit: 'ms',
        notes: 'sync.run: lease, streamed dump + parse, one snapshot read, one wg addconf, stats + 10,001 events in one transaction' },
      { name: `raw wg show dump + wg addconf, ${PEERS} peers`, value: Math.round(median(rawReadd)), unit: 'ms' },
      { name: 'sync after reboot / raw', value: +readdRatio.toFixed(2), unit: '×', goal: '≤ 1.5×' },
      { name: `steady-state sync, ${PEERS} peers, nothing to change (median of ${ROUNDS})`, value: Math.round(median(syncSteady)), unit: 'ms' },
      { name: 'raw wg show dump + one DB read of the configs', value: Math.round(median(rawSteady)), unit: 'ms' },
      { name: 'steady-state sync / raw', value: +steadyRatio.toFixed(2), unit: '×', goal: '≤ 2×' },
    ];
  } finally {
    await ssh.close();
    await world.stop();
  }
}
