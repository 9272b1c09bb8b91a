import { parseHostKeyPinText, parseServerSpec } from './server-input';

const valid = {
  name: 'Frankfurt 1', host: '192.0.2.10', endpoint: 'vpn.example.com:51820', addressPool: '10.8.0.0/24',
};

const INJECTIONS = ['a;reboot', '$(id)', '`id`', 'a\nb', 'a\0b', 'a b', 'ä\u202e', "x' OR 1=1"];

describe(parseServerSpec.name, () => {
  it('fills the defaults of API.md: port 22, user root, interface wg0, no DNS', () => {
    const s = parseServerSpec(valid);
    expect(s).toMatchObject({ name: 'Frankfurt 1', location: '', host: '192.0.2.10', sshPort: 22, sshUser: 'root', interface: 'wg0', dns: [], sshHostKey: null });
    expect(s.addressPool.serverAddress).toBe('10.8.0.1');
  });

  it('accepts DNS names as hosts, lower-cased', () => {
    expect(parseServerSpec({ ...valid, host: 'WG1.Example.NET' }).host).toBe('wg1.example.net');
  });

  it.each(INJECTIONS)('rejects %p in host, interface, endpoint, pool, DNS and user', (bad) => {
    for (const field of ['host', 'interface', 'endpoint', 'addressPool', 'sshUser']) {
      expect(() => parseServerSpec({ ...valid, [field]: bad })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    expect(() => parseServerSpec({ ...valid, dns: [bad] })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('rejects a host key with a newline (no smuggled known_hosts lines)', () => {
    expect(() => parseServerSpec({ ...valid, sshHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\nevil' }))
      .toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('rejects out-of-range ports and pools without room for clients', () => {
    expect(() => parseServerSpec({ ...valid, sshPort: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => parseServerSpec({ ...valid, addressPool: '10.8.0.0/31' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => parseServerSpec({ ...valid, addressPool: '10.8.0.5/24' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  describe('host: one spelling per address', () => {
    it.each([
      ['::ffff:192.0.2.10', '192.0.2.10'],
      ['::FFFF:c000:20a', '192.0.2.10'],
      ['2001:DB8:0:0::0:1', '2001:db8::1'],
      ['0:0::1', '::1'],
      ['192.0.2.10', '192.0.2.10'],
    ])('writes the IP %p as %p', (host, canonical) => {
      expect(parseServerSpec({ ...valid, host }).host).toBe(canonical);
    });

    it.each(['127.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.000.0.1', '192.0.2.010', '1.2.3', 'vpn.example.123', 'vpn.0x1f', '0x7f.1'])(
      'refuses the numeric-looking %p that is not a canonical IP', (host) => {
        expect(() => parseServerSpec({ ...valid, host })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
      });

    it.each(['fe80::1%eth0', '[::1]', '::1/128', 'localhost.', '-vpn.example.com'])('refuses %p', (host) => {
      expect(() => parseServerSpec({ ...valid, host })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    });

    it('keeps DNS names, lower-cased, including ones with digits', () => {
      expect(parseServerSpec({ ...valid, host: 'LocalHost' }).host).toBe('localhost');
      expect(parseServerSpec({ ...valid, host: 'wg1.0x.example' }).host).toBe('wg1.0x.example');
    });
  });

  it('refuses an interface name that starts with a dash', () => {
    expect(() => parseServerSpec({ ...valid, interface: '-wg0' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe(parseHostKeyPinText.name, () => {
  const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

  it('keeps a key line as type and key, without its comment', () => {
    expect(parseHostKeyPinText(`  ${line} root@old-host `)).toBe(line);
  });

  it('keeps a SHA256 fingerprint', () => {
    expect(parseHostKeyPinText('SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s')).toBe('SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s');
  });

  it.each([`${line}\nevil`, '', 'not a key', 42, null])('refuses %p', (bad) => {
    expect(() => parseHostKeyPinText(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
