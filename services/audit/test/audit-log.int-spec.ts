import { randomUUID } from 'node:crypto';
import { appendEvent } from '@vpn/messaging';
import { testNatsUrl } from '@vpn/testing';
import { generateKeyPair } from '@vpn/wireguard';
import { startProvisioningWorld, type ProvisioningWorld } from '../../provisioning/test/provisioning-fixture';
import { ServiceProcess } from '../../../test/support/service-process';

const BURST = 600;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The audit consumer as its own OS process, killed with SIGKILL in the middle of a burst of events.
describe('audit log', () => {
  let world: ProvisioningWorld;
  let env: Record<string, string>;
  const processes: ServiceProcess[] = [];

  const count = async (sql: string, params: unknown[] = []) => Number((await world.stack.dataSource.query(sql, params))[0].n);
  const startAudit = async () => {
    const p = await ServiceProcess.start('audit', env);
    processes.push(p);
    await p.ready();
    return p;
  };

  beforeAll(async () => {
    world = await startProvisioningWorld({ label: 'audit' });
    env = { DATABASE_URL: world.stack.db.url, NATS_URL: testNatsUrl(), NATS_SUBJECT_PREFIX: world.stack.bus.prefix, DATA_DIR: world.stack.dataDir };
  }, 60_000);

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await world?.stop();
  });

  it('records every event of a create and a revoke exactly once, also across a kill -9 mid-batch', async () => {
    const first = await startAudit();
    const server = await world.register(0);
    const userId = randomUUID();
    const { config } = await world.stack.commands.request('config.create', { userId, serverId: server.id, name: 'audited', publicKey: generateKeyPair().publicKey }, { timeoutMs: 20_000 });
    await world.stack.commands.request('config.revoke', { userId, configId: config.id, actorId: userId }, { timeoutMs: 20_000 });
    await waitFor('the create and revoke events', async () => (await count(`SELECT count(*) AS n FROM audit.audit_log WHERE subject = $1`, [config.id])) === 2);

    // A burst, and the consumer dies in the middle of it.
    await world.stack.dataSource.transaction(async (m) => {
      for (let i = 0; i < BURST; i++) await appendEvent(m, 'peer.removed', { serverId: server.id, publicKey: generateKeyPair().publicKey, reason: 'orphan' }, { subject: server.id });
    });
    const before = await count(`SELECT count(*) AS n FROM audit.audit_log`);
    await waitFor('the burst to be under way', async () => (await count(`SELECT count(*) AS n FROM audit.audit_log`)) > before + 20, 20_000);
    await first.kill('SIGKILL');
    const atKill = await count(`SELECT count(*) AS n FROM audit.audit_log WHERE type = 'peer.removed'`);
    expect(atKill).toBeLessThan(BURST);

    await startAudit();
    const total = await count(`SELECT count(*) AS n FROM messaging.outbox`);
    await waitFor('every event in the log', async () => (await count(`SELECT count(*) AS n FROM audit.audit_log`)) === total);
    // Exactly once: every outbox event has one entry with its id, type and subject, and nothing else is there.
    expect(await count(`
      SELECT count(*) AS n FROM messaging.outbox o JOIN audit.audit_log a ON a.id = o.id
      WHERE a.type = o.type AND a.subject IS NOT DISTINCT FROM o.envelope->>'subject' AND a.data = o.envelope->'data'`)).toBe(total);
    const ofConfig: Array<{ type: string; actor_id: string | null }> = await world.stack.dataSource.query(
      `SELECT type, actor_id FROM audit.audit_log WHERE subject = $1 ORDER BY occurred_at`, [config.id]);
    expect(ofConfig).toEqual([{ type: 'config.created', actor_id: userId }, { type: 'config.revoked', actor_id: userId }]);

    // Newest first, paged by the last id of the previous page, with no gap and no repeat.
    const seen: string[] = [];
    let before_: string | undefined;
    for (;;) {
      const page = await world.stack.commands.request('audit.list', { limit: 250, ...(before_ ? { before: before_ } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.id));
      for (let i = 1; i < page.length; i++) expect(page[i - 1].occurredAt >= page[i].occurredAt).toBe(true);
      before_ = page[page.length - 1].id;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    await expect(world.stack.commands.request('audit.list', { limit: 501 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  }, 90_000);
});
