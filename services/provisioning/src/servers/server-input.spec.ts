import { parseServerSpec } from './server-input';

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
});
