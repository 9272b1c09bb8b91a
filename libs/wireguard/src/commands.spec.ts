import {
  addPeersCommand,
  dumpCommand,
  interfaceInfoCommand,
  parseInterfaceInfoOutput,
  removePeersCommand,
  setPeerCommand,
  setPeersCommand,
} from './commands';
import { parseInterfaceName } from './interface-name';
import { parseCidr } from './ip';
import { WgPresharedKey, generateKeyPair, type WgPublicKey } from './keys';
import { INJECTION_PAYLOADS } from '../../../test/support/injection-payloads';

const wg0 = parseInterfaceName('wg0');
const peer = generateKeyPair().publicKey;
const addr = parseCidr('10.8.0.2/32');

describe('setPeerCommand', () => {
  it('builds wg set with the allowed ips and no stdin', () => {
    expect(setPeerCommand(wg0, { publicKey: peer, allowedIps: [addr] })).toEqual({
      command: `wg set wg0 peer ${peer} allowed-ips 10.8.0.2/32`,
    });
  });

  it('sends the preshared key through stdin only', () => {
    const psk = WgPresharedKey.generate();
    const cmd = setPeerCommand(wg0, { publicKey: peer, allowedIps: [addr], presharedKey: psk });
    expect(cmd.command).toBe(`wg set wg0 peer ${peer} preshared-key /dev/stdin allowed-ips 10.8.0.2/32`);
    expect(cmd.command).not.toContain(psk.toBase64());
    expect(cmd.stdin).toBe(`${psk.toBase64()}\n`);
  });

  it('refuses a peer without addresses', () => {
    expect(() => setPeerCommand(wg0, { publicKey: peer, allowedIps: [] })).toThrow(/allowed-ips/);
  });

  it.each(INJECTION_PAYLOADS)('refuses casted values carrying %j', (payload) => {
    expect(() => setPeerCommand(`wg0${payload}` as never, { publicKey: peer, allowedIps: [addr] })).toThrow();
    expect(() => setPeerCommand(wg0, { publicKey: `${peer}${payload}` as WgPublicKey, allowedIps: [addr] })).toThrow();
    expect(() => setPeerCommand(wg0, { publicKey: peer, allowedIps: [`10.8.0.2/32${payload}` as never] })).toThrow();
  });
});

describe('addPeersCommand', () => {
  it('puts every peer on stdin for wg addconf', () => {
    const keys = [generateKeyPair().publicKey, generateKeyPair().publicKey];
    const cmd = addPeersCommand(wg0, keys.map((k, i) => ({ publicKey: k, allowedIps: [parseCidr(`10.8.0.${i + 2}/32`)] })));
    expect(cmd.command).toBe('wg addconf wg0 /dev/stdin');
    expect(cmd.stdin).toBe(
      `[Peer]\nPublicKey = ${keys[0]}\nAllowedIPs = 10.8.0.2/32\n\n[Peer]\nPublicKey = ${keys[1]}\nAllowedIPs = 10.8.0.3/32\n`,
    );
  });
});

describe('setPeersCommand', () => {
  const keys = [generateKeyPair().publicKey, generateKeyPair().publicKey];
  const peers = keys.map((k, i) => ({ publicKey: k, allowedIps: [parseCidr(`10.8.0.${i + 2}/32`)] }));

  it('adds every peer in one wg set, with nothing on stdin', () => {
    expect(setPeersCommand(wg0, peers)).toEqual({
      command: `wg set wg0 peer ${keys[0]} allowed-ips 10.8.0.2/32 peer ${keys[1]} allowed-ips 10.8.0.3/32`,
    });
  });

  it('sends the peers on stdin when one carries a preshared key (never in argv)', () => {
    const psk = WgPresharedKey.generate();
    const cmd = setPeersCommand(wg0, [peers[0], { ...peers[1], presharedKey: psk }]);
    expect(cmd.command).toBe('wg addconf wg0 /dev/stdin');
    expect(cmd.command).not.toContain(psk.toBase64());
    expect(cmd.stdin).toContain(`PresharedKey = ${psk.toBase64()}`);
  });

  it('sends a batch too long for one command line on stdin', () => {
    const many = Array.from({ length: 600 }, (_, i) => ({ publicKey: generateKeyPair().publicKey, allowedIps: [parseCidr(`10.8.${i >> 8}.${i & 255}/32`)] }));
    const cmd = setPeersCommand(wg0, many);
    expect(cmd.command).toBe('wg addconf wg0 /dev/stdin');
    expect(cmd.stdin?.split('[Peer]').length).toBe(601);
  });

  it('refuses an empty batch and an injected address', () => {
    expect(() => setPeersCommand(wg0, [])).toThrow();
    for (const payload of INJECTION_PAYLOADS) {
      expect(() => setPeersCommand(wg0, [{ publicKey: peer, allowedIps: [`10.8.0.2/32${payload}` as never] }])).toThrow();
    }
  });
});

describe('removePeersCommand', () => {
  it('removes each peer in one wg set', () => {
    const other = generateKeyPair().publicKey;
    expect(removePeersCommand(wg0, [peer, other]).command).toBe(`wg set wg0 peer ${peer} remove peer ${other} remove`);
  });
});

describe('read commands', () => {
  it('dump and interface info address the interface only', () => {
    expect(dumpCommand(wg0)).toEqual({ command: 'wg show wg0 dump' });
    expect(interfaceInfoCommand(wg0)).toEqual({ command: 'wg show wg0 public-key && wg show wg0 listen-port' });
  });

  it('parses the interface info output', () => {
    expect(parseInterfaceInfoOutput(`${peer}\n51820\n`)).toEqual({ publicKey: peer, listenPort: 51820 });
    expect(() => parseInterfaceInfoOutput(`${peer}\n`)).toThrow();
  });
});
