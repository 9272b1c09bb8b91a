import { ConfigError } from '@vpn/runtime';
import { DEFAULT_HEALTH_PORTS, loadServiceConfig } from './process';

const URLS = { DATABASE_URL: 'postgres://u:p@db:5432/vpn', NATS_URL: 'nats://nats:4222' };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => p.variable);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe(loadServiceConfig.name, () => {
  it('gives each service its own /health port, so all of them start on one host', () => {
    const ports = (Object.keys(DEFAULT_HEALTH_PORTS) as Array<keyof typeof DEFAULT_HEALTH_PORTS>)
      .map((name) => loadServiceConfig(URLS, { name, needs: ['bus', 'database'] }).healthPort);
    expect(ports).toEqual([8081, 8082, 8083, 8084, 8085]);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('lets HEALTH_PORT override the service default', () => {
    expect(loadServiceConfig({ ...URLS, HEALTH_PORT: '9100' }, { name: 'sync', needs: ['bus', 'database'] }).healthPort).toBe(9100);
  });

  it('requires DATABASE_URL only of a service that needs a database', () => {
    expect(problemsOf(() => loadServiceConfig({ NATS_URL: URLS.NATS_URL }, { name: 'auth', needs: ['bus', 'database'] }))).toEqual(['DATABASE_URL']);
    expect(loadServiceConfig({ NATS_URL: URLS.NATS_URL }, { name: 'gateway', needs: ['bus'] }).databaseUrl).toBeUndefined();
  });

  it('names malformed and missing variables in one error', () => {
    const env = { DATABASE_URL: URLS.DATABASE_URL, HEALTH_PORT: 'x', SAGA_RECOVERY_STALE_MS: '2s' };
    expect(problemsOf(() => loadServiceConfig(env, { name: 'provisioning', needs: ['bus', 'database'] })))
      .toEqual(['HEALTH_PORT', 'SAGA_RECOVERY_STALE_MS', 'NATS_URL']);
  });

  it('keeps only the saga recovery timings that are set', () => {
    const c = loadServiceConfig({ ...URLS, SAGA_RECOVERY_HEARTBEAT_MS: '200' }, { name: 'provisioning', needs: ['bus', 'database'] });
    expect(c.sagaRecovery).toEqual({ heartbeatMs: 200 });
  });
});
