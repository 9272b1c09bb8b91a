import { WgParseError, quote } from './errors';
import { cidrParts, parseCidr, parseEndpoint, parseIpAddress, type IpAddress, type IpCidr, type WgEndpoint } from './ip';
import { WgPresharedKey, WgPrivateKey, parsePublicKey, type WgPublicKey } from './keys';

/** What a client's wg-quick file contains (API.md); `privateKey` is absent when the key was made on the client. */
export interface ClientConfInput {
  readonly privateKey?: WgPrivateKey | null;
  readonly address: IpCidr | readonly IpCidr[];
  readonly dns?: readonly IpAddress[];
  /** wg-quick's MTU; absent or null: no line (wg-quick picks one). */
  readonly mtu?: number | null;
  readonly serverPublicKey: WgPublicKey;
  readonly endpoint: WgEndpoint;
  readonly presharedKey?: WgPresharedKey | null;
  /** Defaults to the full tunnel `0.0.0.0/0, ::/0`. */
  readonly allowedIps?: readonly IpCidr[];
  /** Seconds; defaults to 25; null: no line. */
  readonly persistentKeepalive?: number | null;
}

export const FULL_TUNNEL: readonly IpCidr[] = ['0.0.0.0/0' as IpCidr, '::/0' as IpCidr];
export const DEFAULT_PERSISTENT_KEEPALIVE = 25;

/** Renders the complete wg-quick file a user downloads. The only place a client private key is printed. */
export function renderClientConf(input: ClientConfInput): string {
  const addresses = (Array.isArray(input.address) ? input.address : [input.address]) as readonly IpCidr[];
  const lines = ['[Interface]'];
  if (input.privateKey) lines.push(`PrivateKey = ${input.privateKey.toBase64()}`);
  lines.push(`Address = ${addresses.map((a) => parseCidr(a)).join(', ')}`);
  if (input.dns && input.dns.length > 0) lines.push(`DNS = ${input.dns.map((d) => parseIpAddress(d)).join(', ')}`);
  if (input.mtu !== undefined && input.mtu !== null) lines.push(`MTU = ${parseMtu(input.mtu)}`);
  lines.push('', '[Peer]', `PublicKey = ${parsePublicKey(input.serverPublicKey)}`);
  if (input.presharedKey) lines.push(`PresharedKey = ${input.presharedKey.toBase64()}`);
  lines.push(`Endpoint = ${parseEndpoint(input.endpoint)}`);
  lines.push(`AllowedIPs = ${(input.allowedIps ?? FULL_TUNNEL).map((a) => parseCidr(a)).join(', ')}`);
  const seconds = input.persistentKeepalive === undefined ? DEFAULT_PERSISTENT_KEEPALIVE : input.persistentKeepalive;
  if (seconds !== null) lines.push(`PersistentKeepalive = ${keepalive(seconds)}`);
  return `${lines.join('\n')}\n`;
}

export const MIN_CLIENT_MTU = 1280;
export const MAX_CLIENT_MTU = 1500;

/** A client interface MTU: 1280 (IPv6's minimum) to 1500 (Ethernet). */
export function parseMtu(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < MIN_CLIENT_MTU || (value as number) > MAX_CLIENT_MTU) {
    throw new WgParseError('MTU', quote(value), `must be an integer ${MIN_CLIENT_MTU}..${MAX_CLIENT_MTU}`);
  }
  return value as number;
}

/** A persistent keepalive in seconds, 0 (off) to 65535. */
export function parseKeepalive(value: unknown): number {
  return keepalive(value);
}

function keepalive(seconds: unknown): number {
  if (!Number.isInteger(seconds) || (seconds as number) < 0 || (seconds as number) > 65535) {
    throw new WgParseError('persistent keepalive', quote(seconds), 'must be an integer 0..65535');
  }
  return seconds as number;
}

export interface WgConfInterface {
  privateKey: WgPrivateKey | null;
  listenPort: number | null;
  fwmark: number | null;
  /** wg-quick only: */
  addresses: IpCidr[];
  dns: IpAddress[];
  mtu: number | null;
}

export interface WgConfPeer {
  publicKey: WgPublicKey;
  presharedKey: WgPresharedKey | null;
  endpoint: WgEndpoint | null;
  allowedIps: IpCidr[];
  persistentKeepalive: number | null;
}

export interface WgConf {
  interface: WgConfInterface;
  peers: WgConfPeer[];
}

function intField(field: string, value: string, max: number): number {
  if (!/^(0|[1-9]\d{0,9})$/.test(value) || Number(value) > max) {
    throw new WgParseError(field, quote(value), `must be an integer 0..${max}`);
  }
  return Number(value);
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Strict parser of a wg-quick file (`[Interface]` + `[Peer]`s): one parser per key, an unknown key or
 * a hook (PreUp/PostUp/…: shell commands) is an error naming it.
 */
export function parseWgQuickConf(text: string): WgConf {
  const conf: WgConf = {
    interface: { privateKey: null, listenPort: null, fwmark: null, addresses: [], dns: [], mtu: null },
    peers: [],
  };
  let section: 'none' | 'interface' | 'peer' = 'none';
  let peer: (Partial<WgConfPeer> & { allowedIps: IpCidr[] }) | null = null;
  const finishPeer = () => {
    if (!peer) return;
    if (!peer.publicKey) throw new WgParseError('conf', null, '[Peer] without PublicKey');
    conf.peers.push({
      publicKey: peer.publicKey,
      presharedKey: peer.presharedKey ?? null,
      endpoint: peer.endpoint ?? null,
      allowedIps: peer.allowedIps,
      persistentKeepalive: peer.persistentKeepalive ?? null,
    });
    peer = null;
  };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    if (/^\[interface\]$/i.test(line)) {
      finishPeer();
      section = 'interface';
      return;
    }
    if (/^\[peer\]$/i.test(line)) {
      finishPeer();
      section = 'peer';
      peer = { allowedIps: [] };
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new WgParseError('conf line', `${i + 1}`, 'expected Key = Value');
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    const where = `${section === 'peer' ? 'Peer' : 'Interface'}.${line.slice(0, eq).trim()}`;
    if (section === 'interface') {
      const itf = conf.interface;
      switch (key) {
        case 'privatekey': itf.privateKey = WgPrivateKey.parse(value); return;
        case 'listenport': itf.listenPort = intField('ListenPort', value, 65535); return;
        case 'fwmark': itf.fwmark = value === 'off' ? null : intField('FwMark', value, 0xffffffff); return;
        case 'address': itf.addresses.push(...list(value).map((a) => parseCidr(a))); return;
        case 'dns': itf.dns.push(...list(value).map((d) => parseIpAddress(d))); return;
        case 'mtu': itf.mtu = intField('MTU', value, 65535); return;
      }
    } else if (section === 'peer' && peer) {
      switch (key) {
        case 'publickey': peer.publicKey = parsePublicKey(value); return;
        case 'presharedkey': peer.presharedKey = WgPresharedKey.parse(value); return;
        case 'endpoint': peer.endpoint = parseEndpoint(value); return;
        case 'allowedips': peer.allowedIps.push(...list(value).map((a) => parseCidr(a))); return;
        case 'persistentkeepalive':
          peer.persistentKeepalive = value === 'off' ? null : intField('PersistentKeepalive', value, 65535);
          return;
      }
    } else {
      throw new WgParseError('conf line', `${i + 1}`, 'key outside a section');
    }
    throw new WgParseError('conf key', quote(where), 'unknown or unsupported key');
  });
  finishPeer();
  return conf;
}

/** The `wg setconf` form of a conf: the wg-quick-only fields (Address, DNS, MTU) are stripped. */
export function renderSetconf(conf: WgConf): string {
  const lines = ['[Interface]'];
  const itf = conf.interface;
  if (itf.privateKey) lines.push(`PrivateKey = ${itf.privateKey.toBase64()}`);
  if (itf.listenPort !== null) lines.push(`ListenPort = ${itf.listenPort}`);
  if (itf.fwmark !== null) lines.push(`FwMark = ${itf.fwmark}`);
  for (const p of conf.peers) lines.push('', ...peerSection(p));
  return `${lines.join('\n')}\n`;
}

/** One `[Peer]` section for `wg setconf`/`wg addconf`. */
export function peerSection(p: {
  publicKey: WgPublicKey;
  presharedKey?: WgPresharedKey | null;
  endpoint?: WgEndpoint | null;
  allowedIps: readonly IpCidr[];
  persistentKeepalive?: number | null;
}): string[] {
  const lines = ['[Peer]', `PublicKey = ${parsePublicKey(p.publicKey)}`];
  if (p.presharedKey) lines.push(`PresharedKey = ${p.presharedKey.toBase64()}`);
  if (p.endpoint) lines.push(`Endpoint = ${parseEndpoint(p.endpoint)}`);
  if (p.allowedIps.length > 0) lines.push(`AllowedIPs = ${p.allowedIps.map((a) => parseCidr(a)).join(', ')}`);
  if (p.persistentKeepalive) lines.push(`PersistentKeepalive = ${keepalive(p.persistentKeepalive)}`);
  return lines;
}

/** The family-less helper the lab needs to put an Address line on an interface. */
export function isIpv4Cidr(c: IpCidr): boolean {
  return cidrParts(c).family === 4;
}
