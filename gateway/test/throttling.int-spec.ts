import { billingLimitsService, createAuthService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { call, registerAndLogin, uniqueEmail } from './support/http';

const ACCOUNT_LIMIT = 5;
const IP_LIMIT = 8;
const WINDOW_SECONDS = 3;

describe('login throttling (short windows)', () => {
  let stack: TestStack;
  let base: string;

  beforeAll(async () => {
    const auth = createAuthService({
      throttle: { accountMaxFailures: ACCOUNT_LIMIT, accountWindowSeconds: WINDOW_SECONDS, ipMaxFailures: IP_LIMIT, ipWindowSeconds: WINDOW_SECONDS },
    });
    stack = await startStack({ services: [auth, billingLimitsService, gatewayService], label: 'gw_throttle' });
    base = stack.url;
  });

  afterAll(async () => {
    await stack.stop();
  });

  const attempt = (email: string, password: string, ip: string) =>
    call(base, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });

  it('per account: after the limit of failures, even the right password answers 429 TOO_MANY_ATTEMPTS, from any address, until the window passes', async () => {
    const s = await registerAndLogin(base);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT; i++) statuses.push((await attempt(s.email, 'wrong-password', `198.51.100.${i + 1}`)).status);
    expect(statuses).toEqual(Array(ACCOUNT_LIMIT).fill(401));
    const blocked = await attempt(s.email, s.password, '203.0.113.77');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS', message: expect.any(String) });
    await new Promise((r) => setTimeout(r, (WINDOW_SECONDS + 0.5) * 1000));
    expect((await attempt(s.email, s.password, '203.0.113.77')).status).toBe(200);
  });

  it('parallel failures cannot overrun the account limit', async () => {
    const s = await registerAndLogin(base);
    const results = await Promise.all(Array.from({ length: ACCOUNT_LIMIT * 3 }, (_, i) => attempt(s.email, 'wrong-password', `198.51.100.${100 + i}`)));
    expect(results.filter((r) => r.status === 401).length).toBe(ACCOUNT_LIMIT);
    expect(results.filter((r) => r.status === 429).length).toBe(ACCOUNT_LIMIT * 2);
  });

  it('per address: failures over many accounts from one address are throttled; other addresses are not', async () => {
    const ip = '192.0.2.50';
    const statuses: number[] = [];
    for (let i = 0; i < IP_LIMIT + 2; i++) statuses.push((await attempt(uniqueEmail('spray'), 'wrong-password', ip)).status);
    expect(statuses.slice(0, IP_LIMIT)).toEqual(Array(IP_LIMIT).fill(401));
    expect(statuses.slice(IP_LIMIT)).toEqual([429, 429]);
    const other = await registerAndLogin(base);
    expect((await attempt(other.email, other.password, '192.0.2.51')).status).toBe(200);
  });

  it('throttled and failed attempts are recorded as auth.login.failed events without the password', async () => {
    const rows = await stack.dataSource.query<Array<{ envelope: { data: { reason: string } } }>>(
      `SELECT envelope FROM messaging.outbox WHERE type = 'auth.login.failed'`);
    const reasons = new Set(rows.map((r) => r.envelope.data.reason));
    expect(reasons).toEqual(new Set(['invalid_credentials', 'throttled']));
    expect(JSON.stringify(rows)).not.toContain('wrong-password');
  });
});
