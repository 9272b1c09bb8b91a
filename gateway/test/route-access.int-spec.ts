import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { call, login, registerAndLogin, type Session } from './support/http';

interface Operation {
  method: string;
  path: string;
  access: string | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the running app, from its own OpenAPI document, with a concrete path. */
async function operations(base: string): Promise<Operation[]> {
  const doc = (await call<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(base, 'GET', '/api/docs-json')).body;
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      out.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, randomUUID()), access: op['x-access'] as string | undefined });
    }
  }
  return out;
}

describe('every route is reachable only with the access it declares', () => {
  let stack: TestStack;
  let base: string;
  let ops: Operation[];
  let user: Session;
  let admin: Session;

  beforeAll(async () => {
    stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'gw_routes' });
    base = stack.url;
    ops = await operations(base);
    user = await registerAndLogin(base);
    admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('the OpenAPI document lists the routes of this issue, each with its declared access', () => {
    const keys = ops.map((o) => `${o.method} ${o.path.replace(/[0-9a-f-]{36}/g, ':id')}`);
    expect(keys).toEqual(expect.arrayContaining([
      'POST /api/auth/register', 'POST /api/auth/login', 'POST /api/auth/refresh', 'POST /api/auth/logout',
      'GET /api/me', 'GET /api/admin/users', 'PATCH /api/admin/users/:id', 'GET /api/health',
    ]));
    for (const op of ops) expect([op.method, op.path, ['public', 'user', 'admin'].includes(op.access ?? '')]).toEqual([op.method, op.path, true]);
  });

  it('the document covers every route Nest registered (besides /metrics and the docs themselves)', () => {
    const app = (stack.running.get('gateway') as unknown as { app: INestApplication }).app;
    const express = app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: unknown; methods: Record<string, boolean> } }> } };
    const registered = express.router.stack
      .filter((l) => l.route && typeof l.route.path === 'string')
      .flatMap((l) => Object.keys(l.route!.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${String(l.route!.path).replace(/:[A-Za-z]+/g, ':x')}`))
      .filter((k) => !/ \/api\/docs/.test(k) && k !== 'GET /metrics');
    const documented = ops.map((o) => `${o.method} ${o.path.replace(/[0-9a-f-]{36}/g, ':x')}`);
    expect(new Set(registered)).toEqual(new Set(documented));
  });

  it('user and admin routes answer 401 UNAUTHORIZED without a token and with a garbage token', async () => {
    for (const op of ops.filter((o) => o.access !== 'public')) {
      for (const token of [undefined, 'not.a.token']) {
        const res = await call(base, op.method, op.path, { token, body: op.method === 'GET' ? undefined : {} });
        expect([op.method, op.path, res.status, (res.body as { code?: string }).code]).toEqual([op.method, op.path, 401, 'UNAUTHORIZED']);
      }
    }
  });

  it('admin routes answer 403 FORBIDDEN to a user', async () => {
    const adminOps = ops.filter((o) => o.access === 'admin');
    expect(adminOps.length).toBeGreaterThan(0);
    for (const op of adminOps) {
      const res = await call(base, op.method, op.path, { token: user.accessToken, body: op.method === 'GET' ? undefined : {} });
      expect([op.method, op.path, res.status, (res.body as { code?: string }).code]).toEqual([op.method, op.path, 403, 'FORBIDDEN']);
    }
  });

  it('every /api/admin/* route is declared admin', () => {
    for (const op of ops.filter((o) => o.path.startsWith('/api/admin/'))) expect([op.path, op.access]).toEqual([op.path, 'admin']);
  });

  it('an admin passes the guard on admin routes (no 401/403)', async () => {
    for (const op of ops.filter((o) => o.access === 'admin')) {
      const res = await call(base, op.method, op.path, { token: admin.accessToken, body: op.method === 'GET' ? undefined : {} });
      expect([op.method, op.path, [401, 403].includes(res.status)]).toEqual([op.method, op.path, false]);
    }
  });

  it('public routes are reachable without a token', async () => {
    for (const op of ops.filter((o) => o.access === 'public')) {
      const res = await call(base, op.method, op.path, { body: op.method === 'GET' ? undefined : {} });
      expect([op.method, op.path, [401, 403].includes(res.status) && (res.body as { code?: string }).code === 'UNAUTHORIZED']).toEqual([op.method, op.path, false]);
    }
  });
});
