import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import {
  AddressPool,
  addPeersCommand,
  dumpCommand,
  generateKeyPair,
  generateKeyPairFast,
  interfaceInfoCommand,
  parseDump,
  parseEndpoint,
  parseInterfaceInfoOutput,
  parseInterfaceName,
  removePeerCommand,
  renderClientConf,
  setPeerCommand,
  DumpParser,
} from '@vpn/wireguard';
import { SshPool, type SshTarget } from '@vpn/ssh';
import { Lab } from '../lab';
import { run } from '../system';
import { startLab } from './lab-fixture';

jest.setTimeout(30_000);

describe(Lab.name, () => {
  let fixture: Awaited<ReturnType<typeof startLab>>;
  let pool: SshPool;
  let target: SshTarget;

  beforeAll(async () => {
    fixture = await startLab(1);
    const s = fixture.lab.servers[0];
    target = { host: s.host, port: s.sshPort, username: s.sshUser, hostKey: s.hostKey };
    pool = new SshPool({ privateKey: fixture.privateKey });
  });
  afterAll(async () => {
    await pool?.close();
    await fixture?.stop();
  });

  const server = () => fixture.lab.servers[0];
  const itf = () => parseInterfaceName(server().interface);
  const dumpOverSsh = async () => {
    const parser = new DumpParser();
    await pool.execStream(target, dumpCommand(itf()), (c) => parser.feed(c));
    return parser.end();
  };

  it('describes each server with the registration fields, matching the real interface', async () => {
    const info = parseInterfaceInfoOutput((await pool.exec(target, interfaceInfoCommand(itf()))).stdout);
    expect(info).toEqual({ publicKey: server().publicKey, listenPort: server().listenPort });
    expect(server()).toMatchObject({ sshPort: 22, sshUser: 'root', addressPool: '10.8.0.0/24', endpoint: `${server().host}:51820` });
  });

  it('adds a peer over SSH, a client from the rendered conf pings the server, and removing it stops the ping', async () => {
    const pool10 = AddressPool.parse(server().addressPool);
    const client = generateKeyPair();
    const address = pool10.lowestFree([]);
    await pool.exec(target, setPeerCommand(itf(), { publicKey: client.publicKey, allowedIps: [pool10.clientCidr(address)] }));

    const dump = await dumpOverSsh();
    expect(dump.peers.map((p) => [p.publicKey, p.allowedIps])).toContainEqual([client.publicKey, [`${address}/32`]]);

    const conf = renderClientConf({
      privateKey: client.privateKey,
      address: pool10.clientCidr(address),
      serverPublicKey: server().publicKey,
      endpoint: parseEndpoint(server().endpoint),
    });
    const c = await fixture.lab.createClient(conf);
    try {
      expect(await c.ping(pool10.serverAddress, { count: 3, timeoutSec: 5 })).toBe(true);
      await pool.exec(target, removePeerCommand(itf(), client.publicKey));
      expect((await dumpOverSsh()).peers.map((p) => p.publicKey)).not.toContain(client.publicKey);
      expect(await c.ping(pool10.serverAddress, { count: 2, timeoutSec: 2 })).toBe(false);
    } finally {
      await c.down();
    }
    expect(existsSync(`/var/run/wireguard/${c.interfaceName}.sock`)).toBe(false);
  });

  it('adds 1,000 peers in one command', async () => {
    const alloc = AddressPool.parse('10.9.0.0/16').allocator();
    const peers = Array.from({ length: 1000 }, () => ({ publicKey: generateKeyPairFast().publicKey, allowedIps: [AddressPool.parse('10.9.0.0/16').clientCidr(alloc.allocate())] }));
    await pool.exec(target, addPeersCommand(itf(), peers));
    const dump = await dumpOverSsh();
    const present = new Set(dump.peers.map((p) => p.publicKey));
    expect(peers.every((p) => present.has(p.publicKey))).toBe(true);
  });

  it('reboots wireguard with no peers, the same key and the same port', async () => {
    await pool.exec(target, setPeerCommand(itf(), { publicKey: generateKeyPair().publicKey, allowedIps: [AddressPool.parse('10.8.0.0/24').clientCidr('10.8.0.77')] }));
    await fixture.lab.reboot(0);
    const dump = parseDump(await fixture.lab.execInServer(0, ['wg', 'show', server().interface, 'dump']));
    expect(dump.interface).toEqual({ publicKey: server().publicKey, listenPort: server().listenPort, fwmark: null });
    expect(dump.peers).toEqual([]);
  });
});

describe('Lab lifecycle', () => {
  it('removes every namespace, process and socket on down, including those of a crashed earlier run', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'vpn-lab-test-'));
    const key = utils.generateKeyPairSync('ed25519').public;
    try {
      const crashed = await Lab.up({ servers: 1, provisionerPublicKey: key, stateDir });
      const crashedNs = crashed.servers[0].namespace;
      const crashedPids = crashed.state.data.pids.map((p) => p.pid);
      // A new `up` in the same state dir first removes what the "crashed" one left behind.
      const lab = await Lab.up({ servers: 1, provisionerPublicKey: key, stateDir });
      const netns = async () => (await run('ip', ['netns', 'list'])).stdout;
      expect(await netns()).not.toContain(crashedNs);
      expect(crashedPids.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
      const s = lab.servers[0];
      const pids = lab.state.data.pids.map((p) => p.pid);
      await lab.down();
      expect(await netns()).not.toContain(s.namespace);
      expect(existsSync(`/var/run/wireguard/${s.interface}.sock`)).toBe(false);
      expect(pids.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
      expect((await run('ip', ['link', 'show', `vl${lab.id}s0`], { allowFail: true })).code).not.toBe(0);
      expect(existsSync(join(stateDir, 'state.json'))).toBe(false);
    } finally {
      await Lab.down(stateDir);
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
