import type { ServerView, PublicServerView } from '@vpn/contracts';
import type { SshTarget } from '@vpn/ssh';
import { AddressPool, parseEndpoint, parseInterfaceName, parseIpAddress, parsePublicKey, type InterfaceName, type IpAddress, type WgEndpoint, type WgPublicKey } from '@vpn/wireguard';

/** A row of vpn.servers. */
export interface ServerRow {
  id: string;
  name: string;
  location: string;
  host: string;
  ssh_port: number;
  ssh_user: string;
  ssh_host_key: string;
  endpoint: string;
  interface: string;
  address_pool: string;
  dns: string[];
  public_key: string;
  listen_port: number;
  maintenance: boolean;
  reachable: boolean;
  last_sync_at: Date | null;
  /** bigint: changes whenever a value a provisioner acts on changes (migration 0008). */
  version: string;
  peer_count?: number;
}

export const SERVER_COLUMNS = `s.id, s.name, s.location, s.host, s.ssh_port, s.ssh_user, s.ssh_host_key, s.endpoint, s.interface,
  s.address_pool, s.dns, s.public_key, s.listen_port, s.maintenance, s.reachable, s.last_sync_at, s.version`;

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

export function toServer(r: ServerRow): Server {
  return {
    id: r.id,
    name: r.name,
    target: { host: r.host, port: r.ssh_port, username: r.ssh_user, hostKey: r.ssh_host_key },
    interface: parseInterfaceName(r.interface),
    pool: AddressPool.parse(r.address_pool),
    endpoint: parseEndpoint(r.endpoint),
    publicKey: parsePublicKey(r.public_key),
    dns: r.dns.map((d) => parseIpAddress(d)),
    maintenance: r.maintenance,
    version: r.version,
  };
}

export function toServerView(r: ServerRow): ServerView {
  return {
    id: r.id, name: r.name, location: r.location, host: r.host, sshPort: r.ssh_port, sshUser: r.ssh_user,
    endpoint: r.endpoint, interface: r.interface, addressPool: r.address_pool, dns: r.dns, publicKey: r.public_key,
    listenPort: r.listen_port, maintenance: r.maintenance, peerCount: r.peer_count ?? 0,
    lastSyncAt: r.last_sync_at ? r.last_sync_at.toISOString() : null, reachable: r.reachable,
  };
}

export function toPublicServerView(r: ServerRow): PublicServerView {
  return { id: r.id, name: r.name, location: r.location, maintenance: r.maintenance };
}
