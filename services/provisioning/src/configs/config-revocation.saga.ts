import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, isUuid, VpnErrorCode } from '@vpn/contracts';
import { DataSource, isUniqueViolation, queryRows } from '@vpn/db';
import { appendEvent, CommandBus } from '@vpn/messaging';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { parsePublicKey } from '@vpn/wireguard';
import { ServersRepository } from '../servers/servers.repository';
import { AddressAllocators } from './address-allocators';
import { PeerBatcher } from './peer-batcher';
import { keepRemoval } from './pending-removals';
import { ProvisionerInstance } from './provisioner-instance';

interface OwnedConfig {
  id: string;
  user_id: string;
  server_id: string;
  address: string;
  public_key: string;
}

/**
 * Revocation, the mirror image of creation: the peer leaves the server first, then the config row,
 * its lease and the event go in one transaction, then the device slot is freed. A saga row makes a
 * crash in between finish on recovery (a revoke always rolls forward). When the server cannot be
 * changed (unreachable, host key changed, wg failing) the user is not stranded: the row goes all the
 * same and the peer's removal is kept for the server's next successful sync.
 */
@Injectable()
export class ConfigRevocationSaga {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(AddressAllocators) private readonly allocators: AddressAllocators,
    @Inject(PeerBatcher) private readonly peers: PeerBatcher,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(userId: string, configId: string, actorId: string): Promise<void> {
    if (!isUuid(configId) || !isUuid(userId)) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    const rows = await queryRows<OwnedConfig>(this.ds,
      `SELECT id, user_id, server_id, address, public_key FROM vpn.configs WHERE id = $1 AND user_id = $2`, [configId, userId]);
    if (rows.length === 0) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    const config = rows[0];
    const sagaId = randomUUID();
    try {
      await this.ds.query(
        `INSERT INTO vpn.sagas (id, kind, state, user_id, server_id, config_id, public_key, address, owner)
         VALUES ($1, 'revoke', 'PENDING', $2, $3, $4, $5, $6, $7)`,
        [sagaId, userId, config.server_id, config.id, config.public_key, config.address, this.instance.id]);
    } catch (e) {
      // Another revoke of this config is running: it will finish the job.
      if (isUniqueViolation(e, 'sagas_one_live_revoke')) return;
      throw e;
    }
    await this.instance.track(sagaId, () => this.complete(sagaId, config, actorId));
  }

  /** Removes the peer, then the row; used by the first attempt and by recovery alike. */
  async complete(sagaId: string, config: OwnedConfig, actorId: string | null): Promise<void> {
    const publicKey = parsePublicKey(config.public_key);
    const server = await this.servers.find(config.server_id);
    let removalKept = false;
    if (server) {
      try {
        await this.peers.remove(server.id, server.target, server.interface, publicKey);
      } catch (e) {
        this.logger.warn({ sagaId, serverId: server.id, err: (e as Error).message }, 'removing the peer failed; the removal is kept for the next sync of the server');
        removalKept = true;
      }
    }
    await this.ds.transaction(async (m) => {
      const deleted = await queryRows<{ id: string }>(m, `DELETE FROM vpn.configs WHERE id = $1 RETURNING id`, [config.id]);
      if (removalKept && deleted.length > 0) await keepRemoval(m, { serverId: config.server_id, publicKey, configId: config.id, reason: 'revoked' });
      await m.query(`DELETE FROM vpn.leases WHERE owner_id = $1`, [config.id]);
      await m.query(`DELETE FROM vpn.peer_stats WHERE config_id = $1`, [config.id]);
      await m.query(`UPDATE vpn.sagas SET state = 'DONE', updated_at = now() WHERE id = $1`, [sagaId]);
      if (deleted.length > 0) {
        await appendEvent(m, 'config.revoked', { configId: config.id, userId: config.user_id, serverId: config.server_id, publicKey: config.public_key },
          { actorId, subject: config.id });
      }
    });
    this.allocators.release(config.server_id, config.address);
    try {
      await this.commands.request('limits.release', { deviceId: config.id });
      await this.ds.query(`UPDATE vpn.sagas SET slot_committed = true WHERE id = $1`, [sagaId]);
    } catch (e) {
      this.logger.warn({ sagaId, err: (e as Error).message }, 'freeing the device slot failed; recovery will finish it');
    }
  }
}
