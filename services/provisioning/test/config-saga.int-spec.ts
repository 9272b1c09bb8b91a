import { randomUUID } from 'node:crypto';
import { BillingErrorCode, CommonErrorCode, VpnErrorCode, type ServerView } from '@vpn/contracts';
import { generateKeyPair, parseIpAddress, renderClientConf, parseEndpoint, parsePublicKey, type IpCidr } from '@vpn/wireguard';
import { INJECTION_PAYLOADS } from '../../../test/support/injection-payloads';
import { startProvisioningWorld, type ProvisioningWorld } from './provisioning-fixture';

describe('config creation saga on a real WireGuard server', () => {
  let world: ProvisioningWorld;
  let server: ServerView;

  beforeAll(async () => {
    world = await startProvisioningWorld({ label: 'saga' });
    server = await world.register(0);
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  const create = (userId: string, overrides: Record<string, unknown> = {}) =>
    world.stack.commands.request('config.create', {
      userId, serverId: server.id, name: 'laptop', publicKey: generateKeyPair().publicKey, ...overrides,
    }, { timeoutMs: 20_000 });

  const counts = async () => {
    const [r] = await world.stack.dataSource.query(`SELECT
      (SELECT count(*)::int FROM vpn.configs) AS configs, (SELECT count(*)::int FROM vpn.leases) AS leases,
      (SELECT count(*)::int FROM vpn.sagas WHERE state = 'PENDING') AS pending`);
    return r as { configs: number; leases: number; pending: number };
  };

  it('registers the server with its real public key, listen port and pinned host key', async () => {
    const lab = world.lab.servers[0];
    expect(server).toMatchObject({ publicKey: lab.publicKey, listenPort: lab.listenPort, interface: lab.interface, addressPool: lab.addressPool, maintenance: false, peerCount: 0 });
    const [row] = await world.stack.dataSource.query(`SELECT ssh_host_key FROM vpn.servers WHERE id = $1`, [server.id]);
    expect(row.ssh_host_key).toBe(lab.hostKey.split(' ').slice(0, 2).join(' '));
  });

  it('puts the peer on the interface with its /32, and the conf brings up a tunnel that pings the server; revoking stops it', async () => {
    const userId = randomUUID();
    const keys = generateKeyPair();
    const reply = await create(userId, { publicKey: keys.publicKey, name: 'phone' });
    expect(reply.config).toMatchObject({ name: 'phone', serverId: server.id, serverName: server.name, address: '10.0.0.2/32'.replace('10.0.0', reply.config.address.split('.').slice(0, 3).join('.')), publicKey: keys.publicKey, status: 'active' });
    const dump = await world.dump(0);
    const peer = dump.peers.find((p) => p.publicKey === keys.publicKey);
    expect(peer?.allowedIps).toEqual([reply.config.address]);

    const conf = renderClientConf({
      privateKey: keys.privateKey, address: reply.config.address as IpCidr,
      serverPublicKey: parsePublicKey(reply.server.publicKey), endpoint: parseEndpoint(reply.server.endpoint),
      dns: reply.server.dns.map((d) => parseIpAddress(d)),
    });
    const client = await world.lab.createClient(conf);
    try {
      const serverTunnelIp = server.addressPool.replace(/\.0\/\d+$/, '.1');
      expect(await client.ping(serverTunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
      await world.stack.commands.request('config.revoke', { userId, configId: reply.config.id, actorId: userId }, { timeoutMs: 20_000 });
      expect((await world.dump(0)).peers.map((p) => p.publicKey)).not.toContain(keys.publicKey);
      expect(await client.ping(serverTunnelIp, { count: 2, timeoutSec: 3 })).toBe(false);
    } finally {
      await client.down();
    }
    await expect(world.stack.commands.request('config.get', { userId, configId: reply.config.id })).rejects.toMatchObject({ code: VpnErrorCode.CONFIG_NOT_FOUND });
    expect((await world.stack.commands.request('limits.account', { userId })).devicesUsed).toBe(0);
  }, 60_000);

  it('lets exactly 3 of 30 concurrent creates through on a 3-device plan, with distinct addresses and 3 peers', async () => {
    const userId = randomUUID();
    const before = (await world.dump(0)).peers.length;
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => create(userId, { name: `dev ${i}` })));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof create>>>).value);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(3);
    for (const r of rejected) expect(r.reason).toMatchObject({ code: BillingErrorCode.PLAN_LIMIT_REACHED });
    expect(new Set(ok.map((r) => r.config.address)).size).toBe(3);
    expect((await world.dump(0)).peers.length - before).toBe(3);
    expect(await world.stack.commands.request('config.list', { userId })).toHaveLength(3);
    expect((await world.stack.commands.request('limits.account', { userId })).devicesUsed).toBe(3);
    expect((await counts()).pending).toBe(0);
  }, 60_000);

  it('answers PROVISIONING_FAILED when SSH is unreachable and keeps nothing: no row, no lease, slot free', async () => {
    const userId = randomUUID();
    const before = await counts();
    await world.stack.dataSource.query(`UPDATE vpn.servers SET ssh_port = 1 WHERE id = $1`, [server.id]);
    try {
      await expect(create(userId)).rejects.toMatchObject({ code: VpnErrorCode.PROVISIONING_FAILED });
    } finally {
      await world.stack.dataSource.query(`UPDATE vpn.servers SET ssh_port = $2 WHERE id = $1`, [server.id, world.lab.servers[0].sshPort]);
    }
    expect(await counts()).toEqual(before);
    expect((await world.stack.commands.request('limits.account', { userId })).devicesUsed).toBe(0);
    const [saga] = await world.stack.dataSource.query(`SELECT state, error_code FROM vpn.sagas WHERE user_id = $1`, [userId]);
    expect(saga).toEqual({ state: 'FAILED', error_code: 'PROVISIONING_FAILED' });
  }, 60_000);

  it('removes the peer again when the database commit fails after the SSH add', async () => {
    const userId = randomUUID();
    const keys = generateKeyPair();
    await world.stack.dataSource.query(`
      CREATE FUNCTION vpn.fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = 'fail-commit' THEN RAISE EXCEPTION 'injected commit failure'; END IF; RETURN NEW; END $$`);
    await world.stack.dataSource.query(`CREATE TRIGGER fail_commit BEFORE INSERT ON vpn.configs FOR EACH ROW EXECUTE FUNCTION vpn.fail_commit()`);
    try {
      await expect(create(userId, { name: 'fail-commit', publicKey: keys.publicKey })).rejects.toMatchObject({ code: VpnErrorCode.PROVISIONING_FAILED });
    } finally {
      await world.stack.dataSource.query(`DROP TRIGGER fail_commit ON vpn.configs; DROP FUNCTION vpn.fail_commit()`);
    }
    expect((await world.dump(0)).peers.map((p) => p.publicKey)).not.toContain(keys.publicKey);
    expect((await world.stack.commands.request('limits.account', { userId })).devicesUsed).toBe(0);
    const [{ n }] = await world.stack.dataSource.query(`SELECT count(*)::int AS n FROM vpn.leases WHERE public_key = $1`, [keys.publicKey]);
    expect(n).toBe(0);
  }, 60_000);

  it('refuses a server in maintenance with 409 SERVER_MAINTENANCE and an unknown one with SERVER_NOT_FOUND', async () => {
    await world.stack.commands.request('server.update', { actorId: randomUUID(), serverId: server.id, maintenance: true });
    try {
      await expect(create(randomUUID())).rejects.toMatchObject({ code: VpnErrorCode.SERVER_MAINTENANCE });
    } finally {
      await world.stack.commands.request('server.update', { actorId: randomUUID(), serverId: server.id, maintenance: false });
    }
    await expect(create(randomUUID(), { serverId: randomUUID() })).rejects.toMatchObject({ code: VpnErrorCode.SERVER_NOT_FOUND });
    await expect(create(randomUUID(), { serverId: 'not-a-uuid' })).rejects.toMatchObject({ code: VpnErrorCode.SERVER_NOT_FOUND });
  });

  it('answers PUBLIC_KEY_IN_USE for the same public key twice', async () => {
    const keys = generateKeyPair();
    await create(randomUUID(), { publicKey: keys.publicKey });
    await expect(create(randomUUID(), { publicKey: keys.publicKey })).rejects.toMatchObject({ code: VpnErrorCode.PUBLIC_KEY_IN_USE });
  });

  it('rejects injection payloads in every field before anything runs', async () => {
    const before = await counts();
    // Spaces and letters of any script are fine in a name; everything else in the payloads is not.
    const badNames = INJECTION_PAYLOADS.filter((p) => p.length === 0 || p.trim() !== p || /[^\p{L}\p{N} ._-]/u.test(p));
    expect(badNames.length).toBeGreaterThan(10);
    for (const bad of INJECTION_PAYLOADS) {
      await expect(create(randomUUID(), { publicKey: bad })).rejects.toMatchObject({ code: VpnErrorCode.INVALID_PUBLIC_KEY });
    }
    for (const bad of badNames) {
      await expect(create(randomUUID(), { name: bad })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    }
    expect(await counts()).toEqual(before);
  });

  it('gives the same outcome for the same Idempotency-Key and never a second config', async () => {
    const userId = randomUUID();
    const key = `idem-${randomUUID()}`;
    const [a, b] = await Promise.all([create(userId, { idempotencyKey: key }), create(userId, { idempotencyKey: key })]);
    expect(b.config.id).toBe(a.config.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const c = await create(userId, { idempotencyKey: key });
    expect(c).toMatchObject({ replayed: true, config: { id: a.config.id } });
    expect(await world.stack.commands.request('config.list', { userId })).toHaveLength(1);
    await expect(create(userId, { idempotencyKey: key, name: 'other' })).rejects.toMatchObject({ code: VpnErrorCode.IDEMPOTENCY_KEY_REUSED });
  });
});

describe('address pool exhaustion', () => {
  let world: ProvisioningWorld;

  beforeAll(async () => {
    world = await startProvisioningWorld({ label: 'pool' });
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('answers ADDRESS_POOL_EXHAUSTED when a /29 has no client address left', async () => {
    // A /29 has 8 addresses: network, server (.1), broadcast, and 5 client addresses.
    const lab = world.lab.servers[0];
    const small = lab.addressPool.replace(/\/\d+$/, '/29');
    const server = await world.register(0, { addressPool: small });
    const pro = (await world.stack.commands.request('limits.plans.list', {})).find((p) => p.name === 'Pro')!;
    const userId = randomUUID();
    await world.stack.commands.request('limits.assign-plan', { actorId: userId, userId, planId: pro.id });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: `d${i}`, publicKey: generateKeyPair().publicKey }, { timeoutMs: 20_000 });
      made.push(r.config.address);
    }
    const base = small.split('/')[0].split('.').slice(0, 3).join('.');
    const first = Number(small.split('/')[0].split('.')[3]);
    expect(made).toEqual([2, 3, 4, 5, 6].map((n) => `${base}.${first + n}/32`));
    await expect(world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'd6', publicKey: generateKeyPair().publicKey }, { timeoutMs: 20_000 }))
      .rejects.toMatchObject({ code: VpnErrorCode.ADDRESS_POOL_EXHAUSTED });
    expect((await world.stack.commands.request('limits.account', { userId })).devicesUsed).toBe(5);
  }, 60_000);
});
