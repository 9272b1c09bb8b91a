import { readFileSync, statSync } from 'node:fs';
import { parseOptions } from '@node-rs/argon2';
import { DomainError } from '@vpn/contracts';
import { authService, adminPasswordPath, generatedKeyPath } from '../src';
import { startStack, type TestStack } from '../../../test/support/stack';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

describe('auth service commands', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ services: [authService], label: 'auth_cmd' });
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('bootstraps the admin with a generated password in DATA_DIR/admin-password (0600)', async () => {
    const file = adminPasswordPath(stack.dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    const res = await stack.commands.request('auth.login', { email: 'admin@localhost', password, ip: '127.0.0.1' });
    expect(res.user.role).toBe('admin');
  });

  it('generates the signing key once into DATA_DIR/jwt with mode 0600', () => {
    expect(statSync(generatedKeyPath(stack.dataDir)).mode & 0o777).toBe(0o600);
  });

  it('stores an argon2id hash with m ≥ 19456, t ≥ 2, p ≥ 1', async () => {
    const { user } = await stack.commands.request('auth.register', { email: 'hash@example.com', password: 'correct horse battery' });
    const [row] = await stack.dataSource.query<Array<{ password_hash: string }>>('SELECT password_hash FROM auth.users WHERE id = $1', [user.id]);
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    const opts = parseOptions(row.password_hash);
    expect(opts.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(opts.timeCost).toBeGreaterThanOrEqual(2);
    expect(opts.parallelism).toBeGreaterThanOrEqual(1);
  });

  it('treats emails as unique regardless of case', async () => {
    await stack.commands.request('auth.register', { email: 'Case@Example.com', password: 'Glacier-Harbor-5521' });
    expect(await codeOf(stack.commands.request('auth.register', { email: 'case@example.COM', password: 'Harbor-Glacier-1255' }))).toBe('EMAIL_TAKEN');
  });

  it('auth.register refuses weak passwords with WEAK_PASSWORD and bidi emails with VALIDATION_FAILED', async () => {
    expect(await codeOf(stack.commands.request('auth.register', { email: 'weak@example.com', password: 'password1234' }))).toBe('WEAK_PASSWORD');
    expect(await codeOf(stack.commands.request('auth.register', { email: 'weak@example.com', password: 'weak@example.com' }))).toBe('WEAK_PASSWORD');
    expect(await codeOf(stack.commands.request('auth.register', { email: 'a\u2066b@example.com', password: 'Glacier-Harbor-5521' }))).toBe('VALIDATION_FAILED');
  });

  it('auth.throttle.hit counts a fixed window per key, blocks past the limit without counting, then starts over', async () => {
    const hit = () => stack.commands.request('auth.throttle.hit', { key: 'test-key', ttlMs: 600, limit: 2, blockDurationMs: 1_000 });
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit()).toEqual(expect.objectContaining({ totalHits: 2, isBlocked: false }));
    expect(await hit()).toEqual(expect.objectContaining({ totalHits: 3, isBlocked: true, timeToBlockExpire: 1 }));
    expect(await hit()).toEqual(expect.objectContaining({ totalHits: 3, isBlocked: true }));
    expect((await stack.commands.request('auth.throttle.hit', { key: 'other-key', ttlMs: 600, limit: 2, blockDurationMs: 1_000 })).totalHits).toBe(1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
    expect(await codeOf(stack.commands.request('auth.throttle.hit', { key: '', ttlMs: 600, limit: 2, blockDurationMs: 0 }))).toBe('VALIDATION_FAILED');
  });

  it('refuses to demote the last admin', async () => {
    const users = await stack.commands.request('auth.users.list', { limit: 200 });
    const admin = users.items.find((u) => u.role === 'admin');
    expect(admin).toBeDefined();
    expect(await codeOf(stack.commands.request('auth.users.update', { actorId: admin!.id, userId: admin!.id, role: 'user' }))).toBe('LAST_ADMIN');
    expect(await codeOf(stack.commands.request('auth.users.update', { actorId: admin!.id, userId: admin!.id, disabled: true }))).toBe('LAST_ADMIN');
  });

  it('writes user.registered and auth.login.failed to the outbox without the password', async () => {
    await codeOf(stack.commands.request('auth.login', { email: 'hash@example.com', password: 'wrong password!', ip: '10.1.1.1' }));
    const rows = await stack.dataSource.query<Array<{ type: string; envelope: unknown }>>(
      `SELECT type, envelope FROM messaging.outbox WHERE type IN ('user.registered', 'auth.login.failed')`);
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['user.registered', 'auth.login.failed']));
    expect(JSON.stringify(rows)).not.toContain('wrong password!');
    expect(JSON.stringify(rows)).not.toContain('correct horse battery');
  });
});
