import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';

// Issue 14, finding 1: a first deploy opened as http://<server-ip>:3000 showed a white page, because
// the CSP's upgrade-insecure-requests sent every asset to an https that does not exist. Here Chromium
// reaches the gateway by a name that is not localhost (browsers treat localhost as secure anyway).

jest.setTimeout(120_000);

const FRONTEND = join(__dirname, '..');
const DIST = join(FRONTEND, 'dist');
const HOST = 'vpn.test';

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

describe('dashboard over plain HTTP on a non-localhost name', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    ensureFrontendBuilt();
    process.env.FRONTEND_DIST = DIST;
    stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'plain_http' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
        // Chromium's own https-first attempt would only add noise: the page's CSP is what is tested.
        '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    delete process.env.FRONTEND_DIST;
  });

  it('renders the sign-in form, every asset loaded over http', async () => {
    const origin = `http://${HOST}:${new URL(stack.url).port}`;
    const page = await browser.newPage();
    const requested: string[] = [];
    const failed: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    // The app asks /api/auth/refresh on load and gets 401 when signed out: only files count here.
    page.on('response', (r) => { if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) failed.push(`${r.url()} ${r.status()}`); });

    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'visible', timeout: 20_000 });

    expect(failed).toEqual([]);
    expect(requested.filter((u) => !u.startsWith('data:') && !u.startsWith(`${origin}/`))).toEqual([]);
    expect(requested.some((u) => /\/assets\/.+\.js$/.test(u))).toBe(true);
    await page.close();
  });
});
