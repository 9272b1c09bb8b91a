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

describe('two provisioning processes on one NATS', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  let stack: TestStack;
  let server: ServerView;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    lab = await startLab(1);
    const keyFile = join(lab.lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    stack = await startStack({ services: [billingLimitsService], label: 'scaleout' });
    const env = { DATABASE_URL: stack.db.url, NATS_URL: testNatsUrl(), NATS_SUBJECT_PREFIX: stack.bus.prefix, SSH_PRIVATE_KEY_FILE: keyFile, DATA_DIR: stack.dataDir };
    for (let i = 0; i < 2; i++) processes.push(await ServiceProcess.start('provisioning', env));
    await Promise.all(processes.map((p) => p.ready()));
    const s = lab.lab.servers[0];
    server = await stack.commands.request('server.register', {
      actorId: randomUUID(), name: s.name, host: s.host, sshPort: s.sshPort, sshUser: s.sshUser, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool,
    }, { timeoutMs: 20_000 });
  }, 90_000);

  afterAll(async () => {
    for (const p of processes) await p.kill('SIGTERM');
    await stack?.stop();
    await lab?.stop();
  });

  it('both handle creates from one burst, with distinct addresses and every peer on the server', async () => {
    const n = 60;
    const replies = await Promise.all(Array.from({ length: n }, (_, i) => stack.commands.request('config.create', {
      userId: randomUUID(), serverId: server.id, name: `device ${i}`, publicKey: generateKeyPair().publicKey,
    }, { timeoutMs: 30_000 })));
    expect(new Set(replies.map((r) => r.config.address)).size).toBe(n);
    const owners: Array<{ owner: string }> = await stack.dataSource.query(`SELECT DISTINCT owner FROM vpn.sagas WHERE state = 'DONE'`);
    expect(owners).toHaveLength(2);
    const dump = parseDump(await lab.lab.execInServer(0, ['wg', 'show', lab.lab.servers[0].interface, 'dump']));
    expect(new Set<string>(dump.peers.map((p) => p.publicKey))).toEqual(new Set(replies.map((r) => r.config.publicKey)));
    const byAddress = new Map<string, readonly string[]>(dump.peers.map((p) => [p.publicKey, p.allowedIps]));
    for (const r of replies) expect(byAddress.get(r.config.publicKey)).toEqual([r.config.address]);
  }, 60_000);
});
