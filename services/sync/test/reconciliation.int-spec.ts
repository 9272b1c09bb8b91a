import { randomUUID } from 'node:crypto';
import { CommonErrorCode, type ServerView } from '@vpn/contracts';
import { generateKeyPair, parseEndpoint, parseIpAddress, parsePublicKey, renderClientConf, type IpCidr, type WgKeyPair } from '@vpn/wireguard';
import { SyncRepository } from '../src/runs/sync.repository';
import { ServerReconciler } from '../src/runs/server-reconciler';
import { startSyncWorld, type SyncWorld } from './sync-world';

const ADMIN = '00000000-0000-4000-8000-00000000000a';

describe('reconciliation of a real WireGuard server', () => {
  let world: SyncWorld;
  let server: ServerView;
  let ifname: string;
  const configs: Array<{ id: string; address: string; keys: WgKeyPair; userId: string }> = [];

  const dump = () => world.dump(0);
  const wg = (...args: string[]) => world.lab.execInServer(0, ['wg', ...args]);
  const sync = () => world.stack.commands.request('sync.run', { serverId: server.id, actorId: ADMIN }, { timeoutMs: 30_000 });
  type Envelope = { data: Record<string, unknown>; actorId: string | null };
  const outboxTypes = async (type: string): Promise<Envelope[]> => (await world.stack.dataSource.query(
    `SELECT envelope FROM messaging.outbox WHERE type = $1 ORDER BY seq`, [type])).map((r: { envelope: Envelope }) => r.envelope);
  const stats = async (configId: string) => {
    const [r] = await world.stack.dataSource.query(`SELECT rx_total, tx_total, last_handshake_at FROM vpn.peer_stats WHERE config_id = $1`, [configId]);
    return { rx: Number(r?.rx_total ?? 0), tx: Number(r?.tx_total ?? 0), handshake: (r?.last_handshake_at ?? null) as Date | null };
  };
  const samples = async (configId: string) => {
    const [r] = await world.stack.dataSource.query(`SELECT coalesce(sum(rx_bytes), 0) AS rx, coalesce(sum(tx_bytes), 0) AS tx FROM vpn.usage_samples WHERE config_id = $1`, [configId]);
    return { rx: Number(r.rx), tx: Number(r.tx) };
  };
  const addressOf = (n: number) => server.addressPool.replace(/\.0\/\d+$/, `.${n}`);

  beforeAll(async () => {
    world = await startSyncWorld({ label: 'sync_reconcile', intervalSeconds: 3600 });
    server = await world.register(0);
    ifname = server.interface;
    for (let i = 0; i < 3; i++) {
      const c = await world.createConfig(server.id, `device ${i}`);
      configs.push({ id: c.config.id, address: c.config.address, keys: c.keys, userId: c.userId });
    }
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('answers SERVER_NOT_FOUND for an unknown server', async () => {
    await expect(world.stack.commands.request('sync.run', { serverId: randomUUID(), actorId: ADMIN })).rejects.toMatchObject({ code: 'SERVER_NOT_FOUND' });
  });

  it('after a reboot, one sync re-adds every peer, the tunnel works again and the totals never go down', async () => {
    const [first] = configs;
    const conf = renderClientConf({
      privateKey: first.keys.privateKey, address: first.address as IpCidr,
      serverPublicKey: parsePublicKey(server.publicKey), endpoint: parseEndpoint(server.endpoint), dns: [],
    });
    const client = await world.lab.createClient(conf);
    try {
      const serverIp = addressOf(1);
      expect(await client.ping(serverIp, { count: 5, timeoutSec: 5 })).toBe(true);
      const steady = await sync();
      expect(steady).toMatchObject({ serverId: server.id, added: 0, removed: 0, updated: 0, unchanged: 3 });
      const before = await stats(first.id);
      expect(before.rx).toBeGreaterThan(0);
      expect(before.handshake).not.toBeNull();

      await world.lab.reboot(0);
      expect((await dump()).peers).toHaveLength(0);
      const report = await sync();
      expect(report).toMatchObject({ added: 3, removed: 0, updated: 0, unchanged: 0 });
      const after = await dump();
      expect(new Map(after.peers.map((p) => [p.publicKey, p.allowedIps]))).toEqual(new Map(configs.map((c) => [c.keys.publicKey, [c.address]])));
      const readded = await outboxTypes('peer.readded');
      expect(readded.map((e) => e.data.configId).sort()).toEqual(configs.map((c) => c.id).sort());

      // The client notices the lost session and handshakes again (WireGuard's ~15 s rekey timeout).
      let pinged = false;
      for (let i = 0; i < 15 && !pinged; i++) pinged = await client.ping(serverIp, { count: 1, timeoutSec: 2 });
      expect(pinged).toBe(true);
      expect(await client.ping(serverIp, { count: 3, timeoutSec: 3 })).toBe(true);
      await sync();
      const later = await stats(first.id);
      expect(later.rx).toBeGreaterThan(before.rx);
      expect(later.tx).toBeGreaterThan(before.tx);
      expect(await samples(first.id)).toEqual({ rx: later.rx, tx: later.tx });
    } finally {
      await client.down();
    }
  }, 60_000);

  it('removes a hand-added peer and repairs drifted allowed-ips in one run', async () => {
    const stray = generateKeyPair().publicKey;
    await wg('set', ifname, 'peer', stray, 'allowed-ips', `${addressOf(200)}/32`);
    const drifted = configs[1];
    await wg('set', ifname, 'peer', drifted.keys.publicKey, 'allowed-ips', `${addressOf(201)}/32,${addressOf(202)}/32`);
    const report = await sync();
    expect(report).toMatchObject({ added: 0, removed: 1, updated: 1, unchanged: 2 });
    const peers = new Map((await dump()).peers.map((p) => [p.publicKey as string, p.allowedIps]));
    expect(peers.has(stray)).toBe(false);
    expect(peers.get(drifted.keys.publicKey)).toEqual([drifted.address]);
    const removed = await outboxTypes('peer.removed');
    expect(removed.at(-1)).toMatchObject({ actorId: ADMIN, data: { serverId: server.id, publicKey: stray, reason: 'orphan' } });
  });

  it('leaves the peers of in-flight sagas alone: a PENDING create keeps its peer, a PENDING revoke is not re-added', async () => {
    const ds = world.stack.dataSource;
    // A live owner, so provisioning's recovery does not take the sagas over meanwhile.
    await ds.query(`INSERT INTO vpn.provisioners (id, heartbeat_at) VALUES ('sync-test', now() + interval '1 hour')`);
    const creating = generateKeyPair().publicKey;
    const createSaga = randomUUID();
    const revokeSaga = randomUUID();
    const revoking = configs[2];
    await ds.query(`INSERT INTO vpn.sagas (id, kind, state, user_id, server_id, config_id, public_key, address, owner)
      VALUES ($1, 'create', 'PENDING', $2, $3, $1, $4, $5, 'sync-test')`, [createSaga, randomUUID(), server.id, creating, addressOf(210)]);
    await ds.query(`INSERT INTO vpn.sagas (id, kind, state, user_id, server_id, config_id, public_key, address, owner)
      VALUES ($1, 'revoke', 'PENDING', $2, $3, $4, $5, $6, 'sync-test')`,
    [revokeSaga, revoking.userId, server.id, revoking.id, revoking.keys.publicKey, revoking.address.replace('/32', '')]);
    try {
      await wg('set', ifname, 'peer', creating, 'allowed-ips', `${addressOf(210)}/32`);
      await wg('set', ifname, 'peer', revoking.keys.publicKey, 'remove');
      const report = await sync();
      expect(report).toMatchObject({ added: 0, removed: 0, updated: 0 });
      const keys = (await dump()).peers.map((p) => p.publicKey as string);
      expect(keys).toContain(creating);
      expect(keys).not.toContain(revoking.keys.publicKey);
    } finally {
      await ds.query(`UPDATE vpn.sagas SET state = 'FAILED' WHERE id = ANY($1::uuid[])`, [[createSaga, revokeSaga]]);
      await ds.query(`DELETE FROM vpn.provisioners WHERE id = 'sync-test'`);
    }
    // Once the sagas are over, the same peers are an orphan and a missing config.
    expect(await sync()).toMatchObject({ added: 1, removed: 1 });
  });

  it('aborts without touching the server when the database read fails after the dump', async () => {
    const stray = generateKeyPair().publicKey;
    await wg('set', ifname, 'peer', stray, 'allowed-ips', `${addressOf(220)}/32`);
    await wg('set', ifname, 'peer', configs[0].keys.publicKey, 'remove');
    const before = (await dump()).peers.map((p) => `${p.publicKey} ${p.allowedIps.join(',')}`).sort();
    const repo = world.syncApp().get(SyncRepository);
    const spy = jest.spyOn(repo, 'desiredState').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    try {
      await expect(sync()).rejects.toMatchObject({ code: CommonErrorCode.SERVICE_UNAVAILABLE });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect((await dump()).peers.map((p) => `${p.publicKey} ${p.allowedIps.join(',')}`).sort()).toEqual(before);
  });

  it('aborts without touching the server when its database is gone altogether', async () => {
    const before = (await dump()).peers.map((p) => p.publicKey).sort();
    const replica = await world.startReplica({ ownDataSource: true, isolatedBus: true });
    try {
      await replica.dataSource.destroy();
      await expect(replica.app.get(ServerReconciler).reconcile(server.id, { manual: true, actorId: ADMIN }))
        .rejects.toMatchObject({ code: CommonErrorCode.SERVICE_UNAVAILABLE });
    } finally {
      await replica.stop();
    }
    expect((await dump()).peers.map((p) => p.publicKey).sort()).toEqual(before);
    // With the database back, the same run repairs it.
    expect(await sync()).toMatchObject({ added: 1, removed: 1 });
  });

  it('keeps a suspended config off the interface and reports a changed interface key once', async () => {
    const ds = world.stack.dataSource;
    await ds.query(`UPDATE vpn.configs SET status = 'suspended' WHERE id = $1`, [configs[1].id]);
    await ds.query(`UPDATE vpn.servers SET public_key = $2 WHERE id = $1`, [server.id, generateKeyPair().publicKey]);
    try {
      expect(await sync()).toMatchObject({ removed: 1 });
      expect((await dump()).peers.map((p) => p.publicKey)).not.toContain(configs[1].keys.publicKey);
      await sync();
      const changed = await outboxTypes('server.key_changed');
      expect(changed).toHaveLength(1);
      expect(changed[0].data).toMatchObject({ serverId: server.id, actualPublicKey: server.publicKey, actualListenPort: server.listenPort });
    } finally {
      await ds.query(`UPDATE vpn.configs SET status = 'active' WHERE id = $1`, [configs[1].id]);
      await ds.query(`UPDATE vpn.servers SET public_key = $2 WHERE id = $1`, [server.id, server.publicKey]);
    }
    expect(await sync()).toMatchObject({ added: 1 });
    const [row] = await ds.query(`SELECT reachable, last_sync_at FROM vpn.server_sync_state WHERE server_id = $1`, [server.id]);
    expect(row.reachable).toBe(true);
    expect(Date.now() - new Date(row.last_sync_at).getTime()).toBeLessThan(10_000);
  });
});
