import { WgParseError, quote } from './errors';

declare const interfaceNameBrand: unique symbol;
/** A Linux network interface name usable by `wg`: `^[A-Za-z0-9_=+.-]{1,15}$`, not `.` or `..`. */
export type InterfaceName = string & { readonly [interfaceNameBrand]: true };

const INTERFACE_NAME = /^[A-Za-z0-9_=+.-]{1,15}$/;

export function parseInterfaceName(text: unknown): InterfaceName {
  if (typeof text !== 'string' || !INTERFACE_NAME.test(text) || text === '.' || text === '..') {
    throw new WgParseError('interface name', quote(text), 'must match ^[A-Za-z0-9_=+.-]{1,15}$');
  }
  return text as InterfaceName;
}
