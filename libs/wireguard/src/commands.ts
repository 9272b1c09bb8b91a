import { peerSection } from './conf';
import { WgParseError, quote } from './errors';
import { parseInterfaceName, type InterfaceName } from './interface-name';
import { parseCidr, parseEndpoint, type IpCidr, type WgEndpoint } from './ip';
import { WgPresharedKey, parsePublicKey, type WgPublicKey } from './keys';

/**
 * A command for a remote shell: `command` is built only from parsed values and constants;
 * secrets travel in `stdin` only (never argv, which other local users can read in /proc).
 */
export interface RemoteCommand {
  readonly command: string;
  readonly stdin?: string;
}

export interface PeerSpec {
  readonly publicKey: WgPublicKey;
  readonly allowedIps: readonly IpCidr[];
  readonly presharedKey?: WgPresharedKey | null;
  readonly endpoint?: WgEndpoint | null;
  readonly persistentKeepalive?: number | null;
}

// Re-checked at build time: a brand is only a compile-time promise (`as` casts exist).
function itf(name: InterfaceName): InterfaceName {
  return parseInterfaceName(name);
}

function checkedPeer(p: PeerSpec): PeerSpec {
  parsePublicKey(p.publicKey);
  if (p.allowedIps.length === 0) throw new WgParseError('allowed-ips', quote(p.publicKey), 'a peer needs at least one address');
  p.allowedIps.forEach((a) => parseCidr(a));
  if (p.presharedKey != null && !(p.presharedKey instanceof WgPresharedKey)) throw new WgParseError('preshared key', null, 'not a WgPresharedKey');
  if (p.endpoint != null) parseEndpoint(p.endpoint);
  if (p.persistentKeepalive != null && (!Number.isInteger(p.persistentKeepalive) || p.persistentKeepalive < 0 || p.persistentKeepalive > 65535)) {
    throw new WgParseError('persistent keepalive', quote(p.persistentKeepalive), 'must be an integer 0..65535');
  }
  return p;
}

/** Adds or updates one peer: `wg set <if> peer <key> [preshared-key /dev/stdin] … allowed-ips <cidrs>`. */
export function setPeerCommand(ifname: InterfaceName, peer: PeerSpec): RemoteCommand {
  const p = checkedPeer(peer);
  const args = ['wg', 'set', itf(ifname), 'peer', p.publicKey];
  if (p.presharedKey) args.push('preshared-key', '/dev/stdin');
  if (p.endpoint) args.push('endpoint', p.endpoint);
  if (p.persistentKeepalive != null) args.push('persistent-keepalive', String(p.persistentKeepalive));
  args.push('allowed-ips', p.allowedIps.join(','));
  return p.presharedKey ? { command: args.join(' '), stdin: `${p.presharedKey.toBase64()}\n` } : { command: args.join(' ') };
}

/** Adds (or updates) many peers in one command: `wg addconf <if> /dev/stdin`, the peers on stdin. */
export function addPeersCommand(ifname: InterfaceName, peers: readonly PeerSpec[]): RemoteCommand {
  const lines: string[] = [];
  for (const p of peers) lines.push(...peerSection(checkedPeer(p)), '');
  return { command: `wg addconf ${itf(ifname)} /dev/stdin`, stdin: lines.join('\n') };
}

/** Longest `wg set` command line `setPeersCommand` builds; longer batches go on stdin instead. */
const MAX_SET_COMMAND = 32 * 1024;

/**
 * Adds (or updates) peers with the cheapest command: one `wg set <if> peer … peer …` with every peer
 * in its arguments (no stdin round trip), unless a peer has a preshared key (a secret: stdin only)
 * or the line would be long — then `wg addconf` with the peers on stdin.
 */
export function setPeersCommand(ifname: InterfaceName, peers: readonly PeerSpec[]): RemoteCommand {
  if (peers.length === 0) throw new WgParseError('peers to add', '[]', 'empty');
  if (peers.some((p) => p.presharedKey)) return addPeersCommand(ifname, peers);
  const args = ['wg', 'set', itf(ifname)];
  for (const peer of peers) {
    const p = checkedPeer(peer);
    args.push('peer', p.publicKey);
    if (p.endpoint) args.push('endpoint', p.endpoint);
    if (p.persistentKeepalive != null) args.push('persistent-keepalive', String(p.persistentKeepalive));
    args.push('allowed-ips', p.allowedIps.join(','));
  }
  const command = args.join(' ');
  return command.length > MAX_SET_COMMAND ? addPeersCommand(ifname, peers) : { command };
}

export function removePeerCommand(ifname: InterfaceName, publicKey: WgPublicKey): RemoteCommand {
  return removePeersCommand(ifname, [publicKey]);
}

/** Removes peers: `wg set <if> peer <k1> remove peer <k2> remove …`. */
export function removePeersCommand(ifname: InterfaceName, publicKeys: readonly WgPublicKey[]): RemoteCommand {
  if (publicKeys.length === 0) throw new WgParseError('peers to remove', '[]', 'empty');
  const args = ['wg', 'set', itf(ifname)];
  for (const k of publicKeys) args.push('peer', parsePublicKey(k), 'remove');
  return { command: args.join(' ') };
}

/** `wg show <if> dump`: its first line holds the interface private key; parse it with DumpParser, never log it. */
export function dumpCommand(ifname: InterfaceName): RemoteCommand {
  return { command: `wg show ${itf(ifname)} dump` };
}

export function publicKeyCommand(ifname: InterfaceName): RemoteCommand {
  return { command: `wg show ${itf(ifname)} public-key` };
}

export function listenPortCommand(ifname: InterfaceName): RemoteCommand {
  return { command: `wg show ${itf(ifname)} listen-port` };
}

/** Public key and listen port in one round trip (registration check): two lines. */
export function interfaceInfoCommand(ifname: InterfaceName): RemoteCommand {
  const name = itf(ifname);
  return { command: `wg show ${name} public-key && wg show ${name} listen-port` };
}

export function parsePublicKeyOutput(stdout: string): WgPublicKey {
  return parsePublicKey(stdout.trim());
}

export function parseListenPortOutput(stdout: string): number {
  const t = stdout.trim();
  if (!/^(0|[1-9]\d{0,4})$/.test(t) || Number(t) > 65535) throw new WgParseError('listen port output', quote(t), 'not a port');
  return Number(t);
}

export function parseInterfaceInfoOutput(stdout: string): { publicKey: WgPublicKey; listenPort: number } {
  const lines = stdout.trim().split('\n');
  if (lines.length !== 2) throw new WgParseError('interface info output', quote(stdout), 'expected two lines');
  return { publicKey: parsePublicKeyOutput(lines[0]), listenPort: parseListenPortOutput(lines[1]) };
}
