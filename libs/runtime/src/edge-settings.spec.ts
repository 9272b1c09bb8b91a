import { ConfigError } from './env';
import { loadPlatformConfig } from './platform-config';

describe('edge settings: TRUST_PROXY, METRICS_PORT, API_DOCS', () => {
  it('trusts no proxy, serves no metrics listener and serves the docs when nothing is set', () => {
    const c = loadPlatformConfig({});
    expect([c.trustProxy, c.metricsPort, c.apiDocs]).toEqual([{ kind: 'none' }, undefined, true]);
  });

  it('reads TRUST_PROXY as a hop count, 0 as none', () => {
    expect(loadPlatformConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ kind: 'hops', hops: 2 });
    expect(loadPlatformConfig({ TRUST_PROXY: '0' }).trustProxy).toEqual({ kind: 'none' });
  });

  it('reads TRUST_PROXY as comma-separated addresses, CIDRs and named ranges', () => {
    expect(loadPlatformConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.0.2.7, fd00::/8' }).trustProxy)
      .toEqual({ kind: 'addresses', addresses: ['loopback', '10.0.0.0/8', '192.0.2.7', 'fd00::/8'] });
  });

  it.each(['true', 'everyone', '10.0.0.0/33', '300.1.1.1', '10.0.0.0/8/1', 'loopback,', '99'])('refuses TRUST_PROXY=%s, naming it', (raw) => {
    let error: unknown;
    try {
      loadPlatformConfig({ TRUST_PROXY: raw });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['TRUST_PROXY']);
  });

  it('reads METRICS_PORT as a port and API_DOCS as a boolean, naming both when bad', () => {
    expect(loadPlatformConfig({ METRICS_PORT: '9464', API_DOCS: 'false' })).toMatchObject({ metricsPort: 9464, apiDocs: false });
    expect(() => loadPlatformConfig({ METRICS_PORT: '0', API_DOCS: 'maybe' })).toThrow(/METRICS_PORT must be a TCP port.*API_DOCS must be true or false/);
  });
});
