import { addPeersCommand, parseCidr, parseInterfaceName, parsePublicKey, removePeersCommand, type InterfaceName, type RemoteCommand, type WgPublicKey } from '@vpn/wireguard';
import type { PeerChange } from './peer-reconciler';

/** Peers per `wg set` command: keeps argv far below the kernel's limit. */
export const PEERS_PER_SET = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every missing peer in one `wg addconf <if> /dev/stdin`. */
export function readdCommand(ifname: InterfaceName, add: readonly PeerChange[]): RemoteCommand {
  return addPeersCommand(ifname, add.map((a) => ({ publicKey: a.publicKey, allowedIps: a.allowedIps })));
}

/**
 * `wg set <if> peer K allowed-ips A peer K2 allowed-ips B …`: `wg set` replaces a peer's allowed-ips
 * (addconf would only append to them). Built from parsed keys and prefixes only.
 */
export function replaceAllowedIpsCommands(ifname: InterfaceName, fix: readonly PeerChange[]): RemoteCommand[] {
  const name = parseInterfaceName(ifname);
  return chunks(fix, PEERS_PER_SET).map((batch) => {
    const args = ['wg', 'set', name];
    for (const f of batch) args.push('peer', parsePublicKey(f.publicKey), 'allowed-ips', f.allowedIps.map((a) => parseCidr(a)).join(','));
    return { command: args.join(' ') };
  });
}

export function removeCommands(ifname: InterfaceName, keys: readonly WgPublicKey[]): RemoteCommand[] {
  return chunks(keys, PEERS_PER_SET * 2).map((batch) => removePeersCommand(ifname, batch));
}
