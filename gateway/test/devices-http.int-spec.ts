import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, parseDump, parseWgQuickConf } from '@vpn/wireguard';
import { provisioningService } from '@vpn/service-provisioning';
import { startLab } from '../../infra/lab/test/lab-fixture';
import { startStack, type TestStack } from '../../test/support/stack';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { call, login, registerAndLogin, type Session } from './support/http';

interface Config { id: string; name: string; address: string; publicKey: string; enabled: boolean; dns: string[] | null; mtu: number | null; allowedIps: string[]; persistentKeepalive: number | null; connected: boolean }

describe('devices over HTTP: PATCH, re-key and the conf download (gateway → provisioning → real WireGuard server)', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  let stack: TestStack;
  let base: string;
  let user: Session;
  let serverId: string;
  let serverTunnelIp: string;

  beforeAll(async () => {
    lab = await startLab(1);
    const keyFile = join(lab.lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    stack = await startStack({ services: [authService, billingLimitsService, provisioningService, gatewayService], label: 'devices_http', env: { SSH_PRIVATE_KEY_FILE: keyFile } });
    base = stack.url;
    const admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    const s = lab.lab.servers[0];
    const res = await call<{ id: string }>(base, 'POST', '/api/admin/servers', {
      token: admin.accessToken, body: { name: 'Lab', host: s.host, sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool, dns: ['192.0.2.53'] },
    });
    expect(res.status).toBe(201);
    serverId = res.body.id;
    serverTunnelIp = s.addressPool.replace(/\.0\/\d+$/, '.1');
    user = await registerAndLogin(base);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await lab?.stop();
  });

  const keysOnServer = async () => parseDump(await lab.lab.execInServer(0, ['wg', 'show', lab.lab.servers[0].interface, 'dump'])).peers.map((p) => p.publicKey);
  const create = (body: Record<string, unknown>, token = user.accessToken) =>
    call<{ config: Config; conf: string }>(base, 'POST', '/api/configs', { token, body: { serverId, ...body } });

  it('takes the device options on create and renders them; malformed ones are 400', async () => {
    const res = await create({ name: 'split', publicKey: generateKeyPair().publicKey, dns: ['9.9.9.9'], mtu: 1420, allowedIps: ['10.0.0.0/8'], persistentKeepalive: 0 });
    expect(res.status).toBe(201);
    expect(res.body.config).toMatchObject({ enabled: true, dns: ['9.9.9.9'], mtu: 1420, allowedIps: ['10.0.0.0/8'], persistentKeepalive: 0, connected: false });
    const conf = parseWgQuickConf(res.body.conf);
    expect(conf.interface).toMatchObject({ privateKey: null, dns: ['9.9.9.9'], mtu: 1420 });
    expect(conf.peers[0]).toMatchObject({ allowedIps: ['10.0.0.0/8'], persistentKeepalive: 0 });
    for (const bad of [{ mtu: 'big' }, { mtu: 9000 }, { allowedIps: '10.0.0.0/8' }, { allowedIps: ['10.0.0.0/33'] }, { dns: ['dns.example'] }, { persistentKeepalive: -1 }, { colour: 'red' }]) {
      const r = await create({ name: 'bad', publicKey: generateKeyPair().publicKey, ...bad });
      expect([r.status, (r.body as unknown as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  }, 30_000);

  it('PATCH enabled:false takes the peer off before answering, true puts the same key back; name and options change the conf', async () => {
    const keys = generateKeyPair();
    const { body } = await create({ name: 'laptop', publicKey: keys.publicKey });
    const path = `/api/configs/${body.config.id}`;
    const off = await call<Config>(base, 'PATCH', path, { token: user.accessToken, body: { enabled: false } });
    expect([off.status, off.body.enabled]).toEqual([200, false]);
    expect(await keysOnServer()).not.toContain(keys.publicKey);
    const on = await call<Config>(base, 'PATCH', path, { token: user.accessToken, body: { enabled: true, name: 'My work laptop', mtu: 1380, dns: null, allowedIps: ['10.0.0.0/8', '192.168.0.0/16'] } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, name: 'My work laptop', mtu: 1380, dns: null, allowedIps: ['10.0.0.0/8', '192.168.0.0/16'], publicKey: keys.publicKey, address: body.config.address });
    expect(await keysOnServer()).toContain(keys.publicKey);

    const conf = await call<string>(base, 'GET', `${path}/conf`, { token: user.accessToken });
    expect(conf.status).toBe(200);
    expect(conf.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(conf.headers.get('content-disposition')).toBe('attachment; filename="My_work_laptop.conf"');
    expect(conf.headers.get('cache-control')).toBe('no-store');
    expect(conf.body).not.toMatch(/PrivateKey/);
    const parsed = parseWgQuickConf(conf.body);
    // dns: null is the server's DNS.
    expect(parsed.interface).toMatchObject({ addresses: [body.config.address], dns: ['192.0.2.53'], mtu: 1380 });
    expect(parsed.peers[0].allowedIps).toEqual(['10.0.0.0/8', '192.168.0.0/16']);

    const extra = await call(base, 'PATCH', path, { token: user.accessToken, body: { publicKey: generateKeyPair().publicKey } });
    expect([extra.status, (extra.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
  }, 30_000);

  it('re-key without a key makes the pair at the edge: same address and name, old key gone, the new conf tunnels', async () => {
    const oldKeys = generateKeyPair();
    const { body } = await create({ name: 'phone', publicKey: oldKeys.publicKey });
    const res = await call<{ config: Config; conf: string }>(base, 'POST', `/api/configs/${body.config.id}/rekey`, { token: user.accessToken, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.config).toMatchObject({ id: body.config.id, name: 'phone', address: body.config.address });
    expect(res.body.config.publicKey).not.toBe(oldKeys.publicKey);
    expect(res.body.conf).toMatch(/^PrivateKey = /m);
    const keys = await keysOnServer();
    expect(keys).not.toContain(oldKeys.publicKey);
    expect(keys).toContain(res.body.config.publicKey);
    const client = await lab.lab.createClient(res.body.conf);
    try {
      expect(await client.ping(serverTunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
    } finally {
      await client.down();
    }
    // The key it has now is taken (by itself); the server's own key is never a device's.
    const taken = await call(base, 'POST', `/api/configs/${body.config.id}/rekey`, { token: user.accessToken, body: { publicKey: res.body.config.publicKey } });
    expect([taken.status, (taken.body as { code: string }).code]).toEqual([409, 'PUBLIC_KEY_IN_USE']);
    const serverKey = await call(base, 'POST', `/api/configs/${body.config.id}/rekey`, { token: user.accessToken, body: { publicKey: lab.lab.servers[0].publicKey } });
    expect([serverKey.status, (serverKey.body as { code: string }).code]).toEqual([400, 'INVALID_PUBLIC_KEY']);
  }, 30_000);

  it('answers 404 for another user\'s config on PATCH, re-key and conf, and changes nothing', async () => {
    const keys = generateKeyPair();
    const owner = await registerAndLogin(base); // the first user's plan (3 devices) is full by now
    const { body } = await create({ name: 'mine', publicKey: keys.publicKey }, owner.accessToken);
    const other = await registerAndLogin(base);
    const path = `/api/configs/${body.config.id}`;
    const answers = [
      await call(base, 'PATCH', path, { token: other.accessToken, body: { enabled: false } }),
      await call(base, 'POST', `${path}/rekey`, { token: other.accessToken, body: {} }),
      await call(base, 'GET', `${path}/conf`, { token: other.accessToken }),
      await call(base, 'GET', '/api/configs/not-a-uuid/conf', { token: owner.accessToken }),
    ];
    for (const a of answers) expect([a.status, (a.body as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    expect(await keysOnServer()).toContain(keys.publicKey);
    const mine = await call<Config>(base, 'GET', path, { token: owner.accessToken });
    expect(mine.body).toMatchObject({ enabled: true, publicKey: keys.publicKey, name: 'mine' });
    const anonymous = await call(base, 'GET', `${path}/conf`);
    expect(anonymous.status).toBe(401);
  }, 30_000);
});
