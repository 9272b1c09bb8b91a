import { authenticator } from 'otplib';
import { authService, billingLimitsService, createAuthService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { SmtpSink } from './support/smtp-sink';
import { call, login, refreshCookie, registerAndLogin, uniqueEmail, type Session } from './support/http';

const PUBLIC_URL = 'https://vpn.example.test';
const NEW_PASSWORD = 'Lantern-Orchard-8842';

/** The TOTP code `steps` time steps from now (±1 step is accepted by the server). */
function totpCode(secret: string, steps = 0): string {
  return authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);
}

/** A 6-digit code that matches none of the steps the server accepts now. */
function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => totpCode(secret, s)));
  for (let n = 0; ; n += 1) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

const status = async (res: Promise<{ status: number }>): Promise<number> => (await res).status;

describe('accounts over HTTP: password change and reset by mail, TOTP, sign out everywhere (API.md §5)', () => {
  let stack: TestStack;
  let base: string;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    stack = await startStack({
      services: [authService, billingLimitsService, gatewayService], label: 'gw_accounts',
      env: { SMTP_URL: smtpUrl, PUBLIC_URL, RATE_LIMIT_PASSWORD_RESET: '1000' },
    });
    base = stack.url;
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp.stop();
  });

  const me = (s: Pick<Session, 'accessToken'>) => call<{ totpEnabled: boolean; role: string }>(base, 'GET', '/api/me', { token: s.accessToken });
  const refresh = (cookie: string) => call(base, 'POST', '/api/auth/refresh', { cookie });

  async function requestReset(email: string): Promise<string> {
    const since = smtp.received.length;
    const res = await call(base, 'POST', '/api/auth/password-reset', { body: { email } });
    expect(res.status).toBe(202);
    const mail = await smtp.mailTo(email, since);
    const link = /https:\/\/vpn\.example\.test\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    return new URL(link as string).searchParams.get('token') as string;
  }

  describe('password change', () => {
    it('answers 204 and ends every other session, while the caller\'s access token and refresh cookie keep working', async () => {
      const caller = await registerAndLogin(base);
      const other = await login(base, caller.email, caller.password);
      expect((await me(other)).status).toBe(200);

      const res = await call(base, 'POST', '/api/me/password', { token: caller.accessToken, body: { currentPassword: caller.password, newPassword: NEW_PASSWORD } });
      expect(res.status).toBe(204);

      expect((await me(caller)).status).toBe(200);
      expect(await status(refresh(caller.cookie))).toBe(200);
      expect((await me(other)).body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
      expect(await status(refresh(other.cookie))).toBe(401);
      expect(await status(call(base, 'POST', '/api/auth/login', { body: { email: caller.email, password: caller.password } }))).toBe(401);
      expect((await login(base, caller.email, NEW_PASSWORD)).id).toBe(caller.id);
    });

    it('answers 400 INVALID_CREDENTIALS for a wrong current password and 400 WEAK_PASSWORD for a weak new one, changing nothing', async () => {
      const s = await registerAndLogin(base);
      const wrong = await call(base, 'POST', '/api/me/password', { token: s.accessToken, body: { currentPassword: 'not-the-password-1', newPassword: NEW_PASSWORD } });
      expect(wrong.body).toEqual({ statusCode: 400, code: 'INVALID_CREDENTIALS', message: expect.any(String) });
      const weak = await call(base, 'POST', '/api/me/password', { token: s.accessToken, body: { currentPassword: s.password, newPassword: 'password1234' } });
      expect(weak.body).toEqual({ statusCode: 400, code: 'WEAK_PASSWORD', message: expect.any(String) });
      const extra = await call(base, 'POST', '/api/me/password', { token: s.accessToken, body: { currentPassword: s.password, newPassword: NEW_PASSWORD, userId: s.id } });
      expect(extra.status).toBe(400);
      expect((await login(base, s.email, s.password)).id).toBe(s.id);
      expect((await me(s)).status).toBe(200);
    });
  });

  describe('password reset by mail', () => {
    it('mails a one-time link under PUBLIC_URL over SMTP (text and HTML); the link sets a new password and ends every session', async () => {
      const first = await registerAndLogin(base);
      const second = await login(base, first.email, first.password);
      // The gateway now holds the user's token state in its short cache.
      expect((await me(first)).status).toBe(200);
      const since = smtp.received.length;
      const token = await requestReset(first.email);
      const mail = await smtp.mailTo(first.email, since);
      expect(mail.subject).toMatch(/reset/i);
      expect(mail.html).toContain(`${PUBLIC_URL}/reset-password?token=${token}`);

      const weak = await call(base, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'password1234' } });
      expect(weak.body).toEqual({ statusCode: 400, code: 'WEAK_PASSWORD', message: expect.any(String) });
      // A refused password does not use up the link.
      expect(await status(call(base, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: NEW_PASSWORD } }))).toBe(204);

      for (const s of [first, second]) {
        expect((await me(s)).status).toBe(401);
        expect(await status(refresh(s.cookie))).toBe(401);
      }
      expect(await status(call(base, 'POST', '/api/auth/login', { body: { email: first.email, password: first.password } }))).toBe(401);
      const fresh = await login(base, first.email, NEW_PASSWORD);
      expect((await me(fresh)).status).toBe(200);
    });

    it('a token newer than the gateway\'s cached state (reset through another gateway replica) is accepted at once', async () => {
      const s = await registerAndLogin(base);
      expect((await me(s)).status).toBe(200);
      const token = await requestReset(s.email);
      // Straight on the bus, as another gateway replica would: this gateway's cache is not told.
      await stack.commands.request('auth.password-reset.confirm', { token, newPassword: NEW_PASSWORD });
      const fresh = await login(base, s.email, NEW_PASSWORD);
      expect((await me(fresh)).status).toBe(200);
    });

    it('a link works once: the second use answers 400 INVALID_TOKEN', async () => {
      const s = await registerAndLogin(base);
      const token = await requestReset(s.email);
      expect(await status(call(base, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: NEW_PASSWORD } }))).toBe(204);
      const again = await call(base, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: 'Another-Harbor-7719' } });
      expect(again.body).toEqual({ statusCode: 400, code: 'INVALID_TOKEN', message: expect.any(String) });
      expect((await login(base, s.email, NEW_PASSWORD)).id).toBe(s.id);
    });

    it('an expired link (older than 30 minutes) and an unknown token answer 400 INVALID_TOKEN', async () => {
      const s = await registerAndLogin(base);
      const token = await requestReset(s.email);
      const [{ minutes }] = await stack.dataSource.query<Array<{ minutes: number }>>(
        `SELECT round(extract(epoch FROM expires_at - created_at) / 60)::int AS minutes FROM auth.password_reset_tokens WHERE user_id = $1`, [s.id]);
      expect(minutes).toBe(30);
      // Time travel: the link's 30 minutes are over.
      await stack.dataSource.query(`UPDATE auth.password_reset_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [s.id]);
      const expired = await call(base, 'POST', '/api/auth/password-reset/confirm', { body: { token, newPassword: NEW_PASSWORD } });
      expect(expired.body).toEqual({ statusCode: 400, code: 'INVALID_TOKEN', message: expect.any(String) });
      const unknown = await call(base, 'POST', '/api/auth/password-reset/confirm', { body: { token: 'A'.repeat(43), newPassword: NEW_PASSWORD } });
      expect(unknown.body).toEqual({ statusCode: 400, code: 'INVALID_TOKEN', message: expect.any(String) });
      expect((await login(base, s.email, s.password)).id).toBe(s.id);
    });

    it('answers 202 for an email without an account too, and sends nothing; only a hash of the token is stored', async () => {
      const nobody = uniqueEmail('nobody');
      const s = await registerAndLogin(base);
      const since = smtp.received.length;
      expect(await status(call(base, 'POST', '/api/auth/password-reset', { body: { email: nobody } }))).toBe(202);
      const token = await requestReset(s.email);
      expect(smtp.received.slice(since).filter((m) => m.to.includes(nobody))).toEqual([]);
      const rows = await stack.dataSource.query<Array<{ token_hash: string }>>(`SELECT token_hash FROM auth.password_reset_tokens WHERE user_id = $1`, [s.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].token_hash).not.toContain(token);
    });
  });

  describe('TOTP', () => {
    async function enrol(s: Session): Promise<{ secret: string; recoveryCodes: string[] }> {
      const started = await call<{ secret: string; otpauthUrl: string }>(base, 'POST', '/api/me/totp', { token: s.accessToken });
      expect(started.status).toBe(200);
      const { secret } = started.body;
      const confirmed = await call<{ recoveryCodes: string[] }>(base, 'POST', '/api/me/totp/confirm', { token: s.accessToken, body: { code: totpCode(secret) } });
      expect(confirmed.status).toBe(200);
      return { secret, recoveryCodes: confirmed.body.recoveryCodes };
    }

    it('enrols with a pending secret and its otpauth URL; a wrong code does not confirm; a right one gives 10 recovery codes', async () => {
      const s = await registerAndLogin(base);
      const started = await call<{ secret: string; otpauthUrl: string }>(base, 'POST', '/api/me/totp', { token: s.accessToken });
      expect(started.status).toBe(200);
      expect(started.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      const url = new URL(started.body.otpauthUrl);
      expect(url.protocol).toBe('otpauth:');
      expect(url.searchParams.get('secret')).toBe(started.body.secret);
      expect(decodeURIComponent(url.pathname)).toContain(s.email);
      expect((await me(s)).body.totpEnabled).toBe(false);
      // Pending: sign-in does not ask for a code yet.
      expect((await login(base, s.email, s.password)).id).toBe(s.id);

      const wrong = await call(base, 'POST', '/api/me/totp/confirm', { token: s.accessToken, body: { code: wrongCode(started.body.secret) } });
      expect(wrong.body).toEqual({ statusCode: 400, code: 'INVALID_TOTP', message: expect.any(String) });
      const ok = await call<{ recoveryCodes: string[] }>(base, 'POST', '/api/me/totp/confirm', { token: s.accessToken, body: { code: totpCode(started.body.secret) } });
      expect(ok.status).toBe(200);
      expect(ok.body.recoveryCodes).toHaveLength(10);
      expect(new Set(ok.body.recoveryCodes).size).toBe(10);
      expect((await me(s)).body.totpEnabled).toBe(true);
      expect(await status(call(base, 'POST', '/api/me/totp', { token: s.accessToken }))).toBe(409);
    });

    it('login: no code → 401 TOTP_REQUIRED, a wrong code → 401 INVALID_TOTP, the right code → 200, the same code again → 401 INVALID_TOTP', async () => {
      const s = await registerAndLogin(base);
      const { secret } = await enrol(s);
      const attempt = (totp?: string) => call(base, 'POST', '/api/auth/login', { body: { email: s.email, password: s.password, ...(totp !== undefined ? { totp } : {}) } });
      expect((await attempt()).body).toEqual({ statusCode: 401, code: 'TOTP_REQUIRED', message: expect.any(String) });
      expect((await attempt(wrongCode(secret))).body).toEqual({ statusCode: 401, code: 'INVALID_TOTP', message: expect.any(String) });
      // The enrolment used this step's code: the next step's code (accepted, ±1 step) signs in.
      const code = totpCode(secret, 1);
      const ok = await attempt(code);
      expect(ok.status).toBe(200);
      expect(refreshCookie(ok)).not.toBeNull();
      expect((await attempt(code)).body).toEqual({ statusCode: 401, code: 'INVALID_TOTP', message: expect.any(String) });
      // A wrong password is still INVALID_CREDENTIALS, whatever the code.
      const badPassword = await call(base, 'POST', '/api/auth/login', { body: { email: s.email, password: 'not-the-password-1', totp: code } });
      expect(badPassword.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: expect.any(String) });
    });

    it('a recovery code signs in once (any case, with or without dashes); used twice it answers 401 INVALID_TOTP', async () => {
      const s = await registerAndLogin(base);
      const { recoveryCodes } = await enrol(s);
      const attempt = (totp: string) => call(base, 'POST', '/api/auth/login', { body: { email: s.email, password: s.password, totp } });
      expect((await attempt(recoveryCodes[0])).status).toBe(200);
      expect((await attempt(recoveryCodes[0])).body).toEqual({ statusCode: 401, code: 'INVALID_TOTP', message: expect.any(String) });
      expect((await attempt(recoveryCodes[1].toUpperCase().replace(/-/g, ''))).status).toBe(200);
      const rows = await stack.dataSource.query<Array<{ code_hash: string }>>(`SELECT code_hash FROM auth.recovery_codes WHERE user_id = $1`, [s.id]);
      expect(rows).toHaveLength(10);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash))).toBe(true);
    });

    it('DELETE /api/me/totp needs a valid code: a wrong one → 400 INVALID_TOTP; then sign-in needs no code again', async () => {
      const s = await registerAndLogin(base);
      const { secret, recoveryCodes } = await enrol(s);
      const wrong = await call(base, 'DELETE', '/api/me/totp', { token: s.accessToken, body: { code: wrongCode(secret) } });
      expect(wrong.body).toEqual({ statusCode: 400, code: 'INVALID_TOTP', message: expect.any(String) });
      expect(await status(call(base, 'DELETE', '/api/me/totp', { token: s.accessToken, body: { code: recoveryCodes[3] } }))).toBe(204);
      expect((await me(s)).body.totpEnabled).toBe(false);
      expect((await login(base, s.email, s.password)).id).toBe(s.id);
      expect(await status(call(base, 'DELETE', '/api/me/totp', { token: s.accessToken, body: { code: recoveryCodes[4] } }))).toBe(409);
    });
  });

  it('sign out everywhere: every session ends, the caller\'s too', async () => {
    const a = await registerAndLogin(base);
    const b = await login(base, a.email, a.password);
    expect(await status(call(base, 'POST', '/api/me/sessions/revoke', { token: a.accessToken }))).toBe(204);
    for (const s of [a, b]) {
      expect((await me(s)).status).toBe(401);
      expect(await status(refresh(s.cookie))).toBe(401);
    }
    expect((await login(base, a.email, a.password)).id).toBe(a.id);
  });

  it('logout ends the session\'s access token too, not only its refresh cookie', async () => {
    const a = await registerAndLogin(base);
    const b = await login(base, a.email, a.password);
    expect(await status(call(base, 'POST', '/api/auth/logout', { cookie: a.cookie }))).toBe(204);
    // The gateway trusts its token-state cache for up to its TTL: wait for a fresh read.
    await new Promise((r) => setTimeout(r, 10_500));
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(200);
  }, 30_000);
});

describe('REQUIRE_ADMIN_TOTP=true: an admin without TOTP signs in as a user until TOTP is on', () => {
  let stack: TestStack;
  let base: string;
  const adminEmail = 'root-admin@example.com';
  const adminPassword = 'Bootstrap-Admin-Pass-91';

  beforeAll(async () => {
    stack = await startStack({
      services: [createAuthService({ requireAdminTotp: true }), billingLimitsService, gatewayService], label: 'gw_admin_totp',
      env: { ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword },
    });
    base = stack.url;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('the bootstrap admin signs in, gets 403 on admin routes, enrols TOTP, and then (signed in with a code) is an admin', async () => {
    const admin = await login(base, adminEmail, adminPassword);
    const before = await call(base, 'GET', '/api/admin/users', { token: admin.accessToken });
    expect(before.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) });
    const profile = await call<{ role: string; adminNeedsTotp: boolean }>(base, 'GET', '/api/me', { token: admin.accessToken });
    expect(profile.body).toMatchObject({ role: 'admin', adminNeedsTotp: true, totpEnabled: false });

    const started = await call<{ secret: string }>(base, 'POST', '/api/me/totp', { token: admin.accessToken });
    expect(started.status).toBe(200);
    const confirmed = await call(base, 'POST', '/api/me/totp/confirm', { token: admin.accessToken, body: { code: totpCode(started.body.secret) } });
    expect(confirmed.status).toBe(200);

    // The session goes on: a refresh gives a token with the admin role.
    const refreshed = await call<{ accessToken: string }>(base, 'POST', '/api/auth/refresh', { cookie: admin.cookie });
    expect(refreshed.status).toBe(200);
    expect((await call(base, 'GET', '/api/admin/users', { token: refreshed.body.accessToken })).status).toBe(200);
    const signedIn = await call<{ accessToken: string }>(base, 'POST', '/api/auth/login', { body: { email: adminEmail, password: adminPassword, totp: totpCode(started.body.secret, 1) } });
    expect(signedIn.status).toBe(200);
    expect((await call(base, 'GET', '/api/admin/users', { token: signedIn.body.accessToken })).status).toBe(200);
    expect((await call(base, 'GET', '/api/me', { token: signedIn.body.accessToken })).body).toMatchObject({ role: 'admin', adminNeedsTotp: false, totpEnabled: true });
  });

  it('users without TOTP are not affected', async () => {
    const s = await registerAndLogin(base);
    expect((await call(base, 'GET', '/api/me', { token: s.accessToken })).body).toMatchObject({ role: 'user', adminNeedsTotp: false });
  });
});
