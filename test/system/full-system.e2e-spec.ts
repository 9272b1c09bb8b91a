import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateKeyPair, parseDump, renderClientConf, parseEndpoint, parsePublicKey, type IpCidr, type WgKeyPair } from '@vpn/wireguard';
import { startLab } from '../../infra/lab/test/lab-fixture';
import type { LabClient } from '../../infra/lab/lab';
import { call, login, registerAndLogin, type Session } from '../../gateway/test/support/http';
import { freePort, ServiceProcess, type ServiceProcessName } from '../support/service-process';
import { PrivateNats, PrivatePostgres } from '../support/private-services';

/**
 * The whole system as operators run it: every service its own OS process (2 provisioning, 2 sync) on
 * a PostgreSQL and a NATS JetStream of this test's own, 2 lab WireGuard servers, and real tunnels.
 * Then faults: kill -9 a provisioner mid-burst, restart NATS mid-burst, reboot a WireGuard server,
 * stop PostgreSQL for 30 s, revoke. Every count that must be 0 is asserted 0 and printed.
 */
describe('full system under faults', () => {
  let pg: PrivatePostgres;
  let nats: PrivateNats;
  let lab: Awaited<ReturnType<typeof startLab>>;
  let dataDir: string;
  let env: Record<string, string>;
  let base: string;
  let admin: Session;
  let db: Client;
  const procs = new Map<string, ServiceProcess>();
  const clients: LabClient[] = [];
  const servers: Array<{ id: string; tunnelIp: string }> = [];
  const report: string[] = [];

  async function startService(name: ServiceProcessName, key: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const p = await ServiceProcess.start(name, { ...env, ...extra });
    procs.set(key, p);
    return p;
  }

  async function dbQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await db.query(sql, params)).rows as T[];
  }

  async function peersOn(i: number): Promise<Set<string>> {
    return new Set<string>(parseDump(await lab.lab.execInServer(i, ['wg', 'show', lab.lab.servers[i].interface, 'dump'])).peers.map((p) => p.publicKey));
  }

  async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await cond().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** No saga left PENDING or with its slot step unfinished. */
  const settled = async () => (await dbQuery<{ n: number }>(`SELECT count(*)::int AS n FROM vpn.sagas WHERE state = 'PENDING' OR (state = 'DONE' AND NOT slot_committed)`))[0].n === 0;

  async function invariants(label: string): Promise<{ orphans: number; ghosts: number }> {
    const configs = await dbQuery<{ public_key: string; server_id: string }>(`SELECT public_key, server_id FROM vpn.configs WHERE status = 'active'`);
    let orphans = 0;
    let ghosts = 0;
    for (let i = 0; i < servers.length; i++) {
      const live = await peersOn(i);
      const want = new Set(configs.filter((c) => c.server_id === servers[i].id).map((c) => c.public_key));
      orphans += [...live].filter((k) => !want.has(k)).length;
      ghosts += [...want].filter((k) => !live.has(k)).length;
    }
    report.push(`${label}: orphans=${orphans} ghosts=${ghosts}`);
    return { orphans, ghosts };
  }

  async function newClient(user: Session, serverIndex: number): Promise<{ client: LabClient; configId: string }> {
    const keys: WgKeyPair = generateKeyPair();
    const res = await call<{ config: { id: string; address: string }; conf: string }>(base, 'POST', '/api/configs', {
      token: user.accessToken, body: { serverId: servers[serverIndex].id, name: `tunnel ${serverIndex}`, publicKey: keys.publicKey },
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    const s = lab.lab.servers[serverIndex];
    const conf = renderClientConf({ privateKey: keys.privateKey, address: res.body.config.address as IpCidr, serverPublicKey: parsePublicKey(s.publicKey), endpoint: parseEndpoint(s.endpoint) });
    const client = await lab.lab.createClient(conf);
    clients.push(client);
    return { client, configId: res.body.config.id };
  }

  beforeAll(async () => {
    [pg, nats, lab] = await Promise.all([PrivatePostgres.start(), PrivateNats.start(), startLab(2)]);
    const admin0 = new Client({ connectionString: pg.url });
    await admin0.connect();
    await admin0.query('CREATE DATABASE vpn');
    await admin0.end();
    dataDir = mkdtempSync(join(tmpdir(), 'vpn-system-'));
    const keyFile = join(dataDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: pg.urlFor('vpn'), NATS_URL: nats.url, SSH_PRIVATE_KEY_FILE: keyFile, DATA_DIR: dataDir, PORT: String(port),
      ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'ops-password-123', SYNC_INTERVAL_SECONDS: '3',
      SAGA_RECOVERY_HEARTBEAT_MS: '300', SAGA_RECOVERY_STALE_MS: '2000', LOG_LEVEL: 'error',
    };
    // Command owners first; they migrate the database under an advisory lock.
    await (await startService('auth', 'auth')).ready(60_000);
    await Promise.all([
      startService('billing-limits', 'billing'), startService('provisioning', 'prov-1'), startService('provisioning', 'prov-2'),
      startService('sync', 'sync-1'), startService('sync', 'sync-2'), startService('audit', 'audit'), startService('gateway', 'gateway'),
    ]);
    await Promise.all([...procs.values()].map((p) => p.ready(60_000)));
    db = new Client({ connectionString: pg.urlFor('vpn') });
    db.on('error', () => undefined); // the outage below cuts this connection too
    await db.connect();
    admin = await login(base, 'ops@example.com', 'ops-password-123');
  }, 180_000);

  afterAll(async () => {
    process.stdout.write(`\nfull-system fault test\n  ${report.join('\n  ')}\n`);
    for (const c of clients) await c.down().catch(() => undefined);
    for (const p of procs.values()) await p.kill();
    await db?.end().catch(() => undefined);
    await lab?.stop();
    await nats?.destroy();
    await pg?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers both servers, and a tunnel pings through each', async () => {
    for (const s of lab.lab.servers) {
      const res = await call<{ id: string; addressPool: string }>(base, 'POST', '/api/admin/servers', {
        token: admin.accessToken, body: { name: s.name, host: s.host, sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool },
      });
      expect(res.status).toBe(201);
      servers.push({ id: res.body.id, tunnelIp: res.body.addressPool.replace(/\.0\/\d+$/, '.1') });
    }
    const user = await registerAndLogin(base);
    for (let i = 0; i < 2; i++) {
      const { client } = await newClient(user, i);
      expect(await client.ping(servers[i].tunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
    }
  }, 60_000);

  it('kill -9 of a provisioner during a burst of 100 creates: each request ends succeeded (row and peer) or failed cleanly (neither)', async () => {
    const plan = await call<{ id: string }>(base, 'POST', '/api/admin/plans', { token: admin.accessToken, body: { name: 'Burst', maxDevices: 1000 } });
    const user = await registerAndLogin(base);
    await call(base, 'PATCH', `/api/admin/users/${user.id}`, { token: admin.accessToken, body: { planId: plan.body.id } });
    const requests = Array.from({ length: 100 }, (_, i) => ({ key: `burst-${i}`, publicKey: generateKeyPair().publicKey, server: i % 2 }));
    const send = (r: (typeof requests)[number]) => call(base, 'POST', '/api/configs', {
      token: user.accessToken, headers: { 'idempotency-key': r.key }, body: { serverId: servers[r.server].id, name: `burst ${r.key}`, publicKey: r.publicKey },
    });
    const burst = Promise.all(requests.map((r, i) => new Promise((res) => setTimeout(res, i * 5)).then(() => send(r))));
    await new Promise((r) => setTimeout(r, 150));
    await procs.get('prov-1')!.kill('SIGKILL');
    const first = await burst;
    await waitFor('recovery of the dead provisioner’s sagas', settled, 60_000);
    // A client that saw an error retries with the same Idempotency-Key: that is the final outcome.
    const final = await Promise.all(requests.map(async (r, i) => (first[i].status === 201 ? first[i] : send(r))));
    const rows = new Set((await dbQuery<{ public_key: string }>(`SELECT public_key FROM vpn.configs`)).map((c) => c.public_key));
    const peers = [await peersOn(0), await peersOn(1)];
    let succeeded = 0;
    let failedCleanly = 0;
    let lost = 0;
    let halfMade = 0;
    requests.forEach((r, i) => {
      const present = rows.has(r.publicKey);
      const peer = peers[r.server].has(r.publicKey);
      if (final[i].status === 201) {
        if (present && peer) succeeded++;
        else lost++;
      } else if (!present && !peer) failedCleanly++;
      else halfMade++;
    });
    const { orphans, ghosts } = await invariants('after kill -9 of a provisioner');
    report.push(`burst: requests=100 succeeded=${succeeded} failedCleanly=${failedCleanly} lost=${lost} halfMade=${halfMade} firstTryErrors=${first.filter((f) => f.status !== 201).length}`);
    expect({ lost, halfMade, orphans, ghosts, total: succeeded + failedCleanly }).toEqual({ lost: 0, halfMade: 0, orphans: 0, ghosts: 0, total: 100 });
    expect(succeeded).toBeGreaterThan(0);
    await (await startService('provisioning', 'prov-1')).ready(60_000);
  }, 180_000);

  it('restart of NATS during a burst: no audit event lost or duplicated', async () => {
    const user = await registerAndLogin(base);
    const burst = Promise.all(Array.from({ length: 3 }, (_, i) => new Promise((r) => setTimeout(r, i * 300)).then(() =>
      call(base, 'POST', '/api/configs', { token: user.accessToken, body: { serverId: servers[i % 2].id, name: `nats ${i}` } }))));
    await new Promise((r) => setTimeout(r, 200));
    await nats.stopServer();
    await new Promise((r) => setTimeout(r, 2_000));
    await nats.startServer();
    await burst;
    await waitFor('every service healthy again', async () => (await Promise.all([...procs.values()].map(async (p) => {
      const res = await fetch(`http://127.0.0.1:${p.healthPort}${p.name === 'gateway' ? '/api/health' : '/health'}`).catch(() => null);
      return res?.status === 200;
    }))).every(Boolean), 60_000);
    // A few more events after the restart, then every outbox event must reach the audit log exactly once.
    await registerAndLogin(base);
    await waitFor('settled sagas', settled, 60_000);
    const missing = async () => (await dbQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM messaging.outbox o WHERE NOT EXISTS (SELECT 1 FROM audit.audit_log a WHERE a.id = o.id)`))[0].n;
    await waitFor('the audit log to catch up', async () => (await missing()) === 0, 60_000).catch(() => undefined);
    const lost = await missing();
    const [{ duplicated }] = await dbQuery<{ duplicated: number }>(
      `SELECT count(*)::int AS duplicated FROM (SELECT type, subject FROM audit.audit_log
       WHERE type IN ('config.created', 'config.revoked', 'user.registered', 'server.registered') GROUP BY type, subject HAVING count(*) > 1) d`);
    const [{ events }] = await dbQuery<{ events: number }>(`SELECT count(*)::int AS events FROM audit.audit_log`);
    report.push(`nats restart: auditEvents=${events} lost=${lost} duplicated=${duplicated}`);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
  }, 180_000);

  it('reboot of a WireGuard server: sync restores the tunnel', async () => {
    const user = await registerAndLogin(base);
    const { client } = await newClient(user, 0);
    expect(await client.ping(servers[0].tunnelIp, { count: 2, timeoutSec: 5 })).toBe(true);
    const before = (await peersOn(0)).size;
    const rebootedAt = new Date();
    await lab.lab.reboot(0);
    await waitFor('sync to restore every peer', async () => (await peersOn(0)).size === before, 30_000);
    // Restored by reconciliation (not by chance): the sync re-added them after the reboot.
    const [{ readded }] = await dbQuery<{ readded: number }>(
      `SELECT count(*)::int AS readded FROM messaging.outbox WHERE type = 'peer.readded' AND created_at >= $1 AND envelope->'data'->>'serverId' = $2`,
      [rebootedAt, servers[0].id]);
    expect(readded).toBeGreaterThanOrEqual(before);
    // The client still holds a session the rebooted server forgot: WireGuard starts a new handshake
    // once its packets go unanswered (keepalive + rekey timeout, about 15 s), then the tunnel is back.
    const t = Date.now();
    await waitFor('the tunnel to come back', () => client.ping(servers[0].tunnelIp, { count: 1, timeoutSec: 2 }), 45_000);
    report.push(`reboot: peers restored=${before}, tunnel back after ${Math.round((Date.now() - t) / 1000)} s`);
    const { orphans, ghosts } = await invariants('after reboot + sync');
    expect({ orphans, ghosts }).toEqual({ orphans: 0, ghosts: 0 });
  }, 90_000);

  it('PostgreSQL down for 30 s: fast 503s, no SSH change without a saga row, full recovery', async () => {
    const user = await registerAndLogin(base);
    const peersBefore = [await peersOn(0), await peersOn(1)];
    await pg.stopServer();
    const started = Date.now();
    const timings: number[] = [];
    const statuses: number[] = [];
    while (Date.now() - started < 30_000) {
      for (const req of [
        () => call(base, 'GET', '/api/health'),
        () => call(base, 'POST', '/api/configs', { token: user.accessToken, body: { serverId: servers[1].id, name: 'during outage' } }),
      ]) {
        const t = Date.now();
        const res = await req();
        timings.push(Date.now() - t);
        statuses.push(res.status);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const peersDuring = [await peersOn(0), await peersOn(1)];
    await pg.startServer();
    await db.end().catch(() => undefined);
    db = new Client({ connectionString: pg.urlFor('vpn') });
    db.on('error', () => undefined);
    await db.connect();
    const slowest = Math.max(...timings);
    report.push(`postgres outage: requests=${statuses.length} statuses=${[...new Set(statuses)].join(',')} slowest=${slowest}ms`);
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(slowest).toBeLessThan(7_000);
    for (let i = 0; i < 2; i++) expect(peersDuring[i]).toEqual(peersBefore[i]);
    await waitFor('health 200 after PostgreSQL is back', async () => (await call(base, 'GET', '/api/health')).status === 200, 60_000);
    const { client } = await waitForValue(() => newClient(user, 1), 60_000);
    expect(await client.ping(servers[1].tunnelIp, { count: 3, timeoutSec: 5 })).toBe(true);
    await waitFor('settled sagas', settled, 60_000);
    const { orphans, ghosts } = await invariants('after the PostgreSQL outage');
    expect({ orphans, ghosts }).toEqual({ orphans: 0, ghosts: 0 });
  }, 180_000);

  it('revoke: the tunnel stops', async () => {
    const user = await registerAndLogin(base);
    const { client, configId } = await newClient(user, 1);
    expect(await client.ping(servers[1].tunnelIp, { count: 2, timeoutSec: 5 })).toBe(true);
    expect((await call(base, 'DELETE', `/api/configs/${configId}`, { token: user.accessToken })).status).toBe(204);
    expect(await client.ping(servers[1].tunnelIp, { count: 2, timeoutSec: 3 })).toBe(false);
    const { orphans, ghosts } = await invariants('final');
    expect({ orphans, ghosts }).toEqual({ orphans: 0, ghosts: 0 });
  }, 60_000);
});

async function waitForValue<T>(make: () => Promise<T>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      return await make();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}
