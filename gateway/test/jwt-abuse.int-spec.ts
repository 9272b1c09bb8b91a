import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { authService, billingLimitsService, gatewayService, generatedKeyPath } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { call, login, registerAndLogin, type Session } from './support/http';

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('access tokens: forged, stale and misused tokens are refused', () => {
  let stack: TestStack;
  let base: string;
  let user: Session;
  let kid: string;
  let claims: Record<string, unknown>;

  const realKey = (): KeyObject => createPrivateKey(readFileSync(generatedKeyPath(stack.dataDir), 'utf8'));

  /** ES256 (JWS form: r‖s, not DER) with the given key, the real one by default: only the claims are wrong. */
  function signed(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key: KeyObject = realKey()): string {
    const input = `${b64({ alg: 'ES256', kid, typ: 'at+jwt', ...header })}.${b64(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  }

  beforeAll(async () => {
    stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'gw_jwt' });
    base = stack.url;
    user = await registerAndLogin(base);
    const [h, p] = user.accessToken.split('.');
    kid = (JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string }).kid;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('a genuine token works and carries iss, aud, typ, sub, role', async () => {
    expect(claims).toEqual(expect.objectContaining({ iss: expect.any(String), aud: expect.any(String), typ: 'access', sub: user.id, role: 'user' }));
    expect((await call(base, 'GET', '/api/me', { token: user.accessToken })).status).toBe(200);
    expect((await call(base, 'GET', '/api/me', { token: signed(claims) })).status).toBe(200);
  });

  it('refuses alg: none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.`;
    const res = await call(base, 'GET', '/api/me', { token });
    expect(res.status).toBe(401);
    expect((res.body as { code: string }).code).toBe('UNAUTHORIZED');
    expect((await call(base, 'GET', '/api/me', { token: token.slice(0, -1) })).status).toBe(401);
  });

  it('refuses HS256 signed with the public key', async () => {
    const pub = createPublicKey(realKey());
    for (const secret of [pub.export({ type: 'spki', format: 'pem' }).toString(), JSON.stringify(pub.export({ format: 'jwk' }))]) {
      const input = `${b64({ alg: 'HS256', kid, typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect((await call(base, 'GET', '/api/me', { token })).status).toBe(401);
    }
  });

  it('refuses an expired token, one without exp, and one issued or valid only in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { exp: _exp, ...noExp } = claims;
    for (const token of [
      signed({ ...claims, iat: now - 1000, exp: now - 60 }),
      signed(noExp),
      signed({ ...claims, iat: now + 600, exp: now + 1200 }),
      signed({ ...claims, nbf: now + 600 }),
    ]) {
      const res = await call(base, 'GET', '/api/me', { token });
      expect([res.status, res.body]).toEqual([401, { statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) }]);
    }
  });

  it('refuses the right claims signed with another P-256 key (same kid), a DER-encoded signature and other ECDSA/RSA algorithms', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect((await call(base, 'GET', '/api/me', { token: signed(claims, {}, other) })).status).toBe(401);
    const input = `${b64({ alg: 'ES256', kid, typ: 'at+jwt' })}.${b64(claims)}`;
    const der = `${input}.${sign('sha256', Buffer.from(input), realKey()).toString('base64url')}`;
    expect((await call(base, 'GET', '/api/me', { token: der })).status).toBe(401);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    const es384In = `${b64({ alg: 'ES384', kid, typ: 'at+jwt' })}.${b64(claims)}`;
    const es384 = `${es384In}.${sign('sha384', Buffer.from(es384In), { key: p384, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    expect((await call(base, 'GET', '/api/me', { token: es384 })).status).toBe(401);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const rsIn = `${b64({ alg: 'RS256', kid, typ: 'at+jwt' })}.${b64(claims)}`;
    expect((await call(base, 'GET', '/api/me', { token: `${rsIn}.${sign('sha256', Buffer.from(rsIn), rsa).toString('base64url')}` })).status).toBe(401);
  });

  it('refuses a header with crit, and an EdDSA token (the algorithm of earlier versions)', async () => {
    expect((await call(base, 'GET', '/api/me', { token: signed(claims, { crit: ['exp'] }) })).status).toBe(401);
    const ed = generateKeyPairSync('ed25519').privateKey;
    const edIn = `${b64({ alg: 'EdDSA', kid, typ: 'at+jwt' })}.${b64(claims)}`;
    expect((await call(base, 'GET', '/api/me', { token: `${edIn}.${sign(null, Buffer.from(edIn), ed).toString('base64url')}` })).status).toBe(401);
  });

  it('publishes one ES256 P-256 key over the bus, whose kid the tokens carry', async () => {
    const reply = await stack.commands.request('auth.verification-keys', {});
    expect(reply.keys).toEqual([{ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid, alg: 'ES256', use: 'sig' }]);
    expect(JSON.parse(Buffer.from(user.accessToken.split('.')[0], 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'at+jwt', kid });
  });

  it('refuses a wrong audience or issuer', async () => {
    expect((await call(base, 'GET', '/api/me', { token: signed({ ...claims, aud: 'someone-else' }) })).status).toBe(401);
    expect((await call(base, 'GET', '/api/me', { token: signed({ ...claims, iss: 'https://evil.example' }) })).status).toBe(401);
  });

  it('refuses a token of another type, a tampered payload and an unknown key id', async () => {
    expect((await call(base, 'GET', '/api/me', { token: signed({ ...claims, typ: 'refresh' }) })).status).toBe(401);
    const [h, , s] = user.accessToken.split('.');
    expect((await call(base, 'GET', '/api/me', { token: `${h}.${b64({ ...claims, role: 'admin' })}.${s}` })).status).toBe(401);
    expect((await call(base, 'GET', '/api/me', { token: signed(claims, { kid: 'unknown-kid' }) })).status).toBe(401);
  });

  it('refuses a refresh token sent as an access token', async () => {
    const refresh = decodeURIComponent(user.cookie.split('=')[1]);
    expect(refresh.length).toBeGreaterThan(20);
    expect((await call(base, 'GET', '/api/me', { token: refresh })).status).toBe(401);
  });

  it('a disabled user: access token stops working within the cache window and login is refused', async () => {
    const victim = await registerAndLogin(base);
    const admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    expect((await call(base, 'GET', '/api/me', { token: victim.accessToken })).status).toBe(200);
    const patch = await call(base, 'PATCH', `/api/admin/users/${victim.id}`, { token: admin.accessToken, body: { disabled: true } });
    expect(patch.status).toBe(200);
    expect(patch.body).toEqual(expect.objectContaining({ id: victim.id, disabled: true }));
    const deadline = Date.now() + 30_000;
    let status = 200;
    while (Date.now() < deadline) {
      status = (await call(base, 'GET', '/api/me', { token: victim.accessToken })).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(401);
    expect((await call(base, 'POST', '/api/auth/login', { body: { email: victim.email, password: victim.password } })).status).toBe(401);
    expect((await call(base, 'POST', '/api/auth/refresh', { cookie: victim.cookie })).status).toBe(401);
  });

  it('a role change makes older tokens stale; the last admin cannot be demoted (409 LAST_ADMIN)', async () => {
    const admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    const self = await call(base, 'PATCH', `/api/admin/users/${admin.id}`, { token: admin.accessToken, body: { role: 'user' } });
    expect(self.status).toBe(409);
    expect((self.body as { code: string }).code).toBe('LAST_ADMIN');
    const promoted = await registerAndLogin(base);
    const res = await call(base, 'PATCH', `/api/admin/users/${promoted.id}`, { token: admin.accessToken, body: { role: 'admin' } });
    expect(res.status).toBe(200);
    const fresh = await login(base, promoted.email, promoted.password);
    expect((await call(base, 'GET', '/api/admin/users', { token: fresh.accessToken })).status).toBe(200);
  });

  it('PATCH /api/admin/users/:id answers 404 NOT_FOUND for an unknown user and 400 for unknown fields', async () => {
    const admin = await login(base, 'admin@localhost', readFileSync(`${stack.dataDir}/admin-password`, 'utf8').trim());
    const unknown = await call(base, 'PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', { token: admin.accessToken, body: { disabled: true } });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { code: string }).code).toBe('NOT_FOUND');
    const extra = await call(base, 'PATCH', `/api/admin/users/${admin.id}`, { token: admin.accessToken, body: { email: 'x@y.z' } });
    expect(extra.status).toBe(400);
  });
});
