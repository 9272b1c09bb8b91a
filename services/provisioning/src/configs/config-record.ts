import { CONNECTED_WITHIN_SECONDS, type ConfigStatus, type ConfigView } from '@vpn/contracts';

/** A config as the API shows it, as its repository reads it. */
export interface ConfigRow {
  id: string;
  user_id: string;
  server_id: string;
  server_name: string;
  name: string;
  address: string;
  public_key: string;
  status: ConfigStatus;
  created_at: Date;
  last_handshake_at: Date | null;
  rx_total: string | null;
  tx_total: string | null;
  enabled: boolean;
  dns: string[] | null;
  mtu: number | null;
  allowed_ips: string[];
  persistent_keepalive: number | null;
}

export function toConfigView(r: ConfigRow): ConfigView {
  return {
    id: r.id,
    name: r.name,
    serverId: r.server_id,
    serverName: r.server_name,
    address: `${r.address}/32`,
    publicKey: r.public_key,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    lastHandshakeAt: r.last_handshake_at ? r.last_handshake_at.toISOString() : null,
    rxBytes: Number(r.rx_total ?? 0),
    txBytes: Number(r.tx_total ?? 0),
    enabled: r.enabled,
    dns: r.dns,
    mtu: r.mtu,
    allowedIps: r.allowed_ips,
    persistentKeepalive: r.persistent_keepalive,
    connected: r.last_handshake_at !== null && Date.now() - r.last_handshake_at.getTime() <= CONNECTED_WITHIN_SECONDS * 1000,
  };
}
