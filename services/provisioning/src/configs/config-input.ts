import { CommonErrorCode, DomainError, VpnErrorCode, type DeviceOptions } from '@vpn/contracts';
import {
  DEFAULT_PERSISTENT_KEEPALIVE, FULL_TUNNEL, parseIpAddress, parseKeepalive, parseMtu, parseNetworkCidr, parsePeerPublicKey,
  type IpAddress, type IpCidr, type WgPublicKey,
} from '@vpn/wireguard';

/** A device's key as the client sent it: base64 of 32 bytes, not the all-zero key. */
export function parseClientPublicKey(value: unknown): WgPublicKey {
  try {
    return parsePeerPublicKey(value);
  } catch {
    throw new DomainError(VpnErrorCode.INVALID_PUBLIC_KEY, 'publicKey must be the base64 of exactly 32 bytes, and not the all-zero key');
  }
}

/** A device key usable on this server: never the server's own interface key (WireGuard would ignore such a peer). */
export function parseDeviceKeyFor(server: { readonly publicKey: WgPublicKey }, key: WgPublicKey): WgPublicKey {
  if (key === server.publicKey) throw new DomainError(VpnErrorCode.INVALID_PUBLIC_KEY, "publicKey is the server's own key; a device needs a key of its own");
  return key;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export function parseIdempotencyKey(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1–128 visible ASCII characters');
  }
  return value;
}

/** A device's own client options, parsed: what its conf renders. */
export interface DeviceSettings {
  /** null: the server's DNS. */
  dns: IpAddress[] | null;
  mtu: number | null;
  allowedIps: IpCidr[];
  persistentKeepalive: number | null;
}

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  dns: null, mtu: null, allowedIps: [...FULL_TUNNEL], persistentKeepalive: DEFAULT_PERSISTENT_KEEPALIVE,
};

const MAX_DNS = 8;
const MAX_ALLOWED_IPS = 64;

function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `${name}: ${(e as Error).message}`);
  }
}

function list(name: string, value: unknown, max: number): unknown[] {
  if (!Array.isArray(value) || value.length > max) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `${name} must be a list of at most ${max}`);
  return value;
}

/** The options a request names (absent stays absent), each parsed into its type; a bad one is VALIDATION_FAILED naming it. */
export function parseDeviceOptions(req: DeviceOptions): Partial<DeviceSettings> {
  const out: Partial<DeviceSettings> = {};
  if (req.dns !== undefined) {
    out.dns = req.dns === null ? null : [...new Set(list('dns', req.dns, MAX_DNS).map((d) => field('dns', () => parseIpAddress(d))))];
  }
  if (req.mtu !== undefined) out.mtu = req.mtu === null ? null : field('mtu', () => parseMtu(req.mtu));
  if (req.allowedIps !== undefined) {
    const cidrs = list('allowedIps', req.allowedIps, MAX_ALLOWED_IPS).map((c) => field('allowedIps', () => parseNetworkCidr(c)));
    if (cidrs.length === 0) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'allowedIps must name at least one network');
    out.allowedIps = [...new Set(cidrs)];
  }
  if (req.persistentKeepalive !== undefined) {
    out.persistentKeepalive = req.persistentKeepalive === null ? null : field('persistentKeepalive', () => parseKeepalive(req.persistentKeepalive));
  }
  return out;
}
