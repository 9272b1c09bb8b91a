import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Dialog as BrowserDialog, type Page } from 'playwright-core';
import type { ConfigView, LoginResult, ServerView } from '@vpn/contracts';
import { provisioningService } from '@vpn/service-provisioning';
import { startLab } from '../../infra/lab/test/lab-fixture';
import type { Lab } from '../../infra/lab/lab';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';

// The one-time screen in a real Chromium against auth + billing + provisioning + gateway and one real
// lab server (a device needs a server that takes its peer): leaving before the key is saved is held by
// the app's dialog and the browser's own prompt; after a download nothing holds; on a phone-sized screen
// the download comes before the QR code.

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const FRONTEND = join(ROOT, 'frontend');
const DIST = join(FRONTEND, 'dist');
const SHOTS = join(FRONTEND, 'e2e', 'screenshots');
const ADMIN = { email: 'admin@example.com', password: 'admin-password-e2e' };
const USER = { email: 'robin@example.com', password: 'Quiet-River-Stone-27' };
const GUARD_TITLE = 'Leave without the private key?';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  return s.isDirectory() ? Math.max(0, ...readdirSync(path).map((n) => newestMtime(join(path, n)))) : s.mtimeMs;
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

describe('one-time screen (browser end-to-end)', () => {
  let lab: Lab;
  let stopLab: (() => Promise<void>) | undefined;
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  // Every browser dialog (alert/confirm/beforeunload) the page raises, dismissed: "stay on the page".
  const browserDialogs: string[] = [];
  const url = (path: string) => `${stack.url}${path}`;

  async function apiLogin(who: { email: string; password: string }): Promise<string> {
    const res = await fetch(url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    expect(res.status).toBe(200);
    return ((await res.json()) as LoginResult).accessToken;
  }

  async function createDevice(name: string): Promise<void> {
    await page.goto(url('/devices/new'));
    await page.getByRole('heading', { name: 'Add a device' }).waitFor();
    await page.getByRole('radio', { name: /Lab 1/ }).waitFor();
    await page.getByLabel('Device name').fill(name);
    await page.getByRole('button', { name: 'Create device' }).click();
    await page.getByRole('heading', { name: 'Your new device' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('conf-qr').waitFor();
  }

  const guard = () => page.getByRole('dialog', { name: GUARD_TITLE });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureFrontendBuilt();
    process.env.FRONTEND_DIST = DIST;
    const l = await startLab(1);
    lab = l.lab;
    stopLab = l.stop;
    const keyFile = join(lab.stateDir, 'provisioner_key');
    writeFileSync(keyFile, l.privateKey, { mode: 0o600 });
    try {
      stack = await startStack({
        services: [authService, billingLimitsService, provisioningService, gatewayService],
        label: 'one_time_screen_e2e',
        env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SSH_PRIVATE_KEY_FILE: keyFile },
      });
      const s = lab.servers[0];
      const added = await fetch(url('/api/admin/servers'), {
        method: 'POST',
        headers: { authorization: `Bearer ${await apiLogin(ADMIN)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Lab 1', host: s.host, sshPort: s.sshPort, sshUser: s.sshUser, sshHostKey: s.hostKey,
          endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool,
        }),
      });
      expect(added.status).toBe(201);
      expect(((await added.json()) as ServerView).publicKey).toBe(s.publicKey);
      const reg = await fetch(url('/api/auth/register'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(USER) });
      expect(reg.status).toBe(201);
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
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
    page.on('dialog', (d: BrowserDialog) => {
      browserDialogs.push(d.type());
      void d.dismiss();
    });
    await page.goto(url('/login'));
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password', { exact: true }).fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    await stopLab?.();
    delete process.env.FRONTEND_DIST;
  });

  it('puts the QR code beside the download at 1280 px and the download above the QR code at 390 px', async () => {
    await createDevice('laptop');
    const download = page.getByRole('button', { name: 'Download .conf' });
    const qr = page.getByTestId('conf-qr');
    const wide = { button: await download.boundingBox(), qr: await qr.boundingBox() };
    expect(wide.button && wide.qr).toBeTruthy();
    // Desktop: QR on the left, the download to its right, both in the same band.
    expect(wide.button!.x).toBeGreaterThanOrEqual(wide.qr!.x + wide.qr!.width);
    expect(wide.button!.y).toBeLessThan(wide.qr!.y + wide.qr!.height);
    await page.screenshot({ path: join(SHOTS, '50-one-time-screen-1280x800.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const narrow = { button: await download.boundingBox(), qr: await qr.boundingBox() };
    expect(narrow.button!.y + narrow.button!.height).toBeLessThanOrEqual(narrow.qr!.y);
    // Within the phone's first screen, so it is seen without scrolling past the QR code.
    expect(narrow.button!.y + narrow.button!.height).toBeLessThanOrEqual(844);
    await page.screenshot({ path: join(SHOTS, '50-one-time-screen-390x844.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('holds a route change until the person stays, and the browser prompts on closing the tab', async () => {
    await page.getByRole('link', { name: 'Done' }).click();
    await guard().waitFor();
    await page.screenshot({ path: join(SHOTS, '51-one-time-screen-guard-1280x800.png') });
    await guard().getByRole('button', { name: 'Stay' }).click();
    await guard().waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/devices/new');
    await page.getByRole('heading', { name: 'Your new device' }).waitFor();
    expect(await page.getByTestId('conf-qr').isVisible()).toBe(true);

    // The main navigation is held the same way.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await guard().waitFor();
    await page.keyboard.press('Escape');
    await guard().waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/devices/new');

    // Closing the tab: the browser's own prompt; dismissing it keeps the page and its key.
    const before = browserDialogs.length;
    const prompted = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    expect((await prompted).type()).toBe('beforeunload');
    expect(browserDialogs.slice(before)).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    await page.getByRole('heading', { name: 'Your new device' }).waitFor();
  });

  it('after the download, leaving asks nothing', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .conf' }).click()]);
    expect(download.suggestedFilename()).toBe('laptop.conf');
    expect(readFileSync(await download.path(), 'utf8')).toMatch(/^\[Interface\]\nPrivateKey = [A-Za-z0-9+/]{43}=\n/);
    await page.getByText('Saved as laptop.conf').waitFor();

    const before = browserDialogs.length;
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await page.getByRole('link', { name: 'laptop on Lab 1' }).waitFor();
    expect(await guard().count()).toBe(0);
    expect(browserDialogs.slice(before)).toEqual([]);
  });

  it('after the download, a reload leaves without the browser prompt', async () => {
    await createDevice('tablet');
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .conf' }).click()]);
    const before = browserDialogs.length;
    await page.reload();
    await page.getByRole('heading', { name: 'Add a device' }).waitFor();
    expect(browserDialogs.slice(before)).toEqual([]);
  });

  it('"Leave without saving" leaves at once, and the device stays listed for a re-key', async () => {
    await createDevice('phone');
    await page.getByRole('link', { name: 'Done' }).click();
    await guard().getByRole('button', { name: 'Leave without saving' }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
    await page.getByRole('link', { name: 'phone on Lab 1' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('"I scanned the QR code" lets the person leave without a download', async () => {
    // The Free plan's 3 devices are used: revoke one to make room.
    const token = await apiLogin(USER);
    const configs = (await (await fetch(url('/api/configs'), { headers: { authorization: `Bearer ${token}` } })).json()) as ConfigView[];
    const phone = configs.find((c) => c.name === 'phone');
    expect(phone).toBeDefined();
    expect((await fetch(url(`/api/configs/${phone!.id}`), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);

    await createDevice('watch');
    await page.getByRole('button', { name: 'I scanned the QR code' }).click();
    await page.getByRole('button', { name: 'I scanned the QR code' }).waitFor({ state: 'hidden' });
    const before = browserDialogs.length;
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'watch on Lab 1' }).waitFor();
    expect(await guard().count()).toBe(0);
    expect(browserDialogs.slice(before)).toEqual([]);
  });
});
