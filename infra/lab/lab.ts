import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  AddressPool,
  generateKeyPairFast,
  parseInterfaceName,
  parseWgQuickConf,
  renderSetconf,
  endpointParts,
  cidrParts,
  type InterfaceName,
  type WgPublicKey,
} from '@vpn/wireguard';
import { LabState, slotAddresses } from './state';
import { killProcess, processStartTime, run, startDaemon, waitFor } from './system';

/** A lab server as the control plane registers it (API.md POST /api/admin/servers body) plus lab details. */
export interface LabServer {
  name: string;
  namespace: string;
  host: string;
  sshPort: number;
  sshUser: string;
  /** The server's OpenSSH host key line, to pin. */
  hostKey: string;
  interface: InterfaceName;
  addressPool: string;
  endpoint: string;
  publicKey: WgPublicKey;
  listenPort: number;
}

export interface LabOptions {
  servers: number;
  /** The provisioner's OpenSSH public key line, authorized for root on every server. */
  provisionerPublicKey: string;
  /** Where state, keys, configs and logs live; defaults to `<repo>/.lab`. */
  stateDir?: string;
}

interface ServerRecord extends LabServer {
  index: number;
  slot: number;
  wgPid: number;
  sshdPid: number;
}

const WG_SOCKET_DIR = '/var/run/wireguard';
const LISTEN_PORT = 51820;
const SSH_PORT = 22;

export const DEFAULT_STATE_DIR = resolve(__dirname, '../../.lab');

function sshdConfig(dir: string, listen: string): string {
  return [
    `ListenAddress ${listen}:${SSH_PORT}`,
    `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
    `AuthorizedKeysFile ${join(dir, '..', 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxSessions 10',
    'MaxStartups 100:30:200',
    'PidFile none',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'PermitTunnel no',
    // Debian's bash sources ~/.bashrc for sshd-started `bash -c` while SHLVL<2 (SSH_SOURCE_BASHRC);
    // root's .bashrc costs ~90 ms per exec here. SHLVL=1 makes the command shell level 2: no rc file.
    'SetEnv SHLVL=1',
    'LogLevel ERROR',
    '',
  ].join('\n');
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(300, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** A client namespace with a userspace WireGuard interface brought up from a wg-quick conf (without wg-quick). */
export class LabClient {
  constructor(
    readonly namespace: string,
    readonly interfaceName: InterfaceName,
    private readonly lab: Lab,
  ) {}

  /** True when at least one echo reply came back through the tunnel within the timeout. */
  async ping(ip: string, opts: { count?: number; timeoutSec?: number } = {}): Promise<boolean> {
    const count = opts.count ?? 1;
    const timeout = opts.timeoutSec ?? 2;
    const r = await run('ip', ['netns', 'exec', this.namespace, 'ping', '-n', '-q', '-c', String(count), '-i', '0.2', '-w', String(timeout), ip], {
      allowFail: true,
    });
    const m = /(\d+) received/.exec(r.stdout);
    return m !== null && Number(m[1]) > 0;
  }

  /** Runs `wg show <if> dump` in the client namespace (for assertions). */
  async wg(args: string[]): Promise<string> {
    return (await run('ip', ['netns', 'exec', this.namespace, 'wg', ...args])).stdout;
  }

  down(): Promise<void> {
    return this.lab.removeClient(this);
  }
}

/**
 * N WireGuard servers on this machine: each a network namespace with wireguard-go, the pool's first
 * address on its interface, and sshd on a veth address reachable from the root namespace.
 */
export class Lab {
  private clientCount = 0;
  private readonly clients = new Map<LabClient, { pid: number; slot: number; serverIndex: number; ns: string }>();

  private constructor(
    readonly state: LabState,
    private readonly records: ServerRecord[],
  ) {}

  get id(): string {
    return this.state.data.id;
  }

  get stateDir(): string {
    return this.state.dir;
  }

  get servers(): LabServer[] {
    return this.records.map(({ index: _i, slot: _s, wgPid: _w, sshdPid: _p, ...server }) => server);
  }

  /** Removes what an earlier (possibly crashed) lab in `stateDir` left behind. */
  static async down(stateDir = DEFAULT_STATE_DIR): Promise<boolean> {
    const state = LabState.load(stateDir);
    if (!state) return false;
    await state.teardown();
    return true;
  }

  static async up(opts: LabOptions): Promise<Lab> {
    if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, wireguard-go)');
    if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-\S+) [A-Za-z0-9+/=]+( .*)?$/.test(opts.provisionerPublicKey.trim())) {
      throw new Error('provisionerPublicKey must be an OpenSSH public key line');
    }
    const stateDir = resolve(opts.stateDir ?? DEFAULT_STATE_DIR);
    await Lab.down(stateDir);
    const id = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
    const state = LabState.create(stateDir, id);
    writeFileSync(join(stateDir, 'authorized_keys'), `${opts.provisionerPublicKey.trim()}\n`, { mode: 0o600 });
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    mkdirSync(WG_SOCKET_DIR, { recursive: true });
    const lab = new Lab(state, []);
    try {
      // Namespaces and links first (cheap, sequential for a readable state), then daemons in parallel.
      for (let i = 0; i < opts.servers; i++) lab.records.push(await lab.createServerNetwork(i));
      await Promise.all(lab.records.map((r) => lab.startServerDaemons(r)));
      state.data.servers = lab.servers;
      state.save();
      return lab;
    } catch (e) {
      await state.teardown().catch(() => undefined);
      throw e;
    }
  }

  private async createServerNetwork(index: number): Promise<ServerRecord> {
    const id = this.id;
    const ns = `vpnlab-${id}-s${index}`;
    const ifname = parseInterfaceName(`wl${id}s${index}`);
    const hostLink = `vl${id}s${index}`;
    const slot = this.state.claimSlot();
    const addr = slotAddresses(slot);
    this.state.track('namespaces', ns);
    await run('ip', ['netns', 'add', ns]);
    this.state.track('links', hostLink);
    await run('ip', ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await run('ip', ['addr', 'add', `${addr.root}/${addr.prefix}`, 'dev', hostLink]);
    await run('ip', ['link', 'set', hostLink, 'up']);
    await run('ip', ['-n', ns, 'addr', 'add', `${addr.inner}/${addr.prefix}`, 'dev', 'eth0']);
    await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const dir = join(this.stateDir, `server-${index}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = generateKeyPairFast();
    writeFileSync(join(dir, 'wg-private-key'), `${keys.privateKey.toBase64()}\n`, { mode: 0o600 });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `lab-${id}-s${index}`, '-f', join(dir, 'ssh_host_ed25519_key')], { input: 'y\n' });
    writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, addr.inner));
    const hostKey = readFileSync(join(dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    return {
      index,
      slot,
      wgPid: 0,
      sshdPid: 0,
      name: `lab-${id}-${index}`,
      namespace: ns,
      host: addr.inner,
      sshPort: SSH_PORT,
      sshUser: 'root',
      hostKey,
      interface: ifname,
      addressPool: `10.8.${index}.0/24`,
      endpoint: `${addr.inner}:${LISTEN_PORT}`,
      publicKey: keys.publicKey,
      listenPort: LISTEN_PORT,
    };
  }

  private async startServerDaemons(r: ServerRecord): Promise<void> {
    const dir = join(this.stateDir, `server-${r.index}`);
    await this.startWireguard(r);
    r.sshdPid = startDaemon('ip', ['netns', 'exec', r.namespace, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')], join(dir, 'sshd.log'));
    this.state.trackPid({ pid: r.sshdPid, startTime: processStartTime(r.sshdPid), what: `sshd ${r.namespace}` });
    await waitFor(`sshd on ${r.host}:${r.sshPort}`, () => portOpen(r.host, r.sshPort), 5000, 25);
  }

  /** wireguard-go in the foreground (so we own its PID), then key, port, the pool's first address, up. */
  private async startWireguard(r: ServerRecord): Promise<void> {
    const dir = join(this.stateDir, `server-${r.index}`);
    const sock = join(WG_SOCKET_DIR, `${r.interface}.sock`);
    this.state.track('sockets', sock);
    r.wgPid = startDaemon('ip', ['netns', 'exec', r.namespace, 'wireguard-go', '-f', r.interface], join(dir, 'wireguard-go.log'), {
      WG_PROCESS_FOREGROUND: '1',
      LOG_LEVEL: 'error',
    });
    this.state.trackPid({ pid: r.wgPid, startTime: processStartTime(r.wgPid), what: `wireguard-go ${r.interface}` });
    await waitFor(`UAPI socket ${sock}`, () => existsSync(sock), 5000, 10);
    const pool = AddressPool.parse(r.addressPool);
    // A 0600 file, not stdin: Node's child stdin is a socket, which /dev/stdin cannot open.
    await run('ip', ['netns', 'exec', r.namespace, 'wg', 'set', r.interface, 'private-key', join(dir, 'wg-private-key'), 'listen-port', String(r.listenPort)]);
    await run('ip', ['-n', r.namespace, 'addr', 'add', pool.serverInterfaceAddress, 'dev', r.interface]);
    await run('ip', ['-n', r.namespace, 'link', 'set', r.interface, 'up']);
  }

  /** "Reboots" server i's WireGuard: wireguard-go restarted with no peers, same private key and port. */
  async reboot(index: number): Promise<void> {
    const r = this.record(index);
    const old = this.state.data.pids.find((p) => p.pid === r.wgPid);
    await killProcess(r.wgPid, old?.startTime ?? null);
    this.state.untrackPid(r.wgPid);
    const sock = join(WG_SOCKET_DIR, `${r.interface}.sock`);
    await waitFor(`${r.interface} to disappear`, async () => !existsSync(sock) && (await run('ip', ['-n', r.namespace, 'link', 'show', r.interface], { allowFail: true })).code !== 0, 5000);
    await this.startWireguard(r);
  }

  /** Runs a command inside server i's namespace (test assertions; the SSH path is what's under test elsewhere). */
  async execInServer(index: number, args: string[], input?: string): Promise<string> {
    return (await run('ip', ['netns', 'exec', this.record(index).namespace, ...args], { input })).stdout;
  }

  /** PIDs of every sshd process of server i (listener and per-connection children). */
  async sshdPids(index: number): Promise<number[]> {
    const r = await run('ip', ['netns', 'pids', this.record(index).namespace]);
    const pids = r.stdout.split('\n').filter(Boolean).map(Number);
    return pids.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sshd';
      } catch {
        return false;
      }
    });
  }

  /** Brings up a client namespace from a wg-quick conf whose Endpoint is one of the lab's servers. */
  async createClient(confText: string): Promise<LabClient> {
    const conf = parseWgQuickConf(confText);
    if (conf.peers.length !== 1 || !conf.peers[0].endpoint) throw new Error('lab clients need exactly one [Peer] with an Endpoint');
    const endpoint = endpointParts(conf.peers[0].endpoint);
    const server = this.records.find((r) => r.host === endpoint.host);
    if (!server) throw new Error(`endpoint ${conf.peers[0].endpoint} is not a server of this lab`);
    if (!conf.interface.privateKey) {
      throw new Error('the conf has no PrivateKey (client-made key): insert it before bringing the client up');
    }
    const n = this.clientCount++;
    const ns = `vpnlab-${this.id}-c${n}`;
    const ifname = parseInterfaceName(`wl${this.id}c${n}`);
    const slot = this.state.claimSlot();
    const addr = slotAddresses(slot);
    this.state.track('namespaces', ns);
    await run('ip', ['netns', 'add', ns]);
    // A veth straight into the server's namespace: no forwarding in the root namespace is needed.
    const serverSide = `c${this.id}${n}`.slice(0, 15);
    await run('ip', ['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', serverSide, 'netns', server.namespace]);
    await run('ip', ['-n', ns, 'addr', 'add', `${addr.root}/${addr.prefix}`, 'dev', 'eth0']);
    await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await run('ip', ['-n', server.namespace, 'addr', 'add', `${addr.inner}/${addr.prefix}`, 'dev', serverSide]);
    await run('ip', ['-n', server.namespace, 'link', 'set', serverSide, 'up']);
    await run('ip', ['-n', ns, 'route', 'add', `${server.host}/32`, 'via', addr.inner]);
    const sock = join(WG_SOCKET_DIR, `${ifname}.sock`);
    this.state.track('sockets', sock);
    const dir = join(this.stateDir, `client-${n}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pid = startDaemon('ip', ['netns', 'exec', ns, 'wireguard-go', '-f', ifname], join(dir, 'wireguard-go.log'), {
      WG_PROCESS_FOREGROUND: '1',
      LOG_LEVEL: 'error',
    });
    this.state.trackPid({ pid, startTime: processStartTime(pid), what: `wireguard-go ${ifname}` });
    await waitFor(`UAPI socket ${sock}`, () => existsSync(sock), 5000, 10);
    // What wg-quick would do, minus DNS: setconf with the wg-quick fields stripped, addresses, routes.
    const setconf = join(dir, 'setconf.conf');
    writeFileSync(setconf, renderSetconf(conf), { mode: 0o600 });
    await run('ip', ['netns', 'exec', ns, 'wg', 'setconf', ifname, setconf]);
    const v4 = conf.interface.addresses.filter((a) => cidrParts(a).family === 4);
    for (const a of v4) await run('ip', ['-n', ns, 'addr', 'add', a, 'dev', ifname]);
    await run('ip', ['-n', ns, 'link', 'set', ifname, 'up']);
    for (const allowed of conf.peers[0].allowedIps) {
      if (cidrParts(allowed).family !== 4) continue;
      await run('ip', ['-n', ns, 'route', 'replace', allowed === '0.0.0.0/0' ? 'default' : allowed, 'dev', ifname]);
    }
    const client = new LabClient(ns, ifname, this);
    this.clients.set(client, { pid, slot, serverIndex: server.index, ns });
    return client;
  }

  /** @internal */
  async removeClient(client: LabClient): Promise<void> {
    const c = this.clients.get(client);
    if (!c) return;
    this.clients.delete(client);
    const tracked = this.state.data.pids.find((p) => p.pid === c.pid);
    await killProcess(c.pid, tracked?.startTime ?? null);
    this.state.untrackPid(c.pid);
    await run('ip', ['netns', 'delete', c.ns], { allowFail: true });
    this.state.data.namespaces = this.state.data.namespaces.filter((n) => n !== c.ns);
    this.state.save();
    this.state.releaseSlot(c.slot);
  }

  /** Removes everything this lab created. */
  async down(): Promise<void> {
    this.clients.clear();
    await this.state.teardown();
  }

  private record(index: number): ServerRecord {
    const r = this.records[index];
    if (!r) throw new Error(`no lab server ${index}`);
    return r;
  }
}

