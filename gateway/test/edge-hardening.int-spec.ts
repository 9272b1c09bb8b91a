import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import type { ServiceContext } from '@vpn/platform';
import { loadPlatformConfig, type Logger } from '@vpn/runtime';
import { createGatewayApp } from '@vpn/gateway';
import { freePort } from '../../test/support/service-process';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { call, registerAndLogin } from './support/http';

// Issue 14: the HTTP edge against hostile or unusual requests: plain HTTP, forged forwarding headers,
// malformed bodies, the metrics listener, docs switch, compressed static files, JSON 404s.

const ROOT = join(__dirname, '..', '..');
const HASHED = 'assets/index-Cq3xZ9aB.js';
const SCRIPT = `export const greeting = ${JSON.stringify('hello from the dashboard '.repeat(200))};\n`;

/** A dashboard build made by the real build step: frontend/public copied in, then precompressed. */
function makeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'vpn-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), `<!doctype html><html><body><div id="root"></div><script type="module" src="/${HASHED}"></script></body></html>`);
  writeFileSync(join(dist, HASHED), SCRIPT);
  for (const f of readdirSync(join(ROOT, 'frontend', 'public'))) copyFileSync(join(ROOT, 'frontend', 'public', f), join(dist, f));
  const r = spawnSync(process.execPath, [join(ROOT, 'frontend', 'scripts', 'precompress.mjs'), dist], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`precompress failed: ${r.stderr}`);
  return dist;
}

interface LogLine { msg: string; req?: { url?: string; remoteAddress?: string } }

/** A second gateway on the stack's database and bus, with its own settings and a logger we can read. */
async function extraGateway(stack: TestStack, env: Record<string, string>): Promise<{ url: string; lines: LogLine[]; close(): Promise<void> }> {
  const lines: LogLine[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString('utf8')) as LogLine); done(); } });
  const logger = pino({ level: 'info' }, sink) as unknown as Logger;
  const transport = await stack.bus.connect('gateway-extra');
  const parsed = loadPlatformConfig(env);
  const ctx: ServiceContext = {
    name: 'gateway', config: { ...stack.config, trustProxy: parsed.trustProxy, apiDocs: parsed.apiDocs, metricsPort: undefined }, logger,
    dataSource: stack.dataSource, databaseUrl: stack.db.url, transport, bus: stack.bus.endpoints(transport),
    commands: await stack.bus.commandBus('gateway-extra', transport),
  };
  const app: INestApplication = await createGatewayApp(ctx);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, lines, close: () => app.close() };
}

/** A raw request (fetch cannot send some of these headers or bodies), answered as status + parsed body. */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; body: { statusCode?: number; code?: string }; headers: Record<string, unknown> }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* keep text */ }
        resolve({ status: res.statusCode ?? 0, body: parsed as { code?: string }, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('edge hardening (issue 14)', () => {
  let stack: TestStack;
  let base: string;
  let metricsUrl: string;
  let dist: string;
  let untrusted: Awaited<ReturnType<typeof extraGateway>>;
  let trusted: Awaited<ReturnType<typeof extraGateway>>;

  beforeAll(async () => {
    dist = makeDist();
    process.env.FRONTEND_DIST = dist;
    const metricsPort = await freePort();
    stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'gw_edge', env: { METRICS_PORT: String(metricsPort) } });
    base = stack.url;
    metricsUrl = `http://127.0.0.1:${metricsPort}`;
    untrusted = await extraGateway(stack, { API_DOCS: 'false' });
    trusted = await extraGateway(stack, { TRUST_PROXY: 'loopback' });
  }, 60_000);

  afterAll(async () => {
    delete process.env.FRONTEND_DIST;
    await untrusted?.close();
    await trusted?.close();
    await stack?.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  describe('plain HTTP (finding 1)', () => {
    it('sends neither upgrade-insecure-requests nor HSTS over plain HTTP, even when a client claims https', async () => {
      for (const headers of [{}, { 'x-forwarded-proto': 'https' }] as Array<Record<string, string>>) {
        const res = await fetch(`${base}/`, { headers });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
    });

    it('sends both when a trusted proxy says the request came over https', async () => {
      const res = await fetch(`${trusted.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    });
  });

  describe('client address (finding 5)', () => {
    const lineFor = (lines: LogLine[], path: string) => lines.find((l) => l.msg === 'request completed' && l.req?.url === path);

    it('ignores a forged X-Forwarded-For when TRUST_PROXY is unset', async () => {
      await fetch(`${untrusted.url}/api/forged-untrusted`, { headers: { 'x-forwarded-for': '203.0.113.66' } });
      await new Promise((r) => setTimeout(r, 50));
      expect(lineFor(untrusted.lines, '/api/forged-untrusted')?.req?.remoteAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    });

    it('takes the client address from X-Forwarded-For of a trusted proxy (TRUST_PROXY=loopback)', async () => {
      await fetch(`${trusted.url}/api/forged-trusted`, { headers: { 'x-forwarded-for': '203.0.113.66' } });
      await new Promise((r) => setTimeout(r, 50));
      expect(lineFor(trusted.lines, '/api/forged-trusted')?.req?.remoteAddress).toBe('203.0.113.66');
    });
  });

  describe('malformed requests never answer 5xx (finding 7)', () => {
    const json = { 'content-type': 'application/json' };
    const login = JSON.stringify({ email: 'a@example.com', password: 'whatever-password' });
    const nested = (depth: number) => `{"email":${'['.repeat(depth)}${']'.repeat(depth)},"password":"x"}`;
    const cases: Array<[string, string, string, Record<string, string>, Buffer | string, number, string]> = [
      ['oversized body', 'POST', '/api/auth/login', json, JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(200_000) }), 413, 'PAYLOAD_TOO_LARGE'],
      ['unknown charset', 'POST', '/api/auth/login', { 'content-type': 'application/json; charset=koi8-r' }, login, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['unknown content-encoding', 'POST', '/api/auth/login', { ...json, 'content-encoding': 'x-squash' }, login, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['gzip that is not gzip', 'POST', '/api/auth/login', { ...json, 'content-encoding': 'gzip' }, 'not gzip at all', 400, 'VALIDATION_FAILED'],
      ['text/plain on a JSON route', 'POST', '/api/auth/login', { 'content-type': 'text/plain' }, login, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a form on a JSON route', 'POST', '/api/auth/register', { 'content-type': 'application/x-www-form-urlencoded' }, 'email=a%40b.c&password=xxxxxxxxxxxx', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['no content-type with a body', 'POST', '/api/auth/login', {}, login, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['broken JSON', 'POST', '/api/auth/login', json, '{"email":', 400, 'VALIDATION_FAILED'],
      ['deeply nested arrays', 'POST', '/api/auth/register', json, nested(30_000), 400, 'VALIDATION_FAILED'],
      ['deeply nested objects', 'POST', '/api/auth/login', json, `{"email":${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)},"password":"x"}`, 400, 'VALIDATION_FAILED'],
    ];

    it.each(cases.map(([what, method, path, headers, body, status, code]) => ({ what, method, path, headers, body, status, code })))('$what → $status $code', async ({ method, path, headers, body, status, code }) => {
      const res = await raw(base, method, path, headers, body);
      expect([res.status, res.body.code, res.body.statusCode]).toEqual([status, code, status]);
    });

    it('a gzip JSON body still works', async () => {
      const res = await raw(base, 'POST', '/api/auth/login', { ...json, 'content-encoding': 'gzip' }, gzipSync(login));
      expect([res.status, res.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    });

    it.each([
      ['-271821-04-20T00:00:00.000Z', undefined],
      ['-004714-01-01T00:00:00Z', undefined],
      [undefined, '+275760-09-13T00:00:00.000Z'],
      ['2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z'],
    ])('usage from=%s to=%s is 400, not a database error', async (from, to) => {
      const s = await registerAndLogin(base);
      const q = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      const res = await call(base, 'GET', `/api/configs/00000000-0000-4000-8000-000000000001/usage?${q.toString()}`, { token: s.accessToken });
      expect([res.status, (res.body as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  describe('metrics and docs (finding 8)', () => {
    it('does not serve /metrics on the public port', async () => {
      const res = await call(base, 'GET', '/metrics');
      expect([res.status, (res.body as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    });

    it('serves /metrics and /health on METRICS_PORT, with the other services\' shared registry', async () => {
      await fetch(`${base}/api/health`);
      const res = await fetch(`${metricsUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/health"/);
      expect(text).toContain('process_cpu_user_seconds_total');
      const health = await fetch(`${metricsUrl}/health`);
      expect([health.status, ((await health.json()) as { status: string }).status]).toEqual([200, 'ok']);
    });

    it('API_DOCS=false turns off /api/docs and /api/docs-json', async () => {
      for (const path of ['/api/docs', '/api/docs-json']) {
        expect([path, (await fetch(`${untrusted.url}${path}`)).status]).toEqual([path, 404]);
        expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 200]);
      }
    });
  });

  describe('caching of answers that carry secrets (finding 9)', () => {
    it('answers of /api/configs are never stored', async () => {
      const s = await registerAndLogin(base);
      const created = await call(base, 'POST', '/api/configs', { token: s.accessToken, body: { serverId: '00000000-0000-4000-8000-000000000009', name: 'x' } });
      expect(created.headers.get('cache-control')).toBe('no-store');
      const listed = await call(base, 'GET', '/api/configs', { token: s.accessToken });
      expect(listed.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('static files (finding 10)', () => {
    it('serves a hashed asset brotli-compressed when asked, immutable, with the right content', async () => {
      const res = await fetch(`${base}/${HASHED}`, { headers: { 'accept-encoding': 'br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await res.text()).toBe(SCRIPT);
    });

    it('serves gzip to a client without brotli and the plain file to one without either', async () => {
      const gz = await fetch(`${base}/${HASHED}`, { headers: { 'accept-encoding': 'gzip' } });
      expect([gz.headers.get('content-encoding'), await gz.text()]).toEqual(['gzip', SCRIPT]);
      const plain = await raw(base, 'GET', `/${HASHED}`, { 'accept-encoding': 'identity' });
      expect([plain.status, plain.headers['content-encoding'], plain.body]).toEqual([200, undefined, SCRIPT]);
    });

    it('serves index.html (also for client routes) with no-cache', async () => {
      for (const path of ['/', '/devices/abc']) {
        const res = await fetch(`${base}${path}`);
        expect([path, res.status, res.headers.get('cache-control')]).toEqual([path, 200, 'no-cache']);
        expect(await res.text()).toContain('<div id="root">');
      }
    });

    it('has a real /favicon.ico and /robots.txt', async () => {
      const icon = await fetch(`${base}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toMatch(/^image\//);
      expect([...new Uint8Array(await icon.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
      const robots = await fetch(`${base}/robots.txt`);
      expect(robots.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await robots.text()).toMatch(/^User-agent: \*/m);
    });

    it('answers unknown /api paths with a JSON 404', async () => {
      for (const method of ['GET', 'POST']) {
        const res = await call<{ statusCode: number; code: string; message: string }>(base, method, '/api/nope');
        expect([method, res.status, res.headers.get('content-type')]).toEqual([method, 404, expect.stringContaining('application/json')]);
        expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
      }
    });
  });
});
