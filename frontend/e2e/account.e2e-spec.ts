import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { authenticator } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SmtpSink } from '../../gateway/test/support/smtp-sink';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';

// The account settings in a real Chromium against auth + billing + gateway and a real SMTP server on
// loopback: change the password, enrol TOTP from the QR page, sign in with a code, reset the password
// through the mailed link, sign out everywhere.

jest.setTimeout(120_000);

const FRONTEND = join(__dirname, '..');
const DIST = join(FRONTEND, 'dist');
const SHOTS = join(FRONTEND, 'e2e', 'screenshots');
const PUBLIC_URL = 'http://vpn.example.test';
const USER = { email: 'sam@example.com', password: 'Quiet-River-Stone-27' };
const CHANGED = 'Amber-Falcon-Harbor-63';
const RESET = 'Cedar-Lantern-Meadow-48';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  return s.isDirectory() ? Math.max(0, ...readdirSync(path).map((n) => newestMtime(join(path, n)))) : s.mtimeMs;
}

/** Builds the dashboard when dist is missing or older than its sources. */
function ensureFrontendBuilt(): void {
  const sources = Math.max(newestMtime(join(FRONTEND, 'src')), newestMtime(join(FRONTEND, 'index.html')), newestMtime(join(FRONTEND, 'public')));
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: FRONTEND, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** The TOTP code `steps` time steps from now. */
const totpCode = (secret: string, steps = 0): string => authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

describe('account settings (browser end-to-end)', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let secret = '';
  let recoveryCodes: string[] = [];
  const smtp = new SmtpSink();
  const url = (path: string) => `${stack.url}${path}`;

  async function signIn(who: { email: string; password: string }): Promise<void> {
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function apiStatus(path: string, token: string): Promise<number> {
    return (await fetch(url(path), { headers: { authorization: `Bearer ${token}` } })).status;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureFrontendBuilt();
    process.env.FRONTEND_DIST = DIST;
    const smtpUrl = await smtp.start();
    stack = await startStack({
      services: [authService, billingLimitsService, gatewayService], label: 'account_e2e',
      env: { SMTP_URL: smtpUrl, PUBLIC_URL, RATE_LIMIT_PASSWORD_RESET: '1000' },
    });
    const reg = await fetch(url('/api/auth/register'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(USER) });
    expect(reg.status).toBe(201);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    await smtp.stop();
    delete process.env.FRONTEND_DIST;
  });

  it('changes the password on the account page: this session goes on, another session ends', async () => {
    const other = await fetch(url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(USER) });
    const otherToken = ((await other.json()) as { accessToken: string }).accessToken;
    await page.goto(url('/login'));
    await signIn(USER);
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();

    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not-my-password-1');
    await form.getByLabel('New password', { exact: true }).fill(CHANGED);
    await form.getByLabel('Repeat the new password').fill(CHANGED);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').getByText('The current password is wrong.').waitFor();

    await form.getByLabel('Current password').fill(USER.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Other sessions have been signed out.').waitFor();
    expect(await apiStatus('/api/me', otherToken)).toBe(401);
    // This session still works: the page loads the account again.
    await page.reload();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toBe(USER.email);
  });

  it('enrols TOTP from the QR page, shows ten recovery codes once, and sign-in then asks for a code', async () => {
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    await page.getByTestId('totp-qr').waitFor();
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.screenshot({ path: join(SHOTS, '40-account-totp-enrol.png'), fullPage: true });
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await codes.first().waitFor();
    recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByRole('button', { name: 'Turn off' }).waitFor();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await signIn({ email: USER.email, password: CHANGED });
    const codeField = page.getByLabel('Code from your authenticator app');
    await codeField.waitFor();
    await codeField.fill('000000' === totpCode(secret, 1) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('alert').getByText(/does not match/).waitFor();
    // The enrolment used this step's code; the next step's code is accepted too (±1 step).
    await codeField.fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByTestId('current-user').getByText(USER.email).waitFor();
  });

  it('resets the password through the mailed link; a recovery code completes the sign-in', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(USER.email);
    const since = smtp.received.length;
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText(/a mail with a link to choose a new password is on its way/).waitFor();
    const mail = await smtp.mailTo(USER.email, since);
    const link = new URL(/http:\/\/vpn\.example\.test\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? 'http://missing/');
    expect(link.origin).toBe(PUBLIC_URL);

    await page.goto(url(`${link.pathname}${link.search}`));
    await page.getByLabel('New password').fill(RESET);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password is changed and every session was signed out.').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn({ email: USER.email, password: RESET });
    await page.getByLabel('Code from your authenticator app').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByTestId('current-user').getByText(USER.email).waitFor();
    // Signed in for good: the next page load still has the session.
    await page.reload();
    await page.getByTestId('current-user').getByText(USER.email).waitFor();
  });

  it('signs out everywhere from the account page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(/\/login/);
    const refresh = await page.evaluate(async () => (await fetch('/api/auth/refresh', { method: 'POST' })).status);
    expect(refresh).toBe(401);
  });
});
