import { WgParseError, quote } from './errors';

declare const interfaceNameBrand: unique symbol;
/** A Linux network interface name usable by `wg`: `^[A-Za-z0-9_=+.-]{1,15}$`, not `.` or `..`, no leading `-`. */
export type InterfaceName = string & { readonly [interfaceNameBrand]: true };

// No leading `-`: as an argument it would be read as an option (`wg show -h`).
const INTERFACE_NAME = /^(?!-)[A-Za-z0-9_=+.-]{1,15}$/;

export function parseInterfaceName(text: unknown): InterfaceName {
  if (typeof text !== 'string' || !INTERFACE_NAME.test(text) || text === '.' || text === '..') {
    throw new WgParseError('interface name', quote(text), 'must match ^[A-Za-z0-9_=+.-]{1,15}$ and not start with -');
  }
  return text as InterfaceName;
}

const DEFAULT_CONF_NAME = 'wg0';

/**
 * The file name of a device's `.conf`: wg-quick names the interface after the file, so the stem
 * must be a valid interface name. Spaces become `_`, other characters outside the set are dropped,
 * then it is cut to 15; nothing usable left gives `wg0`. ("My work laptop" → "My_work_laptop.conf")
 */
export function confFileName(deviceName: string): string {
  const stem = deviceName.trim().replace(/\s+/g, '_').replace(/[^A-Za-z0-9_=+.-]/g, '').replace(/^-+/, '').slice(0, 15);
  return `${stem === '' || stem === '.' || stem === '..' ? DEFAULT_CONF_NAME : stem}.conf`;
}
