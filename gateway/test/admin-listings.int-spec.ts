import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateKeyPair } from '@vpn/wireguard';
import { provisioningService } from '@vpn/service-provisioning';
import { startLab } from '../../infra/lab/test/lab-fixture';
import { startStack, type TestStack } from '../../test/support/stack';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { call, login, registerAndLogin, type Session } from './support/http';

interface UserRow { id: string; email: string; role: string; planId: string; disabled: boolean; devicesUsed: number }
interface ConfigRow { id: string; name: string; address: string; serverId: string; userId: string; userEmail: string; createdAt: string }
interface Page<T> { items: T[]; nextCursor: string | null }

const SEEDED_USERS = 10_000;
const SEEDED_CONFIGS = 100_000;

/** JavaScript's own order of (lower(email), id): the order the API promises, computed independently. */
const byEmailThenId = (a: UserRow, b: UserRow): number => {
  const [x, y] = [a.email.toLowerCase(), b.email.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

describe('admin listings: GET /api/admin/users and /api/admin/configs (keyset pages), DELETE /api/admin/configs/:id', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  let stack: TestStack;
  let base: string;
  let admin: Session;
  let serverId: string;

  beforeAll(async () => {
    lab = await startLab(1);
    const keyFile = join(lab.lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    stack = await startStack({ services: [authService, billingLimitsService, provisioningService, gatewayService], label: 'admin_listings', env: { SSH_PRIVATE_KEY_FILE: keyFile } });
    base = stack.url;
    admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    const s = lab.lab.servers[0];
    const reg = await call<{ id: string }>(base, 'POST', '/api/admin/servers', {
      token: admin.accessToken, body: { name: 'Lab', host: s.host, sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool },
    });
    expect(reg.status).toBe(201);
    serverId = reg.body.id;
    // Mixed case, so the order and the search must ignore it.
    await stack.dataSource.query(
      `INSERT INTO auth.users (id, email, password_hash, role)
       SELECT gen_random_uuid(), (CASE WHEN i % 2 = 0 THEN 'Seed' ELSE 'seed' END) || lpad(i::text, 5, '0') || '@example.com', 'not-a-hash', 'user'
       FROM generate_series(1, $1::int) i`, [SEEDED_USERS]);
    await stack.dataSource.query(
      `INSERT INTO auth.users (id, email, password_hash, role) VALUES (gen_random_uuid(), 'under_score@example.com', 'x', 'user'), (gen_random_uuid(), 'per%cent@example.com', 'x', 'user')`);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await lab?.stop();
  });

  const users = (query: string, token = admin.accessToken) => call<Page<UserRow>>(base, 'GET', `/api/admin/users${query}`, { token });
  const configs = (query: string, token = admin.accessToken) => call<Page<ConfigRow>>(base, 'GET', `/api/admin/configs${query}`, { token });

  it(`answers the first page of ${SEEDED_USERS} users within 100 ms (median of 5), 50 by default`, async () => {
    await users('');
    const times: number[] = [];
    let first: Page<UserRow> | undefined;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await users('');
      times.push(performance.now() - t0);
      expect(res.status).toBe(200);
      first = res.body;
    }
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(100);
    expect(first!.items).toHaveLength(50);
    expect(first!.items[0]).toEqual({ id: expect.any(String), email: expect.any(String), role: expect.stringMatching(/^(admin|user)$/), planId: expect.any(String), disabled: false, devicesUsed: 0 });
    expect(typeof first!.nextCursor).toBe('string');
    await stack.dataSource.query('ANALYZE auth.users');
    const plan = (await stack.dataSource.query<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN SELECT id FROM auth.users ORDER BY lower(email) COLLATE "C", id LIMIT 51`)).map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using users_email_order_idx/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('walks every user once, in (email, id) order, with no gaps, and ends with nextCursor null', async () => {
    const [{ count }] = await stack.dataSource.query<Array<{ count: string }>>(`SELECT count(*) FROM auth.users`);
    const seen: UserRow[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof users>> = await users(`?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(Number(count));
    expect(new Set(seen.map((u) => u.id)).size).toBe(seen.length);
    expect(seen.map((u) => u.id)).toEqual([...seen].sort(byEmailThenId).map((u) => u.id));
    expect(seen.some((u) => u.email === 'Seed00002@example.com') && seen.some((u) => u.email === 'admin@localhost')).toBe(true);
  }, 60_000);

  it('filters by a case-insensitive substring of the email, LIKE wildcards taken literally', async () => {
    const res = await users('?query=SEED0012');
    expect(res.status).toBe(200);
    expect(res.body.items.map((u) => u.email.toLowerCase())).toEqual(Array.from({ length: 10 }, (_, i) => `seed0012${i}@example.com`));
    expect(res.body.nextCursor).toBeNull();
    expect((await users('?query=_')).body.items.map((u) => u.email)).toEqual(['under_score@example.com']);
    expect((await users('?query=%25')).body.items.map((u) => u.email)).toEqual(['per%cent@example.com']);
    expect((await users('?query=nobody-has-this')).body).toEqual({ items: [], nextCursor: null });
    // A filtered listing pages too.
    const p1 = await users('?query=seed001&limit=60');
    const p2 = await users(`?query=seed001&limit=60&cursor=${p1.body.nextCursor}`);
    expect([p1.body.items.length, p2.body.items.length, p2.body.nextCursor]).toEqual([60, 40, null]);
    expect(new Set([...p1.body.items, ...p2.body.items].map((u) => u.email.toLowerCase())).size).toBe(100);
  });

  it('refuses a limit outside 1–200, a non-integer limit and a forged cursor with 400 VALIDATION_FAILED', async () => {
    for (const q of ['?limit=0', '?limit=201', '?limit=abc', '?limit=1.5', '?cursor=!!', `?cursor=${Buffer.from('{"email":1}').toString('base64url')}`]) {
      for (const res of [await users(q), await configs(q)]) {
        expect([q, res.status, (res.body as unknown as { code: string }).code]).toEqual([q, 400, 'VALIDATION_FAILED']);
      }
    }
    expect((await users('?limit=200')).body.items).toHaveLength(200);
    expect((await users('?limit=1')).body.items).toHaveLength(1);
    const badFilter = await configs('?serverId=not-a-uuid');
    expect(badFilter.status).toBe(400);
  });

  it('answers 403 FORBIDDEN to a non-admin and 401 without a token', async () => {
    const user = await registerAndLogin(base);
    for (const res of [await users('', user.accessToken), await configs('', user.accessToken),
      await call(base, 'DELETE', '/api/admin/configs/00000000-0000-4000-8000-000000000000', { token: user.accessToken })]) {
      expect([res.status, (res.body as { code: string }).code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await call(base, 'GET', '/api/admin/configs')).status).toBe(401);
  });

  describe('configs of every user', () => {
    let alice: Session;
    let bob: Session;
    const made: Array<{ id: string; owner: Session; publicKey: string; name: string; address: string }> = [];

    beforeAll(async () => {
      alice = await registerAndLogin(base);
      bob = await registerAndLogin(base);
      for (const [owner, name] of [[alice, 'alice laptop'], [bob, 'bob phone'], [alice, 'alice phone'], [bob, 'bob tablet']] as const) {
        const { publicKey } = generateKeyPair();
        const res = await call<{ config: { id: string; address: string } }>(base, 'POST', '/api/configs', { token: owner.accessToken, body: { serverId, name, publicKey } });
        expect(res.status).toBe(201);
        made.push({ id: res.body.config.id, owner, publicKey, name, address: res.body.config.address });
      }
    }, 60_000);

    it('lists them across users, oldest first, each with its owner id and email, page by page', async () => {
      const seen: ConfigRow[] = [];
      let cursor: string | null = null;
      do {
        const res: Awaited<ReturnType<typeof configs>> = await configs(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect([res.status, res.body.items.length]).toEqual([200, 1]);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor !== null && seen.length < 10);
      expect(seen.map((c) => [c.id, c.name, c.userId, c.userEmail, c.serverId, c.address]))
        .toEqual(made.map((m) => [m.id, m.name, m.owner.id, m.owner.email, serverId, m.address]));
      const whole = await configs('');
      expect(whole.body.nextCursor).toBeNull();
      expect(whole.body.items[0]).toMatchObject({ serverName: 'Lab', status: 'active', publicKey: made[0].publicKey, rxBytes: 0, txBytes: 0 });
    });

    it('filters by user, server, and a name or address substring', async () => {
      const ids = async (q: string) => (await configs(q)).body.items.map((c) => c.id);
      expect(await ids(`?userId=${bob.id}`)).toEqual([made[1].id, made[3].id]);
      expect(await ids(`?serverId=${serverId}&userId=${alice.id}`)).toEqual([made[0].id, made[2].id]);
      expect(await ids('?serverId=00000000-0000-4000-8000-000000000000')).toEqual([]);
      expect(await ids('?query=PHONE')).toEqual([made[1].id, made[2].id]);
      expect(await ids(`?query=${encodeURIComponent(made[3].address)}`)).toEqual([made[3].id]);
      expect(await ids('?query=_')).toEqual([]);
    });

    it('revokes any user’s device: 204 after the peer is off the server, audited with the admin as actor; then 404', async () => {
      const target = made[1];
      const peersBefore = await lab.lab.execInServer(0, ['wg', 'show', lab.lab.servers[0].interface, 'peers']);
      expect(peersBefore).toContain(target.publicKey);
      const res = await call(base, 'DELETE', `/api/admin/configs/${target.id}`, { token: admin.accessToken });
      expect(res.status).toBe(204);
      const peersAfter = await lab.lab.execInServer(0, ['wg', 'show', lab.lab.servers[0].interface, 'peers']);
      expect(peersAfter).not.toContain(target.publicKey);
      expect(peersAfter).toContain(made[0].publicKey);
      expect((await call(base, 'GET', `/api/configs/${target.id}`, { token: bob.accessToken })).status).toBe(404);
      expect((await configs(`?userId=${bob.id}`)).body.items.map((c) => c.id)).toEqual([made[3].id]);
      const [event] = await stack.dataSource.query<Array<{ actor: string; owner: string }>>(
        `SELECT envelope->>'actorId' AS actor, envelope->'data'->>'userId' AS owner FROM messaging.outbox WHERE type = 'config.revoked' AND envelope->'data'->>'configId' = $1`, [target.id]);
      expect(event).toEqual({ actor: admin.id, owner: bob.id });
      const again = await call(base, 'DELETE', `/api/admin/configs/${target.id}`, { token: admin.accessToken });
      expect([again.status, (again.body as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
      expect((await call(base, 'DELETE', '/api/admin/configs/not-a-uuid', { token: admin.accessToken })).status).toBe(404);
    }, 30_000);

    it(`pages ${SEEDED_CONFIGS} devices from an index (no sort), the first page within 100 ms`, async () => {
      await stack.dataSource.query(
        `WITH l AS (
           INSERT INTO vpn.leases (owner_id, server_id, address, public_key)
           SELECT gen_random_uuid(), $1::uuid, '10.' || (100 + i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), encode(sha256(i::text::bytea), 'base64')
           FROM generate_series(1, $2::int) i
           RETURNING owner_id, server_id, address, public_key)
         INSERT INTO vpn.configs (id, user_id, server_id, name, address, public_key, created_at)
         SELECT owner_id, gen_random_uuid(), server_id, 'seeded', address, public_key, now() - interval '1 day' + random() * interval '1 hour' FROM l`,
        [serverId, SEEDED_CONFIGS]);
      await stack.dataSource.query('ANALYZE vpn.configs');
      for (const filter of ['', `AND c.server_id = '${serverId}'`]) {
        const plan = (await stack.dataSource.query<Array<{ 'QUERY PLAN': string }>>(
          `EXPLAIN SELECT c.id FROM vpn.configs c WHERE true ${filter} ORDER BY c.created_at, c.id LIMIT 51`)).map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/Index (Only )?Scan using configs_(server_)?created_idx/);
        expect(plan).not.toMatch(/Sort/);
      }
      await configs('');
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await configs(`?serverId=${serverId}`);
        times.push(performance.now() - t0);
        expect([res.status, res.body.items.length, res.body.items[0].name]).toEqual([200, 50, 'seeded']);
      }
      times.sort((a, b) => a - b);
      expect(times[2]).toBeLessThan(100);
    }, 60_000);
  });
});
