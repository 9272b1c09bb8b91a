import { freePort } from '../../test/support/service-process';
import { authService, billingLimitsService, gatewayService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';
import { call, registerAndLogin } from './support/http';

describe('operations: docs, metrics, request ids, security headers', () => {
  let stack: TestStack;
  let base: string;
  let metricsBase: string;

  beforeAll(async () => {
    const metricsPort = await freePort();
    stack = await startStack({ services: [authService, billingLimitsService, gatewayService], label: 'gw_ops', env: { METRICS_PORT: String(metricsPort) } });
    base = stack.url;
    metricsBase = `http://127.0.0.1:${metricsPort}`;
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('serves the OpenAPI document generated from the DTOs and the UI', async () => {
    const doc = await call<{ openapi: string; components: { schemas: Record<string, unknown> } }>(base, 'GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.components.schemas)).toEqual(expect.arrayContaining(['RegisterDto', 'LoginDto', 'MeDto', 'ErrorResponseDto']));
    const ui = await fetch(`${base}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('exposes Prometheus metrics on METRICS_PORT: HTTP latency by route, bus latency, process metrics', async () => {
    const s = await registerAndLogin(base);
    await call(base, 'GET', '/api/me', { token: s.accessToken });
    const res = await fetch(`${metricsBase}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/me"[^}]*method="GET"[^}]*status="200"/);
    expect(text).toMatch(/nats_request_duration_seconds_bucket\{[^}]*subject="auth.login"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await fetch(`${base}/api/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${base}/api/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets helmet security headers', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
