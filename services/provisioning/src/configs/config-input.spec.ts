import { VpnErrorCode } from '@vpn/contracts';
import { generateKeyPairFast } from '@vpn/wireguard';
import { parseClientPublicKey, parseDeviceKeyFor } from './config-input';

describe(parseClientPublicKey.name, () => {
  it('accepts the base64 of 32 bytes', () => {
    const { publicKey } = generateKeyPairFast();
    expect(parseClientPublicKey(publicKey)).toBe(publicKey);
  });

  it.each(['A'.repeat(43) + '=', 'AAAA', 42, null])('refuses %p with INVALID_PUBLIC_KEY (the all-zero key included)', (bad) => {
    expect(() => parseClientPublicKey(bad)).toThrow(expect.objectContaining({ code: VpnErrorCode.INVALID_PUBLIC_KEY }));
  });
});

describe(parseDeviceKeyFor.name, () => {
  const server = { publicKey: generateKeyPairFast().publicKey };

  it('accepts any other key', () => {
    const { publicKey } = generateKeyPairFast();
    expect(parseDeviceKeyFor(server, publicKey)).toBe(publicKey);
  });

  // WireGuard refuses or ignores a peer with the interface's own key: such a device could never connect.
  it("refuses the server's own public key with INVALID_PUBLIC_KEY", () => {
    expect(() => parseDeviceKeyFor(server, server.publicKey)).toThrow(expect.objectContaining({ code: VpnErrorCode.INVALID_PUBLIC_KEY }));
  });
});
