import { Agent, request } from 'node:http';
import { authService, billingLimitsService, gatewayService } from '../test/support/services';
import { startStack } from '../test/support/stack';

interface BenchRow { name: string; value: number; unit: string; goal?: string; notes?: string }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A keep-alive HTTP call without fetch's overhead, so the number is the gateway's, not the client's. */
function httpCall(agent: Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/**
 * Authenticated GET /api/me through the gateway (local JWT verification + cached token state, then
 * auth.users.get and limits.account in parallel over NATS) and login throughput (argon2id-bound).
 */
export default async function bench(): Promise<BenchRow[]> {
  const stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'bench_auth' });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const base = new URL(stack.url);
    const json = { 'content-type': 'application/json' };
    const at = (path: string) => new URL(path, base);
    const email = 'bench@example.com';
    const password = 'Vivid-Harbor-Lantern-2048';
    await httpCall(agent, at('/api/auth/register'), 'POST', json, JSON.stringify({ email, password }));
    const loginRes = await httpCall(agent, at('/api/auth/login'), 'POST', json, JSON.stringify({ email, password }));
    if (loginRes.status !== 200) throw new Error(`login answered ${loginRes.status}: ${loginRes.text}`);
    const { accessToken } = JSON.parse(loginRes.text) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };

    for (let i = 0; i < 300; i++) await httpCall(agent, at('/api/me'), 'GET', auth);
    const samples: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t = performance.now();
      const r = await httpCall(agent, at('/api/me'), 'GET', auth);
      samples.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`GET /api/me answered ${r.status}`);
    }
    samples.sort((a, b) => a - b);

    const N = 60;
    const emails = Array.from({ length: 4 }, (_, i) => `bench-login-${i}@example.com`);
    for (const e of emails) await httpCall(agent, at('/api/auth/register'), 'POST', json, JSON.stringify({ email: e, password }));
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < N) {
        const i = next++;
        const r = await httpCall(agent, at('/api/auth/login'), 'POST', json, JSON.stringify({ email: emails[i % emails.length], password }));
        if (r.status !== 200) throw new Error(`login answered ${r.status}`);
      }
    }));
    const loginsPerSecond = N / ((performance.now() - t0) / 1000);

    return [
      { name: 'GET /api/me p50 (authenticated, through the gateway)', value: +percentile(samples, 50).toFixed(3), unit: 'ms', goal: '≤ 3 ms',
        notes: 'local ES256 verification (passport-jwt) + cached token state (email, role, version; 10 s), then one limits.account over NATS' },
      { name: 'GET /api/me p99', value: +percentile(samples, 99).toFixed(3), unit: 'ms' },
      { name: 'login throughput (4 concurrent clients)', value: Math.round(loginsPerSecond), unit: 'logins/s',
        notes: 'bounded by argon2id (m=19456 KiB, t=2, p=1): one verification per login, by design; scales with CPU cores of the auth replicas' },
    ];
  } finally {
    agent.destroy();
    await stack.stop();
  }
}
