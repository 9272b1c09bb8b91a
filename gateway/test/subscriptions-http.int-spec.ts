import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisioningService } from '@vpn/service-provisioning';
import { generateKeyPair } from '@vpn/wireguard';
import { startLab } from '../../infra/lab/test/lab-fixture';
import { startStack, type TestStack } from '../../test/support/stack';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { call, login, registerAndLogin, type Session } from './support/http';

const DAY_MS = 86_400_000;

interface Subscription { status: string; planId: string; startedAt: string | null; expiresAt: string | null; dataLimitBytes: number | null; usedBytes: number; lifetimeUsedBytes: number; lastResetAt: string | null; nextResetAt: string | null }
interface ErrorBody { statusCode: number; code: string; message: string }

describe('plans and subscriptions over HTTP (API.md §5)', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  let stack: TestStack;
  let base: string;
  let admin: Session;
  let serverId: string;

  beforeAll(async () => {
    lab = await startLab(1);
    const keyFile = join(lab.lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
    stack = await startStack({ services: [authService, billingLimitsService, provisioningService, gatewayService], label: 'gw_subscriptions', env: { SSH_PRIVATE_KEY_FILE: keyFile } });
    base = stack.url;
    admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    const s = lab.lab.servers[0];
    const reg = await call<{ id: string }>(base, 'POST', '/api/admin/servers', {
      token: admin.accessToken, body: { name: 'Lab', host: s.host, sshPort: s.sshPort, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool },
    });
    expect(reg.status).toBe(201);
    serverId = reg.body.id;
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await lab?.stop();
  });

  const as = (token = admin.accessToken) => ({
    get: <T>(path: string) => call<T>(base, 'GET', path, { token }),
    post: <T>(path: string, body?: unknown) => call<T>(base, 'POST', path, { token, body }),
    patch: <T>(path: string, body: unknown) => call<T>(base, 'PATCH', path, { token, body }),
  });
  const user = (id: string) => as().get<{ subscription: Subscription } & Record<string, unknown>>(`/api/admin/users/${id}`);
  const device = (s: Session, name: string) => call<ErrorBody>(base, 'POST', '/api/configs', { token: s.accessToken, body: { serverId, name, publicKey: generateKeyPair().publicKey } });
  const near = (iso: string | null, expected: number) => expect(Math.abs(new Date(iso!).getTime() - expected)).toBeLessThan(15_000);

  async function waitForStatus(id: string, status: string): Promise<void> {
    const until = Date.now() + 10_000;
    while ((await user(id)).body.subscription.status !== status) {
      if (Date.now() > until) throw new Error(`subscription of ${id} never became ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('creates and updates plans with their subscription terms, refusing bad terms with 400 naming the field', async () => {
    const created = await as().post<Record<string, unknown>>('/api/admin/plans', { name: 'Monthly 50', maxDevices: 5, dataLimitBytes: 50e9, durationDays: 30, resetStrategy: 'MONTH_ROLLING', startOnFirstConnect: true });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'Monthly 50', maxDevices: 5, dataLimitBytes: 50e9, durationDays: 30, resetStrategy: 'MONTH_ROLLING', startOnFirstConnect: true });
    const patched = await as().patch<Record<string, unknown>>(`/api/admin/plans/${created.body.id}`, { dataLimitBytes: null, resetStrategy: 'YEAR' });
    expect([patched.status, patched.body]).toEqual([200, { ...created.body, dataLimitBytes: null, resetStrategy: 'YEAR' }]);
    const listed = await as().get<Array<Record<string, unknown>>>('/api/admin/plans');
    expect(listed.body).toContainEqual(patched.body);
    expect(listed.body.find((p) => p.name === 'Free')).toMatchObject({ dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false });
    for (const [bad, field] of [[{ resetStrategy: 'HOURLY' }, 'resetStrategy'], [{ dataLimitBytes: -5 }, 'dataLimitBytes'], [{ durationDays: 0 }, 'durationDays'], [{ startOnFirstConnect: 'yes' }, 'startOnFirstConnect'], [{ resetStrategy: null }, 'resetStrategy']] as const) {
      const res = await as().post<ErrorBody>('/api/admin/plans', { name: 'Bad', maxDevices: 1, ...bad });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.message).toContain(field);
    }
  });

  it('shows the plan\'s terms and the subscription in GET /api/me and GET /api/admin/users/:id', async () => {
    const alice = await registerAndLogin(base);
    const me = await as(alice.accessToken).get<Record<string, unknown>>('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.plan).toMatchObject({ name: 'Free', dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false });
    expect(me.body.subscription).toEqual({
      status: 'ACTIVE', planId: (me.body.plan as { id: string }).id, startedAt: expect.any(String), expiresAt: null, dataLimitBytes: null,
      usedBytes: 0, lifetimeUsedBytes: 0, lastResetAt: null, nextResetAt: null,
    });
    const detail = await user(alice.id);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual({ id: alice.id, email: alice.email, role: 'user', planId: (me.body.plan as { id: string }).id, disabled: false, devicesUsed: 0, subscription: me.body.subscription });
  });

  it('starts a subscription when an admin assigns a plan, and sets expiresAt and dataLimitBytes per user', async () => {
    const bob = await registerAndLogin(base);
    const plan = await as().post<{ id: string }>('/api/admin/plans', { name: 'Week 1G', maxDevices: 2, dataLimitBytes: 1e9, durationDays: 7, resetStrategy: 'MONTH' });
    expect((await as().patch(`/api/admin/users/${bob.id}`, { planId: plan.body.id })).status).toBe(200);
    const started = (await user(bob.id)).body.subscription;
    expect(started).toMatchObject({ status: 'ACTIVE', planId: plan.body.id, dataLimitBytes: 1e9, usedBytes: 0 });
    near(started.expiresAt, Date.now() + 7 * DAY_MS);
    expect(new Date(started.nextResetAt!).getUTCDate()).toBe(1);
    const expiresAt = new Date(Date.now() + 3 * DAY_MS).toISOString();
    expect((await as().patch(`/api/admin/users/${bob.id}`, { expiresAt, dataLimitBytes: null })).status).toBe(200);
    expect((await user(bob.id)).body.subscription).toMatchObject({ expiresAt, dataLimitBytes: null, status: 'ACTIVE' });
    for (const bad of [{ expiresAt: 'next week' }, { dataLimitBytes: -1 }, { dataLimitBytes: 1.5 }]) {
      const res = await as().patch<ErrorBody>(`/api/admin/users/${bob.id}`, bad);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('refuses a new device with 403 SUBSCRIPTION_INACTIVE once expired; renew brings it back (from now after expiry, from expiresAt before)', async () => {
    const carol = await registerAndLogin(base);
    expect((await device(carol, 'phone')).status).toBe(201);
    expect((await as().patch(`/api/admin/users/${carol.id}`, { expiresAt: new Date(Date.now() - 60_000).toISOString() })).status).toBe(200);
    expect((await as(carol.accessToken).get<{ subscription: Subscription }>('/api/me')).body.subscription.status).toBe('EXPIRED');
    const refused = await device(carol, 'laptop');
    expect([refused.status, refused.body.code]).toEqual([403, 'SUBSCRIPTION_INACTIVE']);
    const renewed = await as().post<Subscription>(`/api/admin/users/${carol.id}/renew`, { days: 30 });
    expect(renewed.status).toBe(200);
    expect(renewed.body.status).toBe('ACTIVE');
    near(renewed.body.expiresAt, Date.now() + 30 * DAY_MS);
    const again = await as().post<Subscription>(`/api/admin/users/${carol.id}/renew`, { days: 10 });
    expect(new Date(again.body.expiresAt!).getTime() - new Date(renewed.body.expiresAt!).getTime()).toBe(10 * DAY_MS);
    expect((await device(carol, 'laptop')).status).toBe(201);
    expect((await user(carol.id)).body.devicesUsed).toBe(2);
  }, 30_000);

  it('tops up and resets usage of a LIMITED subscription (200 subscription each), refusing bad bodies with 400', async () => {
    const dave = await registerAndLogin(base);
    await as().patch(`/api/admin/users/${dave.id}`, { dataLimitBytes: 0 });
    expect((await user(dave.id)).body.subscription.status).toBe('LIMITED');
    const refused = await device(dave, 'phone');
    expect([refused.status, refused.body.code]).toEqual([403, 'SUBSCRIPTION_INACTIVE']);
    const topped = await as().post<Subscription>(`/api/admin/users/${dave.id}/top-up`, { bytes: 5000 });
    expect([topped.status, topped.body.status, topped.body.dataLimitBytes]).toEqual([200, 'ACTIVE', 5000]);
    const reset = await as().post<Subscription>(`/api/admin/users/${dave.id}/reset-usage`);
    expect([reset.status, reset.body.usedBytes, reset.body.status]).toEqual([200, 0, 'ACTIVE']);
    near(reset.body.lastResetAt, Date.now());
    for (const [path, body] of [['renew', { days: 0 }], ['renew', { days: 3651 }], ['renew', {}], ['top-up', { bytes: 0 }], ['top-up', { bytes: '5' }], ['renew', { days: 1, extra: 1 }]] as const) {
      const res = await as().post<ErrorBody>(`/api/admin/users/${dave.id}/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    }
  });

  it('makes a disabled account DISABLED, and derives the status again when it is enabled', async () => {
    const erin = await registerAndLogin(base);
    expect((await as().patch(`/api/admin/users/${erin.id}`, { disabled: true })).status).toBe(200);
    await waitForStatus(erin.id, 'DISABLED');
    expect((await as().patch(`/api/admin/users/${erin.id}`, { disabled: false })).status).toBe(200);
    await waitForStatus(erin.id, 'ACTIVE');
  });

  it('answers 404 for an unknown user, 403 to a non-admin and 401 without a token', async () => {
    const frank = await registerAndLogin(base);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const res of [await user(unknown), await user('not-a-uuid'), await as().post(`/api/admin/users/${unknown}/renew`, { days: 1 }),
      await as().post(`/api/admin/users/${unknown}/top-up`, { bytes: 1 }), await as().post(`/api/admin/users/${unknown}/reset-usage`)]) {
      expect([res.status, (res.body as ErrorBody).code]).toEqual([404, 'NOT_FOUND']);
    }
    for (const res of [await as(frank.accessToken).get(`/api/admin/users/${frank.id}`), await as(frank.accessToken).post(`/api/admin/users/${frank.id}/renew`, { days: 1 }),
      await as(frank.accessToken).post(`/api/admin/users/${frank.id}/top-up`, { bytes: 1 }), await as(frank.accessToken).post(`/api/admin/users/${frank.id}/reset-usage`)]) {
      expect([res.status, (res.body as ErrorBody).code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await call(base, 'GET', `/api/admin/users/${frank.id}`)).status).toBe(401);
    expect((await call(base, 'POST', `/api/admin/users/${frank.id}/reset-usage`)).status).toBe(401);
  });
});
