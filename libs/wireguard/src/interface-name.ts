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
