import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerView } from '@vpn/contracts';
import { billingLimitsService } from '@vpn/service-billing-limits';
import { testNatsUrl } from '@vpn/testing';
import { generateKeyPair, parseDump } from '@vpn/wireguard';
import { startLab } from '../../../infra/lab/test/lab-fixture';
import { ServiceProcess } from '../../../test/support/service-process';
import { startStack, type TestStack } from '../../../test/support/stack';

const CRASH_POINTS = ['saga.after-row', 'saga.after-peer-add', 'saga.after-commit'] as const;
const CRASHES_PER_POINT = 5;

// kill -9 of a real provisioning process at each step of the saga, then a fresh process recovers:
// every request either succeeded (row and peer) or left nothing (neither), and no slot leaks.
describe('provisioning crash matrix', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  let stack: TestStack;
  let server: ServerView;
  let env: Record<string, string>;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    lab = await startLab(1);
    const keyFile = join(lab.lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    stack = await startStack({ services: [billingLimitsService], label: 'crash' });
    env = {
      DATABASE_URL: stack.db.url, NATS_URL: testNatsUrl(), NATS_SUBJECT_PREFIX: stack.bus.prefix, SSH_PRIVATE_KEY_FILE: keyFile,
      DATA_DIR: stack.dataDir, SAGA_RECOVERY_HEARTBEAT_MS: '200', SAGA_RECOVERY_STALE_MS: '1000',
    };
    const registrar = await ServiceProcess.start('provisioning', env);
    processes.push(registrar);
    await registrar.ready();
    const s = lab.lab.servers[0];
    server = await stack.commands.request('server.register', {
      actorId: randomUUID(), name: s.name, host: s.host, sshPort: s.sshPort, sshUser: s.sshUser, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool,
    }, { timeoutMs: 20_000 });
    await registrar.kill('SIGTERM');
  }, 90_000);

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await stack?.stop();
    await lab?.stop();
  });

  it(`leaves 0 orphans, 0 ghosts and 0 leaked slots after ${CRASHES_PER_POINT} crashes at each saga step`, async () => {
    const users = new Map<string, string>(); // publicKey → userId
    // Crashes seen, per point: a process counts only when it died of SIGKILL, which only its crash point sends.
    const killed = new Map<string, number>();
    for (const point of CRASH_POINTS) {
      for (let i = 0; i < CRASHES_PER_POINT; i++) {
        const doomed = await ServiceProcess.start('provisioning', { ...env, VPN_FAULT_CRASH_AT: point });
        processes.push(doomed);
        await doomed.ready();
        const userId = randomUUID();
        const { publicKey } = generateKeyPair();
        users.set(publicKey, userId);
        await expect(stack.commands.request('config.create', { userId, serverId: server.id, name: `crash ${i}`, publicKey }, { timeoutMs: 5_000 }))
          .rejects.toMatchObject({ code: expect.stringMatching(/^BUS_(TIMEOUT|UNAVAILABLE)$/) });
        await doomed.waitForExit(5_000);
        if (doomed.exitSignal === 'SIGKILL') killed.set(point, (killed.get(point) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(killed)).toEqual(Object.fromEntries(CRASH_POINTS.map((p) => [p, CRASHES_PER_POINT])));
    const crashes = [...killed.values()].reduce((a, b) => a + b, 0);

    // A fresh provisioner takes over what the dead ones left.
    const survivor = await ServiceProcess.start('provisioning', env);
    processes.push(survivor);
    await survivor.ready();
    const unfinished = async () => (await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM vpn.sagas WHERE state = 'PENDING' OR (state = 'DONE' AND NOT slot_committed)`))[0].n as number;
    for (let waited = 0; (await unfinished()) > 0 && waited < 30_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
    expect(await unfinished()).toBe(0);

    const dump = parseDump(await lab.lab.execInServer(0, ['wg', 'show', lab.lab.servers[0].interface, 'dump']));
    const onServer = new Set<string>(dump.peers.map((p) => p.publicKey));
    const configs: Array<{ id: string; public_key: string; user_id: string }> = await stack.dataSource.query(`SELECT id, public_key, user_id FROM vpn.configs`);
    const inDb = new Set(configs.map((c) => c.public_key));
    const orphans = [...onServer].filter((k) => !inDb.has(k));
    const ghosts = [...inDb].filter((k) => !onServer.has(k));
    const slots: Array<{ id: string; status: string; device_id: string | null }> = await stack.dataSource.query(`SELECT id, status, device_id FROM billing.device_slots`);
    const configIds = new Set(configs.map((c) => c.id));
    const leaked = slots.filter((s) => s.status !== 'committed' || !s.device_id || !configIds.has(s.device_id));
    const sagas: Array<{ state: string; n: number }> = await stack.dataSource.query(`SELECT state, count(*)::int AS n FROM vpn.sagas GROUP BY state ORDER BY state`);
    // after-row and after-peer-add were compensated; after-commit rolled forward (its config stands).
    expect({ orphans, ghosts, leaked }).toEqual({ orphans: [], ghosts: [], leaked: [] });
    expect(configs).toHaveLength(CRASHES_PER_POINT);
    expect(sagas).toEqual([{ state: 'DONE', n: CRASHES_PER_POINT }, { state: 'FAILED', n: 2 * CRASHES_PER_POINT }]);
    const [{ n: leases }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM vpn.leases`);
    expect(leases).toBe(CRASHES_PER_POINT);
    process.stdout.write(`crash matrix: crashes=${crashes} orphans=${orphans.length} ghosts=${ghosts.length} leakedSlots=${leaked.length}\n`);
  }, 240_000);
});
