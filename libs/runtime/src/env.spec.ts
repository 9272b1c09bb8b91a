import { ConfigError } from './env';
import { loadPlatformConfig } from './platform-config';

describe('loadPlatformConfig', () => {
  it('gives the embedded defaults of API.md §2 when nothing is set', () => {
    expect(loadPlatformConfig({})).toEqual({
      port: 3000, dataDir: './.data', databaseUrl: undefined, natsUrl: undefined, sshPrivateKeyFile: undefined,
      adminEmail: 'admin@localhost', adminPassword: undefined, syncIntervalSeconds: 300, jwtPrivateKeyFile: undefined,
      logLevel: 'info', healthPort: 8081, natsStreamReplicas: 1, auditRetentionDays: 365, defaultPlan: 'Free', natsSubjectPrefix: undefined,
      trustProxy: { kind: 'none' }, metricsPort: undefined, apiDocs: true,
      rateLimits: { windowSeconds: 600, register: 60, login: 300, refresh: 300, passwordReset: 10 },
      smtpUrl: undefined, publicUrl: 'http://localhost:3000',
      sagaRecovery: {},
    });
  });

  it('parses set values into their types', () => {
    const c = loadPlatformConfig({
      PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/vpn', NATS_URL: 'nats://a:4222,nats://b:4222',
      SYNC_INTERVAL_SECONDS: '60', LOG_LEVEL: 'debug',
    });
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBe('postgres://u:p@db:5432/vpn');
    expect(c.natsUrl).toBe('nats://a:4222,nats://b:4222');
    expect(c.syncIntervalSeconds).toBe(60);
    expect(c.logLevel).toBe('debug');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadPlatformConfig({ PORT: '70000', SYNC_INTERVAL_SECONDS: 'often', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', NATS_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable);
    expect(problems).toEqual(['PORT', 'DATABASE_URL', 'NATS_URL', 'SYNC_INTERVAL_SECONDS', 'LOG_LEVEL']);
    expect((error as ConfigError).message).toContain('PORT must be a TCP port (1-65535), got "70000"');
    expect((error as ConfigError).message).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
  });

  it('never prints the password of a bad database URL', () => {
    expect(() => loadPlatformConfig({ DATABASE_URL: 'mysql://user:hunter2@db/vpn' })).toThrow(ConfigError);
    try {
      loadPlatformConfig({ DATABASE_URL: 'http//user:hunter2@db' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('rejects a short ADMIN_PASSWORD', () => {
    expect(() => loadPlatformConfig({ ADMIN_PASSWORD: 'short' })).toThrow('ADMIN_PASSWORD must be at least 8 characters');
  });
});
