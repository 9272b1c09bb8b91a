import type { PublicServerView, ServerView } from '@vpn/contracts';
import type { ServerEntity, ServerSyncStateEntity } from '@vpn/db';
import type { SshTarget } from '@vpn/ssh';
import { AddressPool, parseEndpoint, parseInterfaceName, parseIpAddress, parsePublicKey, type InterfaceName, type IpAddress, type WgEndpoint, type WgPublicKey } from '@vpn/wireguard';

/** A registered server with its values parsed again on the way out of the database. */
export interface Server {
  id: string;
  name: string;
  target: SshTarget;
  interface: InterfaceName;
  pool: AddressPool;
  endpoint: WgEndpoint;
  publicKey: WgPublicKey;
  dns: IpAddress[];
  maintenance: boolean;
  /** The row's version when it was read: a saga's first statement checks it is still current. */
  version: string;
}

/** A server as the admin sees it: its row, its number of configs and sync's state of it (none before its first run). */
export interface ServerListing {
  server: ServerEntity;
  peerCount: number;
  sync: Pick<ServerSyncStateEntity, 'reachable' | 'lastSyncAt'> | null;
}

export function toServer(r: ServerEntity): Server {
  return {
    id: r.id,
    name: r.name,
    target: { host: r.host, port: r.sshPort, username: r.sshUser, hostKey: r.sshHostKey },
    interface: parseInterfaceName(r.interface),
    pool: AddressPool.parse(r.addressPool),
    endpoint: parseEndpoint(r.endpoint),
    publicKey: parsePublicKey(r.publicKey),
    dns: r.dns.map((d) => parseIpAddress(d)),
    maintenance: r.maintenance,
    version: r.version,
  };
}

export function toServerView({ server: r, peerCount, sync }: ServerListing): ServerView {
  return {
    id: r.id, name: r.name, location: r.location, host: r.host, sshPort: r.sshPort, sshUser: r.sshUser,
    endpoint: r.endpoint, interface: r.interface, addressPool: r.addressPool, dns: r.dns, publicKey: r.publicKey,
    listenPort: r.listenPort, maintenance: r.maintenance, peerCount,
    lastSyncAt: sync?.lastSyncAt ? sync.lastSyncAt.toISOString() : null, reachable: sync?.reachable ?? true,
  };
}

export function toPublicServerView({ server: r }: ServerListing): PublicServerView {
  return { id: r.id, name: r.name, location: r.location, maintenance: r.maintenance };
}
