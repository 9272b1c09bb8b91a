import type { EntityManager } from '@vpn/db';
import type { WgPublicKey } from '@vpn/wireguard';

/** A peer that must leave a server the control plane could not change when its config went. */
export interface KeptRemoval {
  serverId: string;
  publicKey: WgPublicKey;
  configId: string;
  reason: 'revoked';
}

/**
 * Keeps a removal in the transaction that deletes its config: the next successful sync of the server
 * applies it (services/sync, `planReconciliation`), uncapped, and deletes the row.
 */
export async function keepRemoval(m: EntityManager, r: KeptRemoval): Promise<void> {
  await m.query(`INSERT INTO vpn.pending_peer_removals (server_id, public_key, config_id, reason) VALUES ($1, $2, $3, $4)`,
    [r.serverId, r.publicKey, r.configId, r.reason]);
}
