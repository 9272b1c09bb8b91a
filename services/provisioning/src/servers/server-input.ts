import { CommonErrorCode, DomainError, type RegisterServerCommand } from '@vpn/contracts';
import {
  AddressPool, parseEndpoint, parseInterfaceName, parseIpAddress, WgParseError,
  type InterfaceName, type IpAddress, type WgEndpoint,
} from '@vpn/wireguard';
import { parseHostKeyPin, type HostKeyPin } from '@vpn/ssh';
import ipaddr from 'ipaddr.js';

/** A server registration after parsing: every value that will reach a command or a conf is typed. */
export interface ServerSpec {
  name: string;
  location: string;
  host: string;
  sshPort: number;
  sshUser: string;
  sshHostKey: string | null;
  endpoint: WgEndpoint;
  interface: InterfaceName;
  addressPool: AddressPool;
  dns: IpAddress[];
}

const DISPLAY_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;
const LOCATION = /^[\p{L}\p{N} ,.()'_-]{0,64}$/u;
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const SSH_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function invalid(field: string, why: string): never {
  throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `${field} ${why}`);
}

function wg<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof WgParseError) invalid(field, `is invalid: ${e.message}`);
    throw e;
  }
}

/** A display name (server or config): 1–64 letters, digits, space, `.`, `_`, `-`, no outer spaces. */
export function parseDisplayName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !DISPLAY_NAME.test(value) || value.trim() !== value) {
    invalid(field, 'must be 1–64 letters, digits, spaces, ".", "_" or "-"');
  }
  return value;
}

export function parseLocation(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || !LOCATION.test(value)) invalid('location', 'must be at most 64 letters, digits, spaces and , . ( ) \' _ -');
  return value.trim();
}

/**
 * An SSH host in its one spelling: an IP address as canonical text (an IPv4-mapped IPv6 address as
 * IPv4), or a DNS name lower-cased. Numeric-looking names that are not a plain dotted quad (`127.1`,
 * `0x7f000001`, `2130706433`, `0177.0.0.1`) are refused: resolvers read them as IPv4 in other notations.
 */
export function parseHost(value: unknown): string {
  if (typeof value !== 'string') invalid('host', 'must be a hostname or IP address');
  if (value.includes(':')) {
    // Zone ids (`%eth0`) name a link of this machine, not a server.
    if (!ipaddr.IPv6.isValid(value) || value.includes('%')) invalid('host', 'is not a valid IPv6 address');
    return ipaddr.process(value).toString();
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) {
    const canonical = ipaddr.IPv4.parse(value).toString();
    if (canonical !== value) invalid('host', `must be written ${canonical} (no leading zeros)`);
    return canonical;
  }
  if (!HOSTNAME.test(value) || looksNumeric(value)) invalid('host', 'must be a DNS name or an IP address in its usual notation');
  return value.toLowerCase();
}

/** A name whose last label is a number (WHATWG URL's "ends in a number"), or that any resolver could read as IPv4. */
function looksNumeric(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return /^\d+$/.test(last) || /^0x[0-9a-f]*$/i.test(last) || ipaddr.IPv4.isValid(name);
}

/** An SSH host key pin as stored: `type base64` of an OpenSSH key line (comment dropped), or a `SHA256:` fingerprint. */
export function parseHostKeyPinText(value: unknown, field = 'sshHostKey'): string {
  const why = 'must be an OpenSSH public key line or a SHA256: fingerprint';
  if (typeof value !== 'string' || value.length > 8_192 || /[\r\n\0]/.test(value)) invalid(field, why);
  let pin: HostKeyPin;
  try {
    pin = parseHostKeyPin(value);
  } catch {
    invalid(field, why);
  }
  return pin.kind === 'fingerprint' ? pin.fingerprint : `${pin.type} ${pin.blob.toString('base64')}`;
}

export function parsePort(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) invalid(field, 'must be an integer 1–65535');
  return value;
}

export function parseDnsList(value: unknown): IpAddress[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 4) invalid('dns', 'must be a list of at most 4 IP addresses');
  return value.map((d) => wg('dns', () => parseIpAddress(d)));
}

export function parseServerSpec(input: RegisterServerCommand): ServerSpec {
  const sshHostKey = input.sshHostKey === undefined || input.sshHostKey === null ? null : parseHostKeyPinText(input.sshHostKey);
  const sshUser = input.sshUser ?? 'root';
  if (typeof sshUser !== 'string' || !SSH_USER.test(sshUser)) invalid('sshUser', 'must be a POSIX user name');
  const pool = wg('addressPool', () => AddressPool.parse(input.addressPool));
  if (pool.family !== 4) invalid('addressPool', 'must be an IPv4 network for now');
  return {
    name: parseDisplayName(input.name),
    location: parseLocation(input.location),
    host: parseHost(input.host),
    sshPort: input.sshPort === undefined ? 22 : parsePort(input.sshPort, 'sshPort'),
    sshUser,
    sshHostKey,
    endpoint: wg('endpoint', () => parseEndpoint(input.endpoint)),
    interface: wg('interface', () => parseInterfaceName(input.interface ?? 'wg0')),
    addressPool: pool,
    dns: parseDnsList(input.dns),
  };
}
