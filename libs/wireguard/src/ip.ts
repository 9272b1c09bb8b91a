import { WgParseError, quote } from './errors';

declare const ipBrand: unique symbol;
declare const cidrBrand: unique symbol;
declare const endpointBrand: unique symbol;
/** A canonical IPv4 (dotted quad) or IPv6 (RFC 5952) address. */
export type IpAddress = string & { readonly [ipBrand]: true };
/** A canonical `address/prefix` (host bits may be set, e.g. an interface address `10.8.0.1/24`). */
export type IpCidr = string & { readonly [cidrBrand]: true };
/** `host:port` where host is an IPv4 address, a bracketed IPv6 address or a DNS name. */
export type WgEndpoint = string & { readonly [endpointBrand]: true };
export type IpFamily = 4 | 6;

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXGROUP = /^[0-9A-Fa-f]{1,4}$/;

/** The numeric value of an address: IPv4 fits in 32 bits, IPv6 in 128 (bigint for both for one code path). */
export interface ParsedIp {
  readonly family: IpFamily;
  readonly value: bigint;
}

function tryParseIpv4(text: string): bigint | null {
  if (!V4.test(text)) return null;
  return text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function tryParseIpv6(text: string): bigint | null {
  if (text.length < 2 || text.length > 39) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const split = (s: string): string[] | null => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => HEXGROUP.test(x)) ? g : null;
  };
  const head = split(halves[0]);
  const tail = halves.length === 2 ? split(halves[1]) : [];
  if (!head || !tail) return null;
  let groups: string[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function formatIp(family: IpFamily, value: bigint): IpAddress {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.') as IpAddress;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (≥2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':') as IpAddress;
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}` as IpAddress;
}

export function parseIpParts(text: unknown, field = 'IP address'): ParsedIp {
  if (typeof text === 'string') {
    const v4 = tryParseIpv4(text);
    if (v4 !== null) return { family: 4, value: v4 };
    const v6 = tryParseIpv6(text);
    if (v6 !== null) return { family: 6, value: v6 };
  }
  throw new WgParseError(field, quote(text), 'not an IPv4 or IPv6 address');
}

/** Parses an IPv4 or IPv6 address into its canonical text. */
export function parseIpAddress(text: unknown): IpAddress {
  const { family, value } = parseIpParts(text);
  return formatIp(family, value);
}

export function ipFamily(address: IpAddress | IpCidr): IpFamily {
  return address.includes(':') ? 6 : 4;
}

export interface CidrParts {
  readonly family: IpFamily;
  readonly value: bigint;
  readonly prefix: number;
  readonly address: IpAddress;
}

export function cidrParts(text: unknown, field = 'CIDR'): CidrParts {
  if (typeof text !== 'string') throw new WgParseError(field, quote(text), 'not a string');
  const slash = text.indexOf('/');
  if (slash < 0) throw new WgParseError(field, quote(text), 'missing /prefix');
  const ip = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  let parts: ParsedIp;
  try {
    parts = parseIpParts(ip, field);
  } catch {
    throw new WgParseError(field, quote(text), 'not an address/prefix');
  }
  const max = parts.family === 4 ? 32 : 128;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    throw new WgParseError(field, quote(text), `prefix must be 0..${max}`);
  }
  return { ...parts, prefix: Number(prefixText), address: formatIp(parts.family, parts.value) };
}

/** `address/prefix`; host bits may be set (interface addresses, client addresses). */
export function parseCidr(text: unknown): IpCidr {
  // Fast path: a canonical IPv4 `a.b.c.d/n` (V4 allows no leading zeros) is already its own canonical text.
  if (typeof text === 'string') {
    const slash = text.indexOf('/');
    if (slash > 0 && V4.test(text.slice(0, slash)) && /^(3[0-2]|[12]?\d)$/.test(text.slice(slash + 1))) return text as IpCidr;
  }
  const p = cidrParts(text);
  return `${p.address}/${p.prefix}` as IpCidr;
}

/** A network `address/prefix` whose host bits are all zero (a pool, a route). */
export function parseNetworkCidr(text: unknown): IpCidr {
  const p = cidrParts(text, 'network CIDR');
  const bits = p.family === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(bits - p.prefix)) - 1n;
  if ((p.value & hostMask) !== 0n) {
    throw new WgParseError('network CIDR', quote(text), 'host bits are set');
  }
  return `${p.address}/${p.prefix}` as IpCidr;
}

/** The single-host CIDR of an address: `/32` or `/128` (a peer's allowed-ips). */
export function hostCidr(address: IpAddress): IpCidr {
  return `${address}/${ipFamily(address) === 4 ? 32 : 128}` as IpCidr;
}

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `host:port`: IPv4, `[IPv6]` or a DNS name, and a port 1..65535. */
export function parseEndpoint(text: unknown): WgEndpoint {
  const fail = (why: string): never => {
    throw new WgParseError('endpoint', quote(text), why);
  };
  if (typeof text !== 'string') return fail('not a string');
  const colon = text.lastIndexOf(':');
  if (colon < 0) return fail('missing :port');
  const hostText = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (!/^[1-9]\d{0,4}$/.test(portText) || Number(portText) > 65535) return fail('port must be 1..65535');
  let host: string;
  if (hostText.startsWith('[') && hostText.endsWith(']')) {
    const v6 = tryParseIpv6(hostText.slice(1, -1));
    if (v6 === null) return fail('not an IPv6 address in brackets');
    host = `[${formatIp(6, v6)}]`;
  } else if (tryParseIpv4(hostText) !== null) {
    host = hostText;
  } else if (HOSTNAME.test(hostText) && !/^[\d.]+$/.test(hostText)) {
    host = hostText.toLowerCase();
  } else {
    return fail('host must be an IPv4 address, [IPv6] or a DNS name');
  }
  return `${host}:${Number(portText)}` as WgEndpoint;
}

export function endpointParts(endpoint: WgEndpoint): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(endpoint.slice(colon + 1)) };
}
