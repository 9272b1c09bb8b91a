import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, parseWgQuickConf } from '@vpn/wireguard';
import { startLab } from '../../infra/lab/test/lab-fixture';
import { freePort } from '../../test/support/service-process';
import { startStack, type TestStack } from '../../test/support/stack';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { provisioningService } from '@vpn/service-provisioning';
import { call, login, registerAndLogin, type Session } from './support/http';

describe('servers and configs over HTTP (gateway → provisioning → real WireGuard server)', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  let stack: TestStack;
  let base: string;
  let metricsBase: string;
  let admin: Session;
  let serverId: string;

  beforeAll(async () => {
    lab = await startLab(1);
    const keyFile = join(lab.lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    const metricsPort = await freePort();
    stack = await startStack({ services: [authService, billingLimitsService, provisioningService, gatewayService], label: 'configs_http', env: { SSH_PRIVATE_KEY_FILE: keyFile, METRICS_PORT: String(metricsPort) } });
    base = stack.url;
    metricsBase = `http://127.0.0.1:${metricsPort}`;
    admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await lab?.stop();
  });

  it('shows the admin the provisioner SSH key that the lab authorized', async () => {
    const res = await call<{ publicKey: string }>(base, 'GET', '/api/admin/ssh-key', { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.publicKey.split(' ').slice(0, 2)).toEqual(lab.publicKey.trim().split(' ').slice(0, 2));
  });

  it('registers the lab server (201), refusing extra fields and a bad pool with 400', async () => {
    const s = lab.lab.servers[0];
    const body = { name: 'Lab One', location: 'Here', host: s.host, sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool, dns: ['192.0.2.53'] };
    const extra = await call(base, 'POST', '/api/admin/servers', { token: admin.accessToken, body: { ...body, role: 'x' } });
    expect([extra.status, (extra.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    const badPool = await call(base, 'POST', '/api/admin/servers', { token: admin.accessToken, body: { ...body, addressPool: '10.8.0.0/24; reboot' } });
    expect([badPool.status, (badPool.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    const res = await call<{ id: string; publicKey: string; listenPort: number; peerCount: number }>(base, 'POST', '/api/admin/servers', { token: admin.accessToken, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ publicKey: s.publicKey, listenPort: s.listenPort, peerCount: 0 });
    serverId = res.body.id;
    const listed = await call<Array<{ id: string; name: string; maintenance: boolean }>>(base, 'GET', '/api/servers', { token: admin.accessToken });
    expect(listed.body).toEqual([{ id: serverId, name: 'Lab One', location: 'Here', maintenance: false }]);
  }, 30_000);

  it('refuses the same interface under another spelling of its host (409), and re-pins its host key only for admins', async () => {
    const s = lab.lab.servers[0];
    const again = await call(base, 'POST', '/api/admin/servers', {
      token: admin.accessToken,
      body: { name: 'Lab One again', host: s.host === '127.0.0.1' ? 'localhost' : s.host.toUpperCase(), sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: '10.77.0.0/24' },
    });
    expect([again.status, (again.body as { code: string }).code]).toEqual([409, 'SERVER_ALREADY_REGISTERED']);
    const numeric = await call(base, 'POST', '/api/admin/servers', {
      token: admin.accessToken,
      body: { name: 'Numeric', host: '0x7f000001', sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: '10.78.0.0/24' },
    });
    expect([numeric.status, (numeric.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    const user = await registerAndLogin(base);
    const asUser = await call(base, 'POST', `/api/admin/servers/${serverId}/host-key`, { token: user.accessToken, body: { sshHostKey: s.hostKey } });
    expect([asUser.status, (asUser.body as { code: string }).code]).toEqual([403, 'FORBIDDEN']);
    const garbage = await call(base, 'POST', `/api/admin/servers/${serverId}/host-key`, { token: admin.accessToken, body: { sshHostKey: 'not a key' } });
    expect(garbage.status).toBe(400);
    const repin = await call<{ id: string; publicKey: string }>(base, 'POST', `/api/admin/servers/${serverId}/host-key`, { token: admin.accessToken, body: { sshHostKey: s.hostKey } });
    expect([repin.status, repin.body.id, repin.body.publicKey]).toEqual([200, serverId, s.publicKey]);
    const unknown = await call(base, 'POST', '/api/admin/servers/00000000-0000-4000-8000-000000000000/host-key', { token: admin.accessToken, body: { sshHostKey: s.hostKey } });
    expect(unknown.status).toBe(404);
  }, 30_000);

  it('makes the key pair at the edge when none is sent: the conf has the private key, and it tunnels', async () => {
    const user = await registerAndLogin(base);
    const res = await call<{ config: { id: string; address: string; publicKey: string }; conf: string }>(base, 'POST', '/api/configs', {
      token: user.accessToken, body: { serverId, name: 'Laptop' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const conf = parseWgQuickConf(res.body.conf);
    expect(conf.interface.privateKey?.publicKey()).toBe(res.body.config.publicKey);
    expect(conf.interface.dns).toEqual(['192.0.2.53']);
    expect(res.body.conf).toContain(`PublicKey = ${lab.lab.servers[0].publicKey}`);
    expect(res.body.conf).toContain('AllowedIPs = 0.0.0.0/0, ::/0');
    expect(res.body.conf).toContain('PersistentKeepalive = 25');
    // The private key is nowhere in the database.
    const privateB64 = conf.interface.privateKey!.toBase64();
    const [{ hits }] = await stack.dataSource.query(`SELECT count(*)::int AS hits FROM messaging.outbox WHERE envelope::text LIKE '%' || $1 || '%'`, [privateB64]);
    expect(hits).toBe(0);
    const client = await lab.lab.createClient(res.body.conf);
    try {
      const serverIp = lab.lab.servers[0].addressPool.replace(/\.0\/\d+$/, '.1');
      expect(await client.ping(serverIp, { count: 3, timeoutSec: 5 })).toBe(true);
      const del = await call(base, 'DELETE', `/api/configs/${res.body.config.id}`, { token: user.accessToken });
      expect(del.status).toBe(204);
      expect(await client.ping(serverIp, { count: 2, timeoutSec: 3 })).toBe(false);
    } finally {
      await client.down();
    }
    expect((await call(base, 'GET', `/api/configs/${res.body.config.id}`, { token: user.accessToken })).status).toBe(404);
  }, 60_000);

  it('sends no PrivateKey line when the client made the key, and lists, gets and hides configs per user', async () => {
    const alice = await registerAndLogin(base);
    const bob = await registerAndLogin(base);
    const keys = generateKeyPair();
    const res = await call<{ config: { id: string; publicKey: string }; conf: string }>(base, 'POST', '/api/configs', {
      token: alice.accessToken, body: { serverId, name: 'Phone', publicKey: keys.publicKey },
    });
    expect(res.status).toBe(201);
    expect(res.body.conf).not.toContain('PrivateKey');
    expect(res.body.config.publicKey).toBe(keys.publicKey);
    const list = await call<Array<{ id: string }>>(base, 'GET', '/api/configs', { token: alice.accessToken });
    expect(list.body.map((c) => c.id)).toEqual([res.body.config.id]);
    expect((await call<unknown[]>(base, 'GET', '/api/configs', { token: bob.accessToken })).body).toEqual([]);
    for (const [method, path] of [['GET', `/api/configs/${res.body.config.id}`], ['DELETE', `/api/configs/${res.body.config.id}`], ['GET', `/api/configs/${res.body.config.id}/usage`]]) {
      const other = await call(base, method, path, { token: bob.accessToken });
      expect([method, other.status, (other.body as { code: string }).code]).toEqual([method, 404, 'NOT_FOUND']);
    }
    const usage = await call<unknown[]>(base, 'GET', `/api/configs/${res.body.config.id}/usage`, { token: alice.accessToken });
    expect([usage.status, usage.body]).toEqual([200, []]);
    const me = await call<{ devicesUsed: number; plan: { maxDevices: number } }>(base, 'GET', '/api/me', { token: alice.accessToken });
    expect(me.body).toMatchObject({ devicesUsed: 1, plan: { name: 'Free', maxDevices: 3 } });
  }, 30_000);

  it('shows where creates spend their time on /metrics: saga steps, peer batches, command handling', async () => {
    const text = await (await fetch(`${metricsBase}/metrics`)).text();
    const count = (series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? 0);
    for (const step of ['begin', 'reserve', 'peer_add', 'slot_commit', 'finish']) {
      expect([step, count(`vpn_saga_step_duration_seconds_count{step="${step}"}`) >= 2]).toEqual([step, true]);
    }
    expect(count('vpn_peer_batch_size_count{kind="add"}')).toBeGreaterThanOrEqual(1);
    expect(count('vpn_command_handler_duration_seconds_count{subject="config.create",outcome="ok"}')).toBeGreaterThanOrEqual(2);
  });

  it('answers the contract error codes for bad creates', async () => {
    const user = await registerAndLogin(base);
    const expectError = async (body: Record<string, unknown>, status: number, code: string) => {
      const res = await call(base, 'POST', '/api/configs', { token: user.accessToken, body });
      expect([JSON.stringify(body).slice(0, 60), res.status, (res.body as { code: string }).code]).toEqual([JSON.stringify(body).slice(0, 60), status, code]);
    };
    await expectError({ serverId, name: 'x', publicKey: 'AAAA' }, 400, 'INVALID_PUBLIC_KEY');
    await expectError({ serverId, name: 'x', publicKey: lab.lab.servers[0].publicKey }, 400, 'INVALID_PUBLIC_KEY'); // the server's own key
    await expectError({ serverId, name: 'x', publicKey: Buffer.alloc(32).toString('base64') }, 400, 'INVALID_PUBLIC_KEY');
    await expectError({ serverId, name: 'bad;name' }, 400, 'VALIDATION_FAILED');
    await expectError({ serverId, name: 'ok', extra: 1 }, 400, 'VALIDATION_FAILED');
    await expectError({ serverId: '00000000-0000-4000-8000-000000000000', name: 'ok' }, 404, 'SERVER_NOT_FOUND');
    for (let i = 0; i < 3; i++) expect((await call(base, 'POST', '/api/configs', { token: user.accessToken, body: { serverId, name: `d${i}` } })).status).toBe(201);
    await expectError({ serverId, name: 'fourth' }, 403, 'PLAN_LIMIT_REACHED');
    const taken = generateKeyPair().publicKey;
    const other = await registerAndLogin(base);
    expect((await call(base, 'POST', '/api/configs', { token: other.accessToken, body: { serverId, name: 'k', publicKey: taken } })).status).toBe(201);
    const dup = await call(base, 'POST', '/api/configs', { token: (await registerAndLogin(base)).accessToken, body: { serverId, name: 'k', publicKey: taken } });
    expect([dup.status, (dup.body as { code: string }).code]).toEqual([409, 'PUBLIC_KEY_IN_USE']);
    const maint = await call(base, 'PATCH', `/api/admin/servers/${serverId}`, { token: admin.accessToken, body: { maintenance: true } });
    expect(maint.status).toBe(200);
    const inMaintenance = await call(base, 'POST', '/api/configs', { token: other.accessToken, body: { serverId, name: 'm' } });
    expect([inMaintenance.status, (inMaintenance.body as { code: string }).code]).toEqual([409, 'SERVER_MAINTENANCE']);
    await call(base, 'PATCH', `/api/admin/servers/${serverId}`, { token: admin.accessToken, body: { maintenance: false } });
    const busy = await call(base, 'DELETE', `/api/admin/servers/${serverId}`, { token: admin.accessToken });
    expect([busy.status, (busy.body as { code: string }).code]).toEqual([409, 'SERVER_HAS_CONFIGS']);
  }, 60_000);

  it('replays an Idempotency-Key: the same config, and a server-made key is never sent twice', async () => {
    const user = await registerAndLogin(base);
    const headers = { 'idempotency-key': 'create-laptop-1' };
    const first = await call<{ config: { id: string }; conf: string }>(base, 'POST', '/api/configs', { token: user.accessToken, headers, body: { serverId, name: 'Laptop' } });
    const again = await call<{ config: { id: string }; conf: string }>(base, 'POST', '/api/configs', { token: user.accessToken, headers, body: { serverId, name: 'Laptop' } });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.config.id).toBe(first.body.config.id);
    expect(first.body.conf).toContain('PrivateKey = ');
    expect(again.body.conf).not.toContain('PrivateKey');
    expect((await call<unknown[]>(base, 'GET', '/api/configs', { token: user.accessToken })).body).toHaveLength(1);
  }, 30_000);

  it('lets admins manage plans', async () => {
    const created = await call<{ id: string; name: string; maxDevices: number }>(base, 'POST', '/api/admin/plans', { token: admin.accessToken, body: { name: 'Family', maxDevices: 6 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Family', maxDevices: 6 });
    const patched = await call(base, 'PATCH', `/api/admin/plans/${created.body.id}`, { token: admin.accessToken, body: { maxDevices: 8 } });
    expect([patched.status, patched.body]).toEqual([200, { id: created.body.id, name: 'Family', maxDevices: 8, dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false }]);
    const dup = await call(base, 'POST', '/api/admin/plans', { token: admin.accessToken, body: { name: 'family', maxDevices: 1 } });
    expect([dup.status, (dup.body as { code: string }).code]).toEqual([409, 'PLAN_NAME_TAKEN']);
    const plans = await call<Array<{ name: string }>>(base, 'GET', '/api/admin/plans', { token: admin.accessToken });
    expect(plans.body.map((p) => p.name)).toEqual(expect.arrayContaining(['Free', 'Pro', 'Family']));
  });
});
