import fc from 'fast-check';
import { DumpParser, parseDump, renderDump, type WgDump, type WgDumpPeer } from './dump';
import { formatIp, parseCidr, parseEndpoint, type IpCidr } from './ip';
import { WgPrivateKey, publicKeyFromBytes } from './keys';

const publicKeyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(publicKeyFromBytes);
const cidrArb = fc.oneof(
  fc.tuple(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.integer({ min: 0, max: 32 })).map(([v, p]) => parseCidr(`${formatIp(4, v)}/${p}`)),
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 })).map(([v, p]) => parseCidr(`${formatIp(6, v)}/${p}`)),
);
const endpointArb = fc.oneof(
  fc.constant(null),
  fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(([ip, port]) => parseEndpoint(`${ip}:${port}`)),
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 1, max: 65535 })).map(([v, port]) => parseEndpoint(`[${formatIp(6, v)}]:${port}`)),
);
const peerArb: fc.Arbitrary<WgDumpPeer> = fc.record({
  publicKey: publicKeyArb,
  hasPresharedKey: fc.boolean(),
  endpoint: endpointArb,
  allowedIps: fc.array(cidrArb, { maxLength: 4 }) as fc.Arbitrary<IpCidr[]>,
  latestHandshake: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 4_000_000_000 }).map((s) => new Date(s * 1000))),
  rxBytes: fc.maxSafeNat(),
  txBytes: fc.maxSafeNat(),
  persistentKeepalive: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 65535 })),
});
const dumpArb: fc.Arbitrary<WgDump> = fc.record({
  interface: fc.record({
    publicKey: fc.oneof(fc.constant(null), publicKeyArb),
    listenPort: fc.integer({ min: 0, max: 65535 }),
    fwmark: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 0xffffffff })),
  }),
  peers: fc.array(peerArb, { maxLength: 20 }),
});

const realLooking = [
  'QLqcGoPPMuHhBXRxEKxzIJvPlVpDGOawHgLCS9/dOXs=\tx6F6Ne5p5wbDDc9G9f37zzFPwUX4E87mnntbYsjBGUE=\t51820\toff',
  'fE/wdxzl0klVp/IR8UcaoGUMjqaWi3jAd7KzHKFS6Ds=\t(none)\t198.51.100.6:43012\t10.8.0.2/32\t1718000000\t1234\t5678\toff',
  'jR1Vx9oVmZhlC2HY4vJlPVp6uUZ7kYtY4J3dxhbcMHg=\t(none)\t(none)\t10.8.0.3/32,fd00::3/128\t0\t0\t0\t25',
  '',
].join('\n');

describe('parseDump', () => {
  it('parses the interface line and every peer line', () => {
    const dump = parseDump(realLooking);
    expect(dump.interface).toEqual({ publicKey: 'x6F6Ne5p5wbDDc9G9f37zzFPwUX4E87mnntbYsjBGUE=', listenPort: 51820, fwmark: null });
    expect(dump.peers).toEqual([
      {
        publicKey: 'fE/wdxzl0klVp/IR8UcaoGUMjqaWi3jAd7KzHKFS6Ds=',
        hasPresharedKey: false,
        endpoint: '198.51.100.6:43012',
        allowedIps: ['10.8.0.2/32'],
        latestHandshake: new Date(1718000000 * 1000),
        rxBytes: 1234,
        txBytes: 5678,
        persistentKeepalive: null,
      },
      {
        publicKey: 'jR1Vx9oVmZhlC2HY4vJlPVp6uUZ7kYtY4J3dxhbcMHg=',
        hasPresharedKey: false,
        endpoint: null,
        allowedIps: ['10.8.0.3/32', 'fd00::3/128'],
        latestHandshake: null,
        rxBytes: 0,
        txBytes: 0,
        persistentKeepalive: 25,
      },
    ]);
  });

  it('drops the interface private key at parse time', () => {
    const dump = parseDump(realLooking);
    expect(JSON.stringify(dump)).not.toContain('QLqcGoPPMuHh');
  });

  it('round trips any dump through renderDump', () => {
    fc.assert(fc.property(dumpArb, (dump) => expect(parseDump(renderDump(dump, WgPrivateKey.generate()))).toEqual(dump)));
  });

  it('gives the same result whatever the chunking of the stream', () => {
    fc.assert(
      fc.property(dumpArb, fc.array(fc.nat(), { maxLength: 10 }), (dump, cuts) => {
        const text = renderDump(dump);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const parser = new DumpParser();
        let last = 0;
        for (const p of points) {
          parser.feed(text.slice(last, p));
          last = p;
        }
        parser.feed(text.slice(last));
        expect(parser.end()).toEqual(dump);
      }),
    );
  });

  it('rejects an unexpected line, naming its number, without echoing a preshared key', () => {
    const psk = 'Y2FmZWNhZmVjYWZlY2FmZWNhZmVjYWZlY2FmZWNhZmU=';
    const bad = `${realLooking}fE/wdxzl0klVp/IR8UcaoGUMjqaWi3jAd7KzHKFS6Ds=\t${psk}\textra\n`;
    expect(() => parseDump(bad)).toThrow(/dump line 4/);
    expect(() => parseDump(bad)).not.toThrow(new RegExp(psk.slice(0, 20)));
  });

  it('rejects a malformed interface line without echoing it', () => {
    const line = 'QLqcGoPPMuHhBXRxEKxzIJvPlVpDGOawHgLCS9/dOXs=\tnot-a-key\t51820';
    expect(() => parseDump(line)).toThrow(/dump line 1/);
    expect(() => parseDump(line)).not.toThrow(/QLqcGoPPMuHh/);
  });

  it('rejects blank lines, bad counters and an empty dump', () => {
    expect(() => parseDump(realLooking.replace('\n', '\n\n'))).toThrow(/dump line 2/);
    expect(() => parseDump(realLooking.replace('1234', '-1'))).toThrow(/transfer-rx/);
    expect(() => parseDump('')).toThrow(/empty/);
  });

  it('rejects an injection payload in an allowed-ips field', () => {
    expect(() => parseDump(realLooking.replace('10.8.0.2/32', '10.8.0.2/32;reboot'))).toThrow(/CIDR/);
  });
});
