// Config creation through HTTP (gateway → NATS → provisioning saga → SSH → real wireguard-go):
// latency p50/p95 with 10 and with 10,000 peers on the server, throughput with 50 concurrent clients,
// against the floor of one raw `wg set` over a pooled SSH connection to the same server.
// Production shape: every service its own process on NATS + PostgreSQL (one replica each, then a
// second provisioner for the scale-out figure), and this process only generates the load.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshPool, type SshTarget } from '@vpn/ssh';
import { AddressPool, addPeersCommand, generateKeyPairFast, hostCidr, parseInterfaceName, setPeerCommand, type PeerSpec } from '@vpn/wireguard';
import { startLab } from '../infra/lab/test/lab-fixture';
import { call, login, registerAndLogin } from '../gateway/test/support/http';
import { testNatsUrl } from '@vpn/testing';
import { freePort, ServiceProcess } from '../test/support/service-process';
import { startStack } from '../test/support/stack';
import { LoadClient } from './support/load-client';

interface BenchRow { name: string; value: number; unit: string; goal?: string; notes?: string }

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const r2 = (x: number) => Math.round(x * 100) / 100;

export default async function bench(): Promise<BenchRow[]> {
  const lab = await startLab(1);
  const keyFile = join(lab.lab.stateDir, 'provisioner_key');
  writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
  const stack = await startStack({ services: [], label: 'bench_prov' });
  const raw = new SshPool({ privateKey: lab.privateKey, commandTimeoutMs: 120_000 });
  const port = await freePort();
  const env = {
    DATABASE_URL: stack.db.url, NATS_URL: testNatsUrl(), NATS_SUBJECT_PREFIX: stack.bus.prefix, SSH_PRIVATE_KEY_FILE: keyFile,
    DATA_DIR: stack.dataDir, PORT: String(port), LOG_LEVEL: 'error',
  };
  const procs: ServiceProcess[] = [];
  try {
    procs.push(await ServiceProcess.start('auth', env));
    await procs[0].ready(60_000);
    // One replica of each service: the deployment that fits this 2-core machine. A second provisioner
    // joins for the scale-out figure.
    for (const name of ['billing-limits', 'provisioning', 'gateway'] as const) procs.push(await ServiceProcess.start(name, env));
    await Promise.all(procs.map((p) => p.ready(60_000)));
    const base = `http://127.0.0.1:${port}`;
    const s = lab.lab.servers[0];
    const poolCidr = '10.8.0.0/16';
    const admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    const reg = await call<{ id: string }>(base, 'POST', '/api/admin/servers', {
      token: admin.accessToken, body: { name: 'bench', host: s.host, sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: poolCidr },
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
    const serverId = reg.body.id;
    const plan = await call<{ id: string }>(base, 'POST', '/api/admin/plans', { token: admin.accessToken, body: { name: 'Bench', maxDevices: 10_000 } });
    const clients = await Promise.all(Array.from({ length: 50 }, async () => {
      const u = await registerAndLogin(base);
      await call(base, 'PATCH', `/api/admin/users/${u.id}`, { token: admin.accessToken, body: { planId: plan.body.id } });
      return u;
    }));
    const user = clients[0];
    let n = 0;
    const load = new LoadClient(base);
    // A client makes its key pair on its own device, not on this machine: made before the clock runs.
    const publicKeys = Array.from({ length: 6_500 }, () => generateKeyPairFast().publicKey);
    const create = async (token: string) => {
      const publicKey = publicKeys.pop() ?? generateKeyPairFast().publicKey;
      const t = performance.now();
      const res = await load.post('/api/configs', token, { serverId, name: `b${n++}`, publicKey });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${res.body}`);
      return performance.now() - t;
    };
    const sequential = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) times.push(await create(user.accessToken));
      return times;
    };

    // The floor: one `wg set` over a pooled SSH connection to the same server.
    const target: SshTarget = { host: s.host, port: s.sshPort, username: s.sshUser, hostKey: s.hostKey };
    const itf = parseInterfaceName(s.interface);
    const far = AddressPool.parse('10.8.250.0/24').allocator();
    const rawTimes: number[] = [];
    for (let i = 0; i < 120; i++) {
      const t = performance.now();
      await raw.exec(target, setPeerCommand(itf, { publicKey: generateKeyPairFast().publicKey, allowedIps: [hostCidr(far.allocate())] }));
      if (i >= 20) rawTimes.push(performance.now() - t);
    }
    const rawP50 = pct(rawTimes, 50);

    // Warm-up, as for the raw floor: 500 creates from the 50 clients and their revocations (JIT,
    // pools, prepared statements, the shell on the server), leaving the server empty. Then 10 peers
    // on the server, then sequential creates.
    const warm: Array<{ token: string; id: string }> = [];
    let w = 0;
    await Promise.all(clients.map(async (c) => {
      while (w < 500) {
        const i = w++;
        const res = await call<{ config: { id: string } }>(base, 'POST', '/api/configs', {
          token: c.accessToken, body: { serverId, name: `warm${i}`, publicKey: generateKeyPairFast().publicKey },
        });
        if (res.status !== 201) throw new Error(`warm-up create: ${res.status} ${JSON.stringify(res.body)}`);
        warm.push({ token: c.accessToken, id: res.body.config.id });
      }
    }));
    await Promise.all(clients.map(async () => {
      for (let x = warm.pop(); x; x = warm.pop()) {
        const res = await call(base, 'DELETE', `/api/configs/${x.id}`, { token: x.token });
        if (res.status !== 204) throw new Error(`warm-up revoke: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }));
    // Settle after the churn: vacuumed tables, fresh statistics, nothing dirty, so no autovacuum or
    // checkpoint lands in the timings.
    await stack.dataSource.query('VACUUM ANALYZE');
    await stack.dataSource.query('CHECKPOINT').catch(() => undefined);
    await sequential(10);
    const small = await sequential(100);
    const smallP50 = pct(small, 50);

    // Throughput: 50 concurrent clients; the median of three rounds of 1,000 creates (min–max in the notes).
    const throughput = async () => {
      const total = 1_000;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(clients.map(async (c) => {
        while (next < total) {
          next++;
          await create(c.accessToken);
        }
      }));
      return total / ((performance.now() - t0) / 1000);
    };
    const rounds = async () => {
      const rates: number[] = [];
      for (let i = 0; i < 3; i++) rates.push(await throughput());
      rates.sort((a, b) => a - b);
      return { median: rates[1], range: `${Math.round(rates[0])}–${Math.round(rates[2])}` };
    };
    const rate = await rounds();
    const second = await ServiceProcess.start('provisioning', env);
    procs.push(second);
    await second.ready(60_000);
    await new Promise((r) => setTimeout(r, 2_500)); // both provisioners have beaten: each knows its lane
    const rateTwo = await rounds();
    await second.kill('SIGTERM'); // back to the shape the 10-peer latency was measured in

    // 10,000 peers on the server: seeded straight into the database and the interface.
    const seedUser = randomUUID();
    const seedPool = AddressPool.parse(poolCidr);
    const leased = (await stack.dataSource.query(`SELECT address FROM vpn.leases WHERE server_id = $1`, [serverId])) as Array<{ address: string }>;
    const seedAlloc = seedPool.allocator(leased.map((l) => l.address));
    const have = (await stack.dataSource.query(`SELECT count(*)::int AS n FROM vpn.configs WHERE server_id = $1`, [serverId]))[0].n as number;
    const seeds: PeerSpec[] = [];
    const ids: string[] = [];
    const addrs: string[] = [];
    for (let i = have; i < 10_000; i++) {
      const a = seedAlloc.allocate();
      seeds.push({ publicKey: generateKeyPairFast().publicKey, allowedIps: [hostCidr(a)] });
      ids.push(randomUUID());
      addrs.push(a);
    }
    await stack.dataSource.query(`INSERT INTO vpn.leases (owner_id, server_id, address, public_key) SELECT * FROM unnest($1::uuid[], array_fill($2::uuid, ARRAY[$5::int]), $3::text[], $4::text[])`,
      [ids, serverId, addrs, seeds.map((p) => p.publicKey), ids.length]);
    await stack.dataSource.query(`INSERT INTO vpn.configs (id, user_id, server_id, name, address, public_key) SELECT id, $2, $3, 'seed', a, k FROM unnest($1::uuid[], $4::text[], $5::text[]) AS t(id, a, k)`,
      [ids, seedUser, serverId, addrs, seeds.map((p) => p.publicKey)]);
    await raw.exec(target, addPeersCommand(itf, seeds));
    await stack.dataSource.query('VACUUM ANALYZE');
    await stack.dataSource.query('CHECKPOINT').catch(() => undefined);
    await sequential(20); // the allocator learns the seeded leases
    const big = await sequential(100);
    const bigP50 = pct(big, 50);
    load.close();
    const peersNow = (await raw.exec(target, { command: `wg show ${itf} peers` })).stdout.trim().split('\n').length;

    return [
      { name: 'raw `wg set` of one peer over pooled SSH, p50', value: r2(rawP50), unit: 'ms', notes: 'the floor for one create' },
      { name: 'create via HTTP, 10 peers on the server, p50', value: r2(smallP50), unit: 'ms', goal: `≤ 3× raw = ${r2(3 * rawP50)} ms` },
      { name: 'create via HTTP, 10 peers on the server, p95', value: r2(pct(small, 95)), unit: 'ms' },
      { name: 'creates/s with 50 concurrent clients', value: Math.round(rate.median), unit: 'creates/s', goal: '≥ 300', notes: `one replica of each service; median of 3 rounds of 1,000 (${rate.range})` },
      { name: 'creates/s with 50 concurrent clients, 2 provisioners', value: Math.round(rateTwo.median), unit: 'creates/s', notes: `on the same 2 cores; median of 3 rounds (${rateTwo.range})` },
      { name: `create via HTTP, ${peersNow} peers on the server, p50`, value: r2(bigP50), unit: 'ms', goal: `≤ 1.2× p50 at 10 = ${r2(1.2 * smallP50)} ms` },
      { name: `create via HTTP, ${peersNow} peers on the server, p95`, value: r2(pct(big, 95)), unit: 'ms' },
    ];
  } finally {
    for (const p of procs) await p.kill('SIGTERM');
    await raw.close();
    await stack.stop();
    await lab.stop();
  }
}
