import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  WgPrivateKey,
  generateKeyPair,
  generateKeyPairFast,
  parseCidr,
  parseDump,
  parseEndpoint,
  parseInterfaceName,
  parseIpAddress,
  parseWgQuickConf,
  renderClientConf,
  renderSetconf,
  WgPresharedKey,
} from '@vpn/wireguard';
import { startLab } from '../../../infra/lab/test/lab-fixture';

jest.setTimeout(30_000);

describe('keys against the wg binary', () => {
  it('derives the same public key as `wg pubkey` (tweetnacl and node:crypto pairs)', () => {
    for (const pair of [generateKeyPair(), generateKeyPair(), generateKeyPairFast(), generateKeyPairFast()]) {
      const wgPub = execFileSync('wg', ['pubkey'], { input: `${pair.privateKey.toBase64()}\n` }).toString().trim();
      expect(pair.publicKey).toBe(wgPub);
    }
  });

  it('parses keys made by `wg genkey` and agrees on their public key', () => {
    const priv = execFileSync('wg', ['genkey']).toString().trim();
    const wgPub = execFileSync('wg', ['pubkey'], { input: `${priv}\n` }).toString().trim();
    expect(WgPrivateKey.parse(priv).publicKey()).toBe(wgPub);
  });
});

describe('conf and dump against wireguard-go', () => {
  let fixture: Awaited<ReturnType<typeof startLab>>;
  beforeAll(async () => {
    fixture = await startLab(1);
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  it('accepts a rendered conf in `wg setconf` once the wg-quick fields are stripped, and its dump parses', async () => {
    const { lab } = fixture;
    const server = lab.servers[0];
    const client = generateKeyPair();
    const psk = WgPresharedKey.generate();
    const conf = renderClientConf({
      privateKey: client.privateKey,
      address: parseCidr('10.8.0.2/32'),
      dns: [parseIpAddress('9.9.9.9')],
      serverPublicKey: server.publicKey,
      endpoint: parseEndpoint(server.endpoint),
      presharedKey: psk,
    });
    const file = join(lab.stateDir, 'binaries-setconf.conf');
    writeFileSync(file, renderSetconf(parseWgQuickConf(conf)), { mode: 0o600 });
    await lab.execInServer(0, ['wg', 'setconf', parseInterfaceName(server.interface), file]);

    const dump = parseDump(await lab.execInServer(0, ['wg', 'show', server.interface, 'dump']));
    expect(dump.interface.publicKey).toBe(client.publicKey);
    expect(dump.interface.listenPort).toBeGreaterThan(0); // setconf without ListenPort: a random port
    expect(dump.peers).toEqual([
      {
        publicKey: server.publicKey,
        hasPresharedKey: true,
        endpoint: server.endpoint,
        allowedIps: ['0.0.0.0/0', '::/0'],
        latestHandshake: null,
        rxBytes: 0,
        txBytes: expect.any(Number),
        persistentKeepalive: 25,
      },
    ]);
  });
});
