import { readFileSync } from 'node:fs';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { call, login, refreshCookie, registerAndLogin, setCookieHeader, uniqueEmail } from './support/http';

describe('auth over HTTP: register, login, refresh, logout, me', () => {
  let stack: TestStack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'gw_auth' });
    base = stack.url;
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('registers a user: 201 {user} with role user and no secrets', async () => {
    const email = uniqueEmail();
    const res = await call(base, 'POST', '/api/auth/register', { body: { email, password: 'password-123' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ user: { id: expect.any(String), email, role: 'user' } });
  });

  it('answers 409 EMAIL_TAKEN for an address registered before, whatever its case', async () => {
    const email = uniqueEmail('Taken');
    expect((await call(base, 'POST', '/api/auth/register', { body: { email, password: 'password-123' } })).status).toBe(201);
    const again = await call(base, 'POST', '/api/auth/register', { body: { email: email.toUpperCase(), password: 'password-456' } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ statusCode: 409, code: 'EMAIL_TAKEN', message: expect.any(String) });
  });

  it('refuses role in the register body with 400 VALIDATION_FAILED', async () => {
    const res = await call(base, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: 'password-123', role: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
  });

  it.each([
    ['a 9-character password', { password: 'tq8#Vw2!p' }],
    ['a 257-character password', { password: 'Glacier-Harbor-5521-'.repeat(13).slice(0, 257) }],
    ['a common password', { password: 'password1234' }],
    ['a password containing the email', { email: 'glacier@example.com', password: 'my-glacier-secret-77' }],
  ])('refuses %s with 400 WEAK_PASSWORD (API.md §5)', async (_, patch) => {
    const res = await call(base, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), ...patch } });
    expect(res.body).toEqual({ statusCode: 400, code: 'WEAK_PASSWORD', message: expect.any(String) });
  });

  it.each([
    ['a malformed email', { email: 'not-an-email' }],
    ['an email with a bidi control character', { email: 'eve\u202Egro@example.com' }],
    ['a missing password', { password: undefined }],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_, patch) => {
    const res = await call(base, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: 'password-123', ...patch } });
    expect(res.status).toBe(400);
    expect((res.body as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED and unknown routes with 404 NOT_FOUND', async () => {
    const bad = await call(base, 'POST', '/api/auth/login', { rawBody: '{"email": ' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
    const missing = await call(base, 'GET', '/api/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('logs in: 200 {accessToken, expiresIn, user} and an httpOnly SameSite=Strict refresh cookie on /api/auth', async () => {
    const email = uniqueEmail();
    await call(base, 'POST', '/api/auth/register', { body: { email, password: 'password-123' } });
    const res = await call<{ accessToken: string; expiresIn: number; user: unknown }>(base, 'POST', '/api/auth/login', { body: { email, password: 'password-123' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 900, user: { id: expect.any(String), email, role: 'user' } });
    const cookie = setCookieHeader(res) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; Secure when the request is https
  });

  it('answers the same 401 INVALID_CREDENTIALS for an unknown email and a wrong password', async () => {
    const s = await registerAndLogin(base);
    const wrong = await call(base, 'POST', '/api/auth/login', { body: { email: s.email, password: 'wrong-password' } });
    const unknown = await call(base, 'POST', '/api/auth/login', { body: { email: uniqueEmail('nobody'), password: 'wrong-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect((wrong.body as { code: string }).code).toBe('INVALID_CREDENTIALS');
  });

  it('accepts 64+ character and non-ASCII passwords exactly as typed', async () => {
    for (const password of ['a-long-passphrase-of-many-words-' + 'p'.repeat(64), 'Пароль-密码-🔐-ünïcödé', '  spaces around  ']) {
      const s = await registerAndLogin(base, { password });
      expect(s.accessToken).toBeTruthy();
      const trimmed = await call(base, 'POST', '/api/auth/login', { body: { email: s.email, password: password.trim() + (password.trim() === password ? 'x' : '') } });
      expect(trimmed.status).toBe(401);
    }
  });

  it('registers an email in its NFKC form: the compatibility spelling and the plain one are one account', async () => {
    const plain = uniqueEmail('nfkc');
    const fullwidth = [...plain.split('@')[0]].map((ch) => (/[a-z]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch)).join('') + '@example.com';
    const reg = await call(base, 'POST', '/api/auth/register', { body: { email: fullwidth, password: 'Glacier-Harbor-5521' } });
    expect(reg.status).toBe(201);
    expect((reg.body as { user: { email: string } }).user.email).toBe(plain);
    expect((await call(base, 'POST', '/api/auth/login', { body: { email: plain, password: 'Glacier-Harbor-5521' } })).status).toBe(200);
    expect((await call(base, 'POST', '/api/auth/register', { body: { email: plain, password: 'Glacier-Harbor-5521' } })).status).toBe(409);
  });

  it('every auth answer and every signed-in answer carries Cache-Control: no-store, errors included', async () => {
    const email = uniqueEmail('nostore');
    const answers = [
      await call(base, 'POST', '/api/auth/register', { body: { email, password: 'Glacier-Harbor-5521' } }),
      await call(base, 'POST', '/api/auth/register', { body: { email, password: 'short' } }),
    ];
    const login = await call<{ accessToken: string }>(base, 'POST', '/api/auth/login', { body: { email, password: 'Glacier-Harbor-5521' } });
    const cookie = refreshCookie(login) ?? '';
    answers.push(login, await call(base, 'POST', '/api/auth/login', { body: { email, password: 'wrong-password-1' } }));
    const refreshed = await call(base, 'POST', '/api/auth/refresh', { cookie });
    answers.push(refreshed, await call(base, 'GET', '/api/me', { token: login.body.accessToken }), await call(base, 'GET', '/api/me'));
    answers.push(await call(base, 'POST', '/api/auth/logout', { cookie: refreshCookie(refreshed) ?? '' }));
    expect(answers.map((r) => [r.status, r.headers.get('cache-control')])).toEqual([
      [201, 'no-store'], [400, 'no-store'], [200, 'no-store'], [401, 'no-store'], [200, 'no-store'], [200, 'no-store'], [401, 'no-store'], [204, 'no-store'],
    ]);
  });

  it('GET /api/me answers the user with the default plan and devicesUsed', async () => {
    const s = await registerAndLogin(base);
    const res = await call(base, 'GET', '/api/me', { token: s.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: s.id, email: s.email, role: 'user',
      plan: { id: expect.any(String), name: expect.any(String), maxDevices: expect.any(Number), dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false },
      devicesUsed: 0, totpEnabled: false, adminNeedsTotp: false,
      subscription: expect.objectContaining({ status: 'ACTIVE', expiresAt: null, dataLimitBytes: null, usedBytes: 0 }),
    });
  });

  it('refresh rotates the cookie and answers a new access token', async () => {
    const s = await registerAndLogin(base);
    const res = await call<{ accessToken: string; expiresIn: number }>(base, 'POST', '/api/auth/refresh', { cookie: s.cookie });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
    const next = refreshCookie(res);
    expect(next).toBeTruthy();
    expect(next).not.toBe(s.cookie);
    expect((await call(base, 'GET', '/api/me', { token: res.body.accessToken })).status).toBe(200);
    expect((await call(base, 'POST', '/api/auth/refresh', { cookie: next! })).status).toBe(200);
  });

  it('reuse of a rotated refresh token revokes the whole family: 401, and the successor stops working', async () => {
    const s = await registerAndLogin(base);
    const first = await call(base, 'POST', '/api/auth/refresh', { cookie: s.cookie });
    const successor = refreshCookie(first)!;
    const reuse = await call(base, 'POST', '/api/auth/refresh', { cookie: s.cookie });
    expect(reuse.status).toBe(401);
    expect((await call(base, 'POST', '/api/auth/refresh', { cookie: successor })).status).toBe(401);
  });

  it('two parallel refreshes with one token: at most one succeeds', async () => {
    for (let round = 0; round < 3; round++) {
      const s = await registerAndLogin(base);
      const results = await Promise.all([1, 2, 3].map(() => call(base, 'POST', '/api/auth/refresh', { cookie: s.cookie })));
      expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      for (const r of results) expect([200, 401]).toContain(r.status);
    }
  });

  it('refresh without a cookie or with garbage answers 401', async () => {
    expect((await call(base, 'POST', '/api/auth/refresh')).status).toBe(401);
    expect((await call(base, 'POST', '/api/auth/refresh', { cookie: 'refresh_token=garbage' })).status).toBe(401);
  });

  it('logout answers 204 and revokes the family', async () => {
    const s = await registerAndLogin(base);
    const out = await call(base, 'POST', '/api/auth/logout', { cookie: s.cookie });
    expect(out.status).toBe(204);
    expect(setCookieHeader(out)).toMatch(/refresh_token=;/);
    expect((await call(base, 'POST', '/api/auth/refresh', { cookie: s.cookie })).status).toBe(401);
    expect((await call(base, 'POST', '/api/auth/logout')).status).toBe(204);
  });

  it('the bootstrap admin signs in with the generated password and sees admin routes', async () => {
    const password = readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim();
    const admin = await login(base, 'admin@localhost', password);
    const me = await call<{ role: string }>(base, 'GET', '/api/me', { token: admin.accessToken });
    expect(me.body.role).toBe('admin');
    const users = await call<{ items: unknown[] }>(base, 'GET', '/api/admin/users', { token: admin.accessToken });
    expect(users.status).toBe(200);
    expect(users.body.items).toEqual(expect.arrayContaining([
      { id: admin.id, email: 'admin@localhost', role: 'admin', planId: expect.any(String), disabled: false, devicesUsed: 0 },
    ]));
  });
});
