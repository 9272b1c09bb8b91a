import { createServer, connect, type Server as TcpServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CommonErrorCode, VpnErrorCode, type ServerView } from '@vpn/contracts';
import { ServerIdentity1764288900000 } from '../../../libs/db/src/migrations/0009-server-identity';
import { startProvisioningWorld, type ProvisioningWorld } from './provisioning-fixture';

/** A plain TCP relay from this machine's loopback to the lab server's sshd: the same server under another address. */
async function relayTo(host: string, port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server: TcpServer = createServer((client) => {
    const upstream = connect(port, host);
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end);
    upstream.on('error', end);
  });
  // Dual-stack: `localhost` may resolve to ::1 or 127.0.0.1.
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a server is its interface public key (real lab server)', () => {
  let world: ProvisioningWorld;
  let server: ServerView;
  let relay: Awaited<ReturnType<typeof relayTo>>;

  beforeAll(async () => {
    world = await startProvisioningWorld({ label: 'server_identity' });
    server = await world.register(0);
    relay = await relayTo(world.lab.servers[0].host, world.lab.servers[0].sshPort);
  }, 60_000);

  // The stack first: its SSH pool holds connections through the relay, which closes only once they end.
  afterAll(async () => {
    await world?.stop();
    await relay?.close();
  }, 30_000);

  const serverRows = async () => (await world.stack.dataSource.query(`SELECT id, host, ssh_port FROM vpn.servers ORDER BY created_at`)) as Array<{ id: string; host: string; ssh_port: number }>;

  it('refuses the same interface under another notation of its IP with SERVER_ALREADY_REGISTERED', async () => {
    const host = world.lab.servers[0].host;
    await expect(world.register(0, { name: 'again mapped', host: `::ffff:${host}` })).rejects.toMatchObject({ code: VpnErrorCode.SERVER_ALREADY_REGISTERED });
    expect(await serverRows()).toEqual([{ id: server.id, host, ssh_port: 22 }]);
  }, 30_000);

  it('refuses the same interface reached through a DNS name and another address and port', async () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '::ffff:127.0.0.1']) {
      await expect(world.register(0, { name: `again ${randomUUID().slice(0, 8)}`, host, sshPort: relay.port }))
        .rejects.toMatchObject({ code: VpnErrorCode.SERVER_ALREADY_REGISTERED });
    }
    expect((await serverRows()).map((r) => r.id)).toEqual([server.id]);
  }, 60_000);

  it('refuses numeric-looking hosts that are not canonical IPs before any SSH', async () => {
    for (const host of ['127.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.000.0.1']) {
      await expect(world.register(0, { name: 'numeric', host, sshPort: relay.port })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    }
  }, 30_000);

  it('refuses an interface name that starts with a dash', async () => {
    await expect(world.register(0, { name: 'dash', interface: '-h' })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
  });

  it('refuses the all-zero key as a device key', async () => {
    await expect(world.stack.commands.request('config.create', {
      userId: randomUUID(), serverId: server.id, name: 'zero', publicKey: 'A'.repeat(43) + '=',
    }, { timeoutMs: 20_000 })).rejects.toMatchObject({ code: VpnErrorCode.INVALID_PUBLIC_KEY });
  });

  it('holds one row per public key in the database itself', async () => {
    await expect(world.stack.dataSource.query(`
      INSERT INTO vpn.servers (name, host, ssh_port, ssh_user, ssh_host_key, endpoint, interface, address_pool, public_key, listen_port)
      SELECT 'copy', '192.0.2.99', ssh_port, ssh_user, ssh_host_key, endpoint, interface, address_pool, public_key, listen_port FROM vpn.servers WHERE id = $1`, [server.id]))
      .rejects.toThrow(/servers_public_key_key/);
  });

  it('migration 0009 stops and names the servers when an interface was registered twice before it', async () => {
    const runner = world.stack.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`DROP INDEX vpn.servers_public_key_key`);
      await runner.query(`
        INSERT INTO vpn.servers (name, host, ssh_port, ssh_user, ssh_host_key, endpoint, interface, address_pool, public_key, listen_port)
        SELECT 'the copy', '192.0.2.99', ssh_port, ssh_user, ssh_host_key, endpoint, interface, address_pool, public_key, listen_port FROM vpn.servers WHERE id = $1`, [server.id]);
      const up = new ServerIdentity1764288900000().up(runner);
      await expect(up).rejects.toThrow(/registered more than once.*keep the oldest/);
      await expect(up).rejects.toThrow(new RegExp(`${server.name} \\(${server.id}.*the copy`));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await serverRows()).map((r) => r.id)).toEqual([server.id]);
  });
});
