import type { TrustProxy } from '@vpn/runtime';

/** Express's `trust proxy` value for the TRUST_PROXY setting (false: the socket's address is the client). */
export function expressTrustProxy(trust: TrustProxy): boolean | number | string[] {
  switch (trust.kind) {
    case 'none': return false;
    case 'hops': return trust.hops;
    case 'addresses': return [...trust.addresses];
  }
}
