import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ConfigView, LoginResult, ServerView } from '@vpn/contracts';
import { auditService } from '@vpn/service-audit';
import { provisioningService } from '@vpn/service-provisioning';
import { syncService } from '@vpn/service-sync';
import { startLab } from '../../infra/lab/test/lab-fixture';
import type { Lab, LabClient } from '../../infra/lab/lab';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';

// The dashboard in a real Chromium against the whole control plane (every service, one database,
// NATS) and one real WireGuard lab server: the tunnel made from the downloaded .conf must carry pings.

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const FRONTEND = join(ROOT, 'frontend');
const DIST = join(FRONTEND, 'dist');
const SHOTS = join(FRONTEND, 'e2e', 'screenshots');
const ADMIN = { email: 'admin@example.com', password: 'admin-password-e2e' };
const USER = { email: 'alex@example.com', password: 'correct horse battery' };
const VIEWPORTS = [
  { tag: 'desktop', width: 1280, height: 800 },
  { tag: 'mobile', width: 390, height: 844 },
] as const;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

/** Builds the dashboard when dist is missing or older than its sources. */
function ensureFrontendBuilt(): void {
  const sources = Math.max(
    newestMtime(join(FRONTEND, 'src')),
    newestMtime(join(FRONTEND, 'index.html')),
    newestMtime(join(FRONTEND, 'vite.config.mjs')),
    newestMtime(join(ROOT, 'libs', 'wireguard', 'src')),
    newestMtime(join(ROOT, 'libs', 'contracts', 'src')),
  );
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: FRONTEND, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** The first host of an IPv4 pool: the server's own tunnel address. */
function firstHost(pool: string): string {
  const [ip] = pool.split('/');
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

describe('dashboard (browser end-to-end)', () => {
  let lab: Lab;
  let stopLab: () => Promise<void>;
  let stack: TestStack;
  let browser: Browser;
  let adminCtx: BrowserContext;
  let userCtx: BrowserContext;
  let admin: Page;
  let user: Page;
  let server: ServerView;
  let client: LabClient | null = null;
  let deviceId = '';
  let provisionerPublicKey = '';

  const url = (path: string) => `${stack.url}${path}`;

  async function shoot(page: Page, name: string): Promise<void> {
    const current = page.viewportSize();
    for (const v of VIEWPORTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await page.evaluate(() => {
        window.scrollTo(0, 0);
        return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      });
      await page.screenshot({ path: join(SHOTS, `${name}-${v.width}x${v.height}.png`), fullPage: true });
    }
    // The same page as the system dark theme shows it.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(250); // let colour transitions finish
    await page.screenshot({ path: join(SHOTS, `${name}-${VIEWPORTS[1].width}x${VIEWPORTS[1].height}-dark.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    if (current) await page.setViewportSize(current);
  }

  async function apiLogin(who: { email: string; password: string }): Promise<string> {
    const res = await fetch(url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    expect(res.status).toBe(200);
    return ((await res.json()) as LoginResult).accessToken;
  }

  /** One reconciliation now, through the admin API (POST /api/admin/servers/:id/sync). */
  async function syncNow(): Promise<void> {
    const token = await apiLogin(ADMIN);
    const res = await fetch(url(`/api/admin/servers/${server.id}/sync`), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  }

  async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureFrontendBuilt();
    process.env.FRONTEND_DIST = DIST;
    const l = await startLab(1);
    lab = l.lab;
    stopLab = l.stop;
    provisionerPublicKey = l.publicKey;
    const keyFile = join(lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, l.privateKey, { mode: 0o600 });
    try {
      stack = await startStack({
        services: [authService, billingLimitsService, provisioningService, syncService, auditService, gatewayService],
        label: 'dashboard-e2e',
        env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SSH_PRIVATE_KEY_FILE: keyFile, SYNC_INTERVAL_SECONDS: '3600' },
      });
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    } catch (e) {
      await stack?.stop();
      await stopLab();
      throw e;
    }
    adminCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    userCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    admin = await adminCtx.newPage();
    user = await userCtx.newPage();
  });

  afterAll(async () => {
    await client?.down().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    await stopLab?.();
  });

  it('sends a visitor to the login page and the admin signs in', async () => {
    await admin.goto(url('/'));
    await admin.waitForURL(/\/login/);
    await admin.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot(admin, '01-login');
    await signIn(admin, { email: ADMIN.email, password: 'wrong password' });
    await admin.getByRole('alert').getByText('That email and password do not match an account.').waitFor();
    await signIn(admin, ADMIN);
    await admin.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    expect(await admin.getByTestId('current-user').textContent()).toBe(ADMIN.email);
  });

  it('the admin adds the lab server through the form, with the provisioner key shown to copy', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).click();
    await admin.getByRole('heading', { name: 'No servers yet' }).waitFor();
    await shoot(admin, '10-admin-servers-empty');
    await admin.getByRole('button', { name: 'Add server' }).first().click();
    const key = admin.getByTestId('ssh-public-key');
    await key.waitFor();
    const shownKey = (await key.textContent())?.trim() ?? '';
    expect(shownKey.split(' ').slice(0, 2)).toEqual(provisionerPublicKey.trim().split(' ').slice(0, 2));
    await admin.getByRole('button', { name: 'Copy key' }).waitFor();

    const s = lab.servers[0];
    await admin.getByLabel('Name').fill('Lab 1');
    await admin.getByLabel('Location').fill('Lab rack');
    await admin.getByLabel('SSH host', { exact: true }).fill(s.host);
    await admin.getByLabel('SSH port').fill(String(s.sshPort));
    await admin.getByLabel('SSH user').fill(s.sshUser);
    await admin.getByLabel('Endpoint').fill(s.endpoint);
    await admin.getByLabel('Interface').fill(s.interface);
    await admin.getByLabel('Address pool').fill(s.addressPool);
    await admin.getByLabel('SSH host key').fill(s.hostKey);
    await shoot(admin, '11-admin-add-server');
    await admin.getByRole('button', { name: 'Add server', exact: true }).last().click();

    const row = admin.getByRole('listitem', { name: 'Lab 1' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByText('Reachable').waitFor();
    await shoot(admin, '12-admin-servers');
    const token = await apiLogin(ADMIN);
    const servers = (await (await fetch(url('/api/admin/servers'), { headers: { authorization: `Bearer ${token}` } })).json()) as ServerView[];
    expect(servers.map((x) => [x.name, x.host, x.publicKey])).toEqual([['Lab 1', s.host, s.publicKey]]);
    server = servers[0];
  });

  it('a visitor registers and lands on an empty device list that says what to do', async () => {
    await user.goto(url('/register'));
    await shoot(user, '02-register');
    await user.getByLabel('Email').fill(USER.email);
    await user.getByLabel('Password', { exact: true }).fill(USER.password);
    await user.getByLabel('Confirm password').fill(USER.password);
    await user.getByRole('button', { name: 'Create account' }).click();
    await user.getByRole('heading', { name: 'No devices yet' }).waitFor();
    expect(await user.getByTestId('plan-usage').textContent()).toBe('0 of 3 devices on the Free plan');
    await shoot(user, '03-devices-empty');
  });

  it('adds a device with a key made in the browser: only the public key is sent, the .conf and QR code are shown once', async () => {
    await user.getByRole('link', { name: 'Add device' }).first().click();
    await user.getByRole('heading', { name: 'Add a device' }).waitFor();
    await user.getByRole('radio', { name: /Lab 1/ }).waitFor();
    expect(await user.getByRole('radio', { name: /Lab 1/ }).isChecked()).toBe(true);
    await user.getByLabel('Device name').fill('laptop');
    await shoot(user, '04-add-device');

    const posted = user.waitForRequest((r) => r.url().endsWith('/api/configs') && r.method() === 'POST');
    const answered = user.waitForResponse((r) => r.url().endsWith('/api/configs') && r.request().method() === 'POST');
    await user.getByRole('button', { name: 'Create device' }).click();
    const body = JSON.parse((await posted).postData() ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['name', 'publicKey', 'serverId']);
    expect(body.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const created = (await (await answered).json()) as { config: ConfigView; conf: string };
    expect(created.conf).not.toMatch(/PrivateKey/);
    deviceId = created.config.id;

    await user.getByRole('heading', { name: 'Your new device' }).waitFor();
    await user.getByText('This is the only time the private key is shown.').waitFor();
    const qr = user.getByTestId('conf-qr');
    await qr.waitFor();
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100)).toBe(true);
    await shoot(user, '05-device-created');

    const [download] = await Promise.all([user.waitForEvent('download'), user.getByRole('button', { name: 'Download .conf' }).click()]);
    expect(download.suggestedFilename()).toBe('laptop.conf');
    const path = await download.path();
    const conf = readFileSync(path, 'utf8');
    expect(conf).toMatch(/^\[Interface\]\nPrivateKey = [A-Za-z0-9+/]{43}=\n/);
    expect(conf).toContain(`Address = ${created.config.address}`);
    expect(conf).toContain(`PublicKey = ${server.publicKey}`);
    expect(conf).toContain(`Endpoint = ${lab.servers[0].endpoint}`);

    client = await lab.createClient(conf);
    expect(await client.ping(firstHost(server.addressPool), { count: 3, timeoutSec: 5 })).toBe(true);
  });

  it('shows the device with its handshake and traffic after a sync', async () => {
    await syncNow();
    await user.getByRole('link', { name: 'Done' }).click();
    await user.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await user.reload();
    const row = user.getByRole('link', { name: 'laptop on Lab 1' });
    await row.waitFor();
    await row.getByText('Connected').waitFor();
    expect(await row.getByTestId('handshake').textContent()).toMatch(/^Handshake (just now|\d+ min\. ago)$/);
    expect(await user.getByTestId('plan-usage').textContent()).toBe('1 of 3 devices on the Free plan');
    await shoot(user, '06-devices');

    await row.click();
    await user.getByRole('heading', { name: 'laptop' }).waitFor();
    expect(await user.getByTestId('handshake').textContent()).not.toBe('never');
    await user.getByRole('tab', { name: 'Last 30 days' }).click();
    await user.getByRole('tab', { name: 'Last 24 hours' }).click();
    await shoot(user, '07-device-detail');
  });

  it('the admin sees the peer and gets a report from "Sync now"', async () => {
    await admin.reload();
    const row = admin.getByRole('listitem', { name: 'Lab 1' });
    await row.getByRole('button', { name: 'Sync now' }).click();
    await row.getByTestId('sync-report').waitFor();
    expect(await row.getByTestId('sync-report').textContent()).toMatch(/^Synced in \d+ ms: \d+ added, \d+ removed, \d+ updated, 1 unchanged$/);
    await row.getByTestId('peer-count').filter({ hasText: /^1$/ }).waitFor();
  });

  it('revokes the device after a confirmation; the peer is gone from the server', async () => {
    await user.getByRole('button', { name: 'Revoke' }).click();
    const dialog = user.getByRole('dialog', { name: 'Revoke “laptop”?' });
    await dialog.waitFor();
    await shoot(user, '08-revoke-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await user.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByRole('button', { name: 'Revoke device' }).click();
    await user.getByRole('heading', { name: 'No devices yet' }).waitFor();
    const dump = await lab.execInServer(0, ['wg', 'show', lab.servers[0].interface, 'peers']);
    const publicKey = (await client!.wg(['show', client!.interfaceName, 'public-key'])).trim();
    expect(dump.split('\n')).not.toContain(publicKey);
    await client!.down();
    client = null;
    const res = await fetch(url(`/api/configs/${deviceId}`), { headers: { authorization: `Bearer ${await apiLogin(USER)}` } });
    expect(res.status).toBe(404);
  });

  it('a server under maintenance is shown but cannot be picked', async () => {
    const row = admin.getByRole('listitem', { name: 'Lab 1' });
    await row.getByRole('switch', { name: 'Maintenance for Lab 1', checked: false }).click();
    await row.getByRole('switch', { name: 'Maintenance for Lab 1', checked: true }).waitFor();

    await user.goto(url('/devices/new'));
    const radio = user.getByRole('radio', { name: /Lab 1/ });
    await radio.waitFor();
    expect(await radio.isDisabled()).toBe(true);
    await user.getByText('Under maintenance — not available for new devices').waitFor();
    expect(await user.getByRole('button', { name: 'Create device' }).isDisabled()).toBe(true);
    await shoot(user, '09-add-device-maintenance');

    await row.getByRole('switch', { name: 'Maintenance for Lab 1', checked: true }).click();
    await row.getByRole('switch', { name: 'Maintenance for Lab 1', checked: false }).waitFor();
  });

  it('shows the plan-limit message once the Free plan’s 3 devices are used', async () => {
    const token = await apiLogin(USER);
    for (const name of ['phone', 'tablet', 'desktop']) {
      const res = await fetch(url('/api/configs'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ serverId: server.id, name }),
      });
      expect(res.status).toBe(201);
    }
    await user.goto(url('/'));
    await user.getByRole('link', { name: 'phone on Lab 1' }).waitFor();
    expect(await user.getByTestId('plan-usage').textContent()).toBe('3 of 3 devices on the Free plan');
    await user.getByRole('link', { name: 'Add device' }).click();
    await user.getByTestId('plan-limit').waitFor();
    expect(await user.getByTestId('plan-limit').textContent()).toContain('You are using all 3 devices of the Free plan');
    expect(await user.getByRole('button', { name: 'Create device' }).isDisabled()).toBe(true);
    await shoot(user, '13-plan-limit');

    const refused = await fetch(url('/api/configs'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serverId: server.id, name: 'one-too-many' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('PLAN_LIMIT_REACHED');
  });

  it('a user cannot open admin pages', async () => {
    expect(await user.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).count()).toBe(0);
    for (const path of ['/admin/servers', '/admin/users', '/admin/plans', '/admin/audit']) {
      await user.goto(url(path));
      await user.getByRole('heading', { name: 'Admins only' }).waitFor();
    }
    await shoot(user, '14-forbidden');
    const res = await fetch(url('/api/admin/users'), { headers: { authorization: `Bearer ${await apiLogin(USER)}` } });
    expect(res.status).toBe(403);
  });

  it('the admin sees users, plans and the audit log', async () => {
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const row = admin.getByRole('listitem', { name: USER.email });
    await row.waitFor();
    await row.getByText('3 device(s)').waitFor();
    await admin.waitForFunction((email) => {
      const s = document.querySelector<HTMLSelectElement>(`select[aria-label="Plan of ${email}"]`);
      return s !== null && s.selectedOptions[0]?.textContent === 'Free (3)';
    }, USER.email);
    await shoot(admin, '15-admin-users');

    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans' }).click();
    await admin.getByRole('textbox', { name: 'Plan name' }).first().waitFor();
    const names = await admin.getByRole('textbox', { name: 'Plan name' }).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(names).toEqual(expect.arrayContaining(['Free', 'Pro']));
    await shoot(admin, '16-admin-plans');

    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor();
    await admin.getByRole('list', { name: 'Audit entries' }).or(admin.getByRole('alert')).or(admin.getByText('Nothing recorded yet')).first().waitFor();
    await shoot(admin, '17-admin-audit');
  });

  it('keeps the session across a reload (refresh cookie) and signs out', async () => {
    await admin.reload();
    await admin.getByRole('heading', { name: 'Audit log' }).waitFor();
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByRole('heading', { name: 'Sign in' }).waitFor();
    await admin.goto(url('/admin/servers'));
    await admin.waitForURL(/\/login\?next=%2Fadmin%2Fservers/);
  });
});
