import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, isUuid, VpnErrorCode } from '@vpn/contracts';
import { DataSource, isUniqueViolation, type ConfigEntity, type SagaEntity } from '@vpn/db';
import { appendEvent, CommandBus } from '@vpn/messaging';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { parsePublicKey, type WgPublicKey } from '@vpn/wireguard';
import { ServersRepository } from '../servers/servers.repository';
import type { SagaDefinition, SagaStep } from '../sagas/saga-definition';
import { SagaRunner } from '../sagas/saga-runner';
import { SagasRepository } from '../sagas/sagas.repository';
import { ProvisionerInstance } from '../sagas/provisioner-instance';
import { AddressAllocators } from './address-allocators';
import { ConfigsRepository } from './configs.repository';
import { PeerBatcher } from './peer-batcher';

type RevokedConfig = Pick<ConfigEntity, 'id' | 'userId' | 'serverId' | 'address' | 'publicKey'>;

interface RevokeContext {
  sagaId: string;
  config: RevokedConfig;
  publicKey: WgPublicKey;
  actorId: string | null;
  /** The peer could not be taken off the server: its removal is kept for the server's next sync. */
  removalKept: boolean;
}

/**
 * Revocation, the mirror image of creation: the peer leaves the server first, then the config row,
 * its lease and the event go in one transaction, then the device slot is freed. It always rolls
 * forward: recovery resumes it from its last started step. When the server cannot be changed
 * (unreachable, host key changed, wg failing) the user is not stranded: the row goes all the same
 * and the peer's removal is kept for the server's next successful sync.
 */
@Injectable()
export class ConfigRevocationSaga implements SagaDefinition<RevokeContext> {
  readonly kind = 'revoke';
  readonly onCrash = 'resume';
  readonly steps: ReadonlyArray<SagaStep<RevokeContext>> = [
    { name: 'remove-peer', run: (c) => this.removePeer(c) },
    { name: 'delete-config', run: (c) => this.deleteConfig(c) },
    { name: 'release-slot', run: (c) => this.releaseSlot(c) },
  ];

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SagasRepository) private readonly sagas: SagasRepository,
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
    @Inject(SagaRunner) private readonly runner: SagaRunner,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(AddressAllocators) private readonly allocators: AddressAllocators,
    @Inject(PeerBatcher) private readonly peers: PeerBatcher,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(userId: string, configId: string, actorId: string): Promise<void> {
    const config = isUuid(configId) && isUuid(userId) ? await this.configs.owned(userId, configId) : null;
    if (!config) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    const sagaId = randomUUID();
    try {
      await this.sagas.beginRevoke({
        id: sagaId, userId, serverId: config.serverId, configId: config.id, publicKey: config.publicKey, address: config.address,
        owner: this.instance.id, step: this.steps[0].name,
      });
    } catch (e) {
      // Another revoke of this config is running: it will finish the job.
      if (isUniqueViolation(e, 'sagas_one_live_revoke')) return;
      throw e;
    }
    await this.runner.run(this, sagaId, { sagaId, config, publicKey: parsePublicKey(config.publicKey), actorId, removalKept: false });
  }

  async restore(row: SagaEntity): Promise<RevokeContext> {
    const config = { id: row.configId, userId: row.userId, serverId: row.serverId, address: row.address, publicKey: row.publicKey };
    // Past the peer's removal its outcome is unknown: keep the removal (removing an absent peer is harmless).
    return { sagaId: row.id, config, publicKey: parsePublicKey(row.publicKey), actorId: null, removalKept: row.step !== this.steps[0].name };
  }

  private async removePeer(c: RevokeContext): Promise<void> {
    const server = await this.servers.find(c.config.serverId);
    c.removalKept = false;
    if (!server) return;
    try {
      await this.peers.remove(server.id, server.target, server.interface, c.publicKey);
    } catch (e) {
      this.logger.warn({ sagaId: c.sagaId, serverId: server.id, err: (e as Error).message }, 'removing the peer failed; the removal is kept for the next sync of the server');
      c.removalKept = true;
    }
  }

  private async deleteConfig(c: RevokeContext): Promise<void> {
    const { config } = c;
    await this.ds.transaction(async (m) => {
      const keep = c.removalKept ? { serverId: config.serverId, publicKey: c.publicKey, configId: config.id, reason: 'revoked' as const } : null;
      if (await this.configs.remove(m, config, keep)) {
        await appendEvent(m, 'config.revoked', { configId: config.id, userId: config.userId, serverId: config.serverId, publicKey: config.publicKey },
          { actorId: c.actorId, subject: config.id });
      }
    });
    this.allocators.release(config.serverId, config.address);
  }

  /** The saga's end. A failure is not the user's: the config is gone, and recovery frees the slot later. */
  private async releaseSlot(c: RevokeContext): Promise<void> {
    try {
      await this.commands.request('limits.release', { deviceId: c.config.id });
      await this.sagas.complete(c.sagaId);
    } catch (e) {
      this.logger.warn({ sagaId: c.sagaId, err: (e as Error).message }, 'freeing the device slot failed; recovery will finish it');
    }
  }
}
