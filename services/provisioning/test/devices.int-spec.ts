import { randomUUID } from 'node:crypto';
import { CommonErrorCode, VpnErrorCode, type ConfigView, type ServerConfRenderInfo, type ServerView } from '@vpn/contracts';
import { syncService } from '@vpn/service-sync';
import {
  generateKeyPair, parseCidr, parseEndpoint, parseIpAddress, parseNetworkCidr, parsePublicKey, parseWgQuickConf, renderClientConf,
  type IpCidr, type WgPrivateKey,
} from '@vpn/wireguard';
import { startProvisioningWorld, type ProvisioningWorld } from './provisioning-fixture';

const T = { timeoutMs: 20_000 };

/** What the gateway renders for a device (its own options, the server's DNS when it has none), with the key the user holds. */
function confFor(reply: { config: ConfigView; server: ServerConfRenderInfo }, privateKey: WgPrivateKey | null): string {
  const { config, server } = reply;
  return renderClientConf({
    privateKey, address: config.address as IpCidr, dns: (config.dns ?? server.dns).map((d) => parseIpAddress(d)), mtu: config.mtu,
    serverPublicKey: parsePublicKey(server.publicKey), endpoint: parseEndpoint(server.endpoint),
    allowedIps: config.allowedIps.map((c) => parseCidr(c)), persistentKeepalive: config.persistentKeepalive,
  });
}

describe('devices: options, disable/enable and re-key on a real WireGuard server', () => {
  let world: ProvisioningWorld;
  let server: ServerView;
  let serverTunnelIp: string;

  beforeAll(async () => {
    world = await startProvisioningWorld({ label: 'devices', extraServices: [syncService] });
    server = await world.register(0);
    serverTunnelIp = server.addressPool.replace(/\.0\/\d+$/, '.1');
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  const keysOnServer = async () => (await world.dump(0)).peers.map((p) => p.publicKey);

  it('stores a device\'s DNS, MTU, AllowedIPs and keepalive, and its conf carries them and pings', async () => {
    const userId = randomUUID();
    const keys = generateKeyPair();
    const pool = parseNetworkCidr(server.addressPool);
    const created = await world.stack.commands.request('config.create', {
      userId, serverId: server.id, name: 'My work laptop', publicKey: keys.publicKey,
      dns: ['192.0.2.53'], mtu: 1380, allowedIps: [pool, 'fd00:0::/8'], persistentKeepalive: 15,
    }, T);
    expect(created.config).toMatchObject({
      enabled: true, dns: ['192.0.2.53'], mtu: 1380, allowedIps: [pool, 'fd00::/8'], persistentKeepalive: 15, connected: false,
    });
    const fetched = await world.stack.commands.request('config.conf', { userId, configId: created.config.id });
    const conf = parseWgQuickConf(confFor(fetched, null));
    expect(conf.interface).toMatchObject({ privateKey: null, dns: ['192.0.2.53'], mtu: 1380 });
    expect(conf.peers[0]).toMatchObject({ allowedIps: [pool, 'fd00::/8'], persistentKeepalive: 15, publicKey: server.publicKey });

    const client = await world.lab.createClient(confFor(fetched, keys.privateKey));
    try {
      expect(await client.ping(serverTunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
    } finally {
      await client.down();
    }
    // A device made without options gets the defaults: the server's DNS, no MTU, the full tunnel, 25 s.
    const plain = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'phone', publicKey: generateKeyPair().publicKey }, T);
    expect(plain.config).toMatchObject({ dns: null, mtu: null, allowedIps: ['0.0.0.0/0', '::/0'], persistentKeepalive: 25 });
  }, 60_000);

  it('disable takes the peer off before answering and the tunnel stops; sync does not re-add it; enable brings the same conf back', async () => {
    const userId = randomUUID();
    const keys = generateKeyPair();
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'tablet', publicKey: keys.publicKey }, T);
    const conf = confFor(await world.stack.commands.request('config.conf', { userId, configId: config.id }), keys.privateKey);
    let client = await world.lab.createClient(conf);
    try {
      expect(await client.ping(serverTunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);

      const disabled = await world.stack.commands.request('config.update', { userId, configId: config.id, actorId: userId, enabled: false }, T);
      expect(disabled).toMatchObject({ enabled: false, publicKey: keys.publicKey, address: config.address });
      expect(await keysOnServer()).not.toContain(keys.publicKey);
      expect(await client.ping(serverTunnelIp, { count: 2, timeoutSec: 3 })).toBe(false);

      const report = await world.stack.commands.request('sync.run', { serverId: server.id, actorId: userId }, T);
      expect(report.added).toBe(0);
      expect(await keysOnServer()).not.toContain(keys.publicKey);

      const enabled = await world.stack.commands.request('config.update', { userId, configId: config.id, actorId: userId, enabled: true, name: 'tablet 2' }, T);
      expect(enabled).toMatchObject({ enabled: true, name: 'tablet 2', publicKey: keys.publicKey, address: config.address });
      const peer = (await world.dump(0)).peers.find((p) => p.publicKey === keys.publicKey);
      expect(peer?.allowedIps).toEqual([config.address]);
      // The client's old session died with the peer: the user brings the tunnel up again with the same file.
      await client.down();
      client = await world.lab.createClient(conf);
      expect(await client.ping(serverTunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
    } finally {
      await client.down();
    }
  }, 90_000);

  it('sync removes the peer of a disabled config that reappeared on the server', async () => {
    const userId = randomUUID();
    const keys = generateKeyPair();
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'watch', publicKey: keys.publicKey }, T);
    await world.stack.commands.request('config.update', { userId, configId: config.id, actorId: userId, enabled: false }, T);
    const lab = world.lab.servers[0];
    await world.lab.execInServer(0, ['wg', 'set', lab.interface, 'peer', keys.publicKey, 'allowed-ips', config.address]);
    expect(await keysOnServer()).toContain(keys.publicKey);
    const report = await world.stack.commands.request('sync.run', { serverId: server.id, actorId: userId }, T);
    expect(report.removed).toBe(1);
    expect(await keysOnServer()).not.toContain(keys.publicKey);
  }, 60_000);

  it('re-key: same address and name, the old key is gone before the answer and the new conf pings', async () => {
    const userId = randomUUID();
    const oldKeys = generateKeyPair();
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'desktop', publicKey: oldKeys.publicKey, mtu: 1400 }, T);
    const newKeys = generateKeyPair();
    const rekeyed = await world.stack.commands.request('config.rekey', { userId, configId: config.id, actorId: userId, publicKey: newKeys.publicKey }, T);
    expect(rekeyed.config).toMatchObject({ id: config.id, name: 'desktop', address: config.address, publicKey: newKeys.publicKey, mtu: 1400, enabled: true });
    const onServer = (await world.dump(0)).peers;
    expect(onServer.map((p) => p.publicKey)).not.toContain(oldKeys.publicKey);
    expect(onServer.find((p) => p.publicKey === newKeys.publicKey)?.allowedIps).toEqual([config.address]);

    const client = await world.lab.createClient(confFor(rekeyed, newKeys.privateKey));
    try {
      expect(await client.ping(serverTunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
    } finally {
      await client.down();
    }
    // The old key is free, the new one is the config's lease.
    const leases = await world.stack.dataSource.query(`SELECT public_key FROM vpn.leases WHERE owner_id = $1`, [config.id]);
    expect(leases).toEqual([{ public_key: newKeys.publicKey }]);
  }, 60_000);

  it('re-key of a disabled device keeps it off the server with its new key', async () => {
    const userId = randomUUID();
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'old phone', publicKey: generateKeyPair().publicKey }, T);
    await world.stack.commands.request('config.update', { userId, configId: config.id, actorId: userId, enabled: false }, T);
    const newKey = generateKeyPair().publicKey;
    const rekeyed = await world.stack.commands.request('config.rekey', { userId, configId: config.id, actorId: userId, publicKey: newKey }, T);
    expect(rekeyed.config).toMatchObject({ enabled: false, publicKey: newKey });
    expect(await keysOnServer()).not.toContain(newKey);
  }, 60_000);

  it('a re-key the server refuses changes nothing: the old peer, key and lease stay', async () => {
    const userId = randomUUID();
    const oldKey = generateKeyPair().publicKey;
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'laptop', publicKey: oldKey }, T);
    const newKey = generateKeyPair().publicKey;
    await world.stack.dataSource.query(`UPDATE vpn.servers SET ssh_port = 1 WHERE id = $1`, [server.id]);
    try {
      await expect(world.stack.commands.request('config.rekey', { userId, configId: config.id, actorId: userId, publicKey: newKey }, T))
        .rejects.toMatchObject({ code: VpnErrorCode.PROVISIONING_FAILED });
    } finally {
      await world.stack.dataSource.query(`UPDATE vpn.servers SET ssh_port = $2 WHERE id = $1`, [server.id, world.lab.servers[0].sshPort]);
    }
    expect(await world.stack.commands.request('config.get', { userId, configId: config.id })).toMatchObject({ publicKey: oldKey });
    expect(await keysOnServer()).toContain(oldKey);
    const leases = await world.stack.dataSource.query(`SELECT public_key FROM vpn.leases WHERE owner_id = $1`, [config.id]);
    expect(leases).toEqual([{ public_key: oldKey }]);
    const [saga] = await world.stack.dataSource.query(`SELECT state, error_code FROM vpn.sagas WHERE config_id = $1 AND kind = 'rekey'`, [config.id]);
    expect(saga).toEqual({ state: 'FAILED', error_code: 'PROVISIONING_FAILED' });
  }, 60_000);

  it('recovery compensates a re-key whose provisioner died after adding the new peer: the old peer, key and lease are back', async () => {
    const userId = randomUUID();
    const oldKey = generateKeyPair().publicKey;
    const newKey = generateKeyPair().publicKey;
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'crashed', publicKey: oldKey }, T);
    // What a provisioner leaves when it is killed inside 'add-new-peer': its saga row and the lease on the new key, the old peer off, the new one on.
    const sagaId = randomUUID();
    await world.stack.dataSource.query(`
      INSERT INTO vpn.sagas (id, kind, state, step, user_id, server_id, config_id, public_key, previous_public_key, address, owner)
      VALUES ($1, 'rekey', 'PENDING', 'add-new-peer', $2, $3, $4, $5, $6, $7, $8)`,
    [sagaId, userId, server.id, config.id, newKey, oldKey, config.address.replace(/\/32$/, ''), `gone-${randomUUID()}`]);
    await world.stack.dataSource.query(`UPDATE vpn.leases SET public_key = $2 WHERE owner_id = $1`, [config.id, newKey]);
    const itf = world.lab.servers[0].interface;
    await world.lab.execInServer(0, ['wg', 'set', itf, 'peer', oldKey, 'remove']);
    await world.lab.execInServer(0, ['wg', 'set', itf, 'peer', newKey, 'allowed-ips', config.address]);

    let state = 'PENDING';
    for (let i = 0; i < 100 && state === 'PENDING'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      [{ state }] = await world.stack.dataSource.query(`SELECT state FROM vpn.sagas WHERE id = $1`, [sagaId]);
    }
    expect(state).toBe('FAILED');
    const keys = await keysOnServer();
    expect(keys).toContain(oldKey);
    expect(keys).not.toContain(newKey);
    expect(await world.stack.dataSource.query(`SELECT public_key FROM vpn.leases WHERE owner_id = $1`, [config.id])).toEqual([{ public_key: oldKey }]);
    expect(await world.stack.commands.request('config.get', { userId, configId: config.id })).toMatchObject({ publicKey: oldKey, enabled: true });
  }, 60_000);

  it('refuses a key in use (409), the server\'s own key and bad options (400), and another user\'s config (404) on every new command', async () => {
    const userId = randomUUID();
    const taken = generateKeyPair().publicKey;
    await world.stack.commands.request('config.create', { userId: randomUUID(), serverId: server.id, name: 'other', publicKey: taken }, T);
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'mine', publicKey: generateKeyPair().publicKey }, T);
    const rekey = (publicKey: string, who = userId) => world.stack.commands.request('config.rekey', { userId: who, configId: config.id, actorId: who, publicKey }, T);
    await expect(rekey(taken)).rejects.toMatchObject({ code: VpnErrorCode.PUBLIC_KEY_IN_USE });
    await expect(rekey(server.publicKey)).rejects.toMatchObject({ code: VpnErrorCode.INVALID_PUBLIC_KEY });
    await expect(rekey('not-a-key')).rejects.toMatchObject({ code: VpnErrorCode.INVALID_PUBLIC_KEY });

    const update = (patch: Record<string, unknown>, who = userId) => world.stack.commands.request('config.update', { userId: who, configId: config.id, actorId: who, ...patch }, T);
    for (const bad of [{ mtu: 9000 }, { mtu: 1279 }, { dns: ['not-an-ip'] }, { allowedIps: [] }, { allowedIps: ['10.0.0.1/8'] }, { persistentKeepalive: 70_000 }, { name: 'a;b' }]) {
      await expect(update(bad)).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    }
    await expect(world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'x', publicKey: generateKeyPair().publicKey, mtu: 100 }, T))
      .rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });

    const stranger = randomUUID();
    await expect(update({ enabled: false }, stranger)).rejects.toMatchObject({ code: VpnErrorCode.CONFIG_NOT_FOUND });
    await expect(rekey(generateKeyPair().publicKey, stranger)).rejects.toMatchObject({ code: VpnErrorCode.CONFIG_NOT_FOUND });
    await expect(world.stack.commands.request('config.conf', { userId: stranger, configId: config.id })).rejects.toMatchObject({ code: VpnErrorCode.CONFIG_NOT_FOUND });
    expect(await world.stack.commands.request('config.get', { userId, configId: config.id })).toMatchObject({ enabled: true, name: 'mine', mtu: null });
  }, 60_000);
});
