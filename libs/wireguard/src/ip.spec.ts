import fc from 'fast-check';
import { parseInterfaceName } from './interface-name';
import { hostCidr, parseCidr, parseEndpoint, parseIpAddress, parseNetworkCidr } from './ip';
import { INJECTION_PAYLOADS } from '../../../test/support/injection-payloads';

describe('parseIpAddress', () => {
  it('accepts every IPv4 address and prints it canonically', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => expect(parseIpAddress(ip)).toBe(ip)));
  });

  it('accepts IPv6 in any spelling and prints RFC 5952', () => {
    expect(parseIpAddress('FD00:0:0:0:0:0:0:1')).toBe('fd00::1');
    expect(parseIpAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(parseIpAddress('::')).toBe('::');
    expect(parseIpAddress('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
  });

  it('round trips generated IPv6 addresses', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16)).join(':');
        const canonical = parseIpAddress(full);
        expect(parseIpAddress(canonical)).toBe(canonical);
      }),
    );
  });

  it.each(['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', '1:2:3:4:5:6:7:8:9', '1::2::3', '::ffff:1.2.3.4', 'fe80::1%eth0', ''])(
    'rejects %j',
    (bad) => expect(() => parseIpAddress(bad)).toThrow(/IP address/),
  );

  it.each(INJECTION_PAYLOADS)('rejects an address carrying %j', (payload) => {
    expect(() => parseIpAddress(`10.8.0.2${payload}`)).toThrow();
    expect(() => parseIpAddress(`${payload}10.8.0.2`)).toThrow();
    expect(() => parseIpAddress(`fd00::2${payload}`)).toThrow();
  });
});

describe('parseCidr', () => {
  it('keeps host bits (interface addresses) and normalizes IPv6', () => {
    expect(parseCidr('10.8.0.1/24')).toBe('10.8.0.1/24');
    expect(parseCidr('FD00::0001/64')).toBe('fd00::1/64');
  });

  it.each(['10.8.0.2', '10.8.0.2/33', '10.8.0.2/024', '10.8.0.2/-1', 'fd00::/129', '10.8.0.2/ 32'])('rejects %j', (bad) => {
    expect(() => parseCidr(bad)).toThrow(/CIDR/);
  });

  it.each(INJECTION_PAYLOADS)('rejects a CIDR carrying %j', (payload) => {
    expect(() => parseCidr(`10.8.0.2/32${payload}`)).toThrow();
    expect(() => parseCidr(`10.8.0.2${payload}/32`)).toThrow();
  });

  it('builds host CIDRs of both families', () => {
    expect(hostCidr(parseIpAddress('10.8.0.2'))).toBe('10.8.0.2/32');
    expect(hostCidr(parseIpAddress('fd00::2'))).toBe('fd00::2/128');
  });
});

describe('parseNetworkCidr', () => {
  it('requires zero host bits', () => {
    expect(parseNetworkCidr('10.8.0.0/24')).toBe('10.8.0.0/24');
    expect(() => parseNetworkCidr('10.8.0.1/24')).toThrow(/host bits/);
  });
});

describe('parseEndpoint', () => {
  it('accepts IPv4, bracketed IPv6 and DNS names with a port', () => {
    expect(parseEndpoint('198.51.100.2:51820')).toBe('198.51.100.2:51820');
    expect(parseEndpoint('[FD00::1]:51820')).toBe('[fd00::1]:51820');
    expect(parseEndpoint('VPN.example.com:443')).toBe('vpn.example.com:443');
  });

  it.each(['198.51.100.2', '198.51.100.2:0', '198.51.100.2:65536', 'fd00::1:51820', '-bad.example:1', '1.2.3.999:5'])('rejects %j', (bad) => {
    expect(() => parseEndpoint(bad)).toThrow(/endpoint/);
  });

  it.each(INJECTION_PAYLOADS)('rejects an endpoint carrying %j', (payload) => {
    expect(() => parseEndpoint(`vpn.example.com${payload}:51820`)).toThrow();
    expect(() => parseEndpoint(`198.51.100.2:51820${payload}`)).toThrow();
  });
});

describe('parseInterfaceName', () => {
  it.each(['wg0', 'wg_lab-1.a', 'a=b+c', 'x'.repeat(15)])('accepts %j', (name) => {
    expect(parseInterfaceName(name)).toBe(name);
  });

  it.each(['', 'x'.repeat(16), '.', '..', 'wg/0', 'wg:0'])('rejects %j', (name) => {
    expect(() => parseInterfaceName(name)).toThrow(/interface name/);
  });

  it.each(INJECTION_PAYLOADS)('rejects a name carrying %j', (payload) => {
    expect(() => parseInterfaceName(`wg${payload}`)).toThrow();
  });

  it('accepts exactly the names made of the allowed characters', () => {
    const allowed = fc.constantFrom(...'abcXYZ019_=+.-'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: allowed, minLength: 1, maxLength: 15 }).filter((s) => s !== '.' && s !== '..' && !s.startsWith('-')), (name) => {
        expect(parseInterfaceName(name)).toBe(name);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 15 }).filter((s) => !/^[A-Za-z0-9_=+.-]+$/.test(s)), (name) => {
        expect(() => parseInterfaceName(name)).toThrow();
      }),
    );
  });
});
