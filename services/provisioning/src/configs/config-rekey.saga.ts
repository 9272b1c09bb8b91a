import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, VpnErrorCode, type ErrorCode } from '@vpn/contracts';
import { DataSource, isUniqueViolation, type ConfigEntity, type SagaEntity } from '@vpn/db';
import { parsePublicKey, type WgPublicKey } from '@vpn/wireguard';
import type { SagaDefinition, SagaStep } from '../sagas/saga-definition';
import { SagaRunner } from '../sagas/saga-runner';
import { SagasRepository } from '../sagas/sagas.repository';
import { ProvisionerInstance } from '../sagas/provisioner-instance';
import { ConfigPeers, type ChangedConfig } from './config-peers';
import { ConfigsRepository } from './configs.repository';

interface RekeyContext {
  sagaId: string;
  config: ChangedConfig & Pick<ConfigEntity, 'enabled'>;
  oldKey: WgPublicKey;
  newKey: WgPublicKey;
}

/**
 * A new key for the same address and name. The new key takes the config's lease with the saga row
 * (unique: a key in use is refused before anything runs); then the old peer leaves the server, the
 * new one joins (a disabled device stays off), and the config takes the key with the saga's end.
 * Compensating: a failure or a crash puts the old peer and lease back and ends the saga FAILED.
 */
@Injectable()
export class ConfigRekeySaga implements SagaDefinition<RekeyContext> {
  readonly kind = 'rekey';
  readonly onCrash = 'compensate';
  readonly steps: ReadonlyArray<SagaStep<RekeyContext>> = [
    { name: 'remove-old-peer', run: (c) => this.peers.remove(c.sagaId, c.config, c.oldKey), undo: (c) => this.onServer(c, c.oldKey) },
    { name: 'add-new-peer', run: (c) => this.onServer(c, c.newKey), undo: (c) => this.peers.remove(c.sagaId, c.config, c.newKey) },
    { name: 'finish', run: (c) => this.finish(c) },
  ];

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SagasRepository) private readonly sagas: SagasRepository,
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
    @Inject(SagaRunner) private readonly runner: SagaRunner,
    @Inject(ConfigPeers) private readonly peers: ConfigPeers,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
  ) {}

  async run(config: RekeyContext['config'] & Pick<ConfigEntity, 'publicKey'>, newKey: WgPublicKey): Promise<void> {
    if (newKey === config.publicKey) throw new DomainError(VpnErrorCode.PUBLIC_KEY_IN_USE, 'this is the device\'s current key; a re-key needs a new one');
    const sagaId = randomUUID();
    try {
      await this.sagas.beginChange({
        id: sagaId, kind: this.kind, userId: config.userId, serverId: config.serverId, configId: config.id, publicKey: newKey,
        previousPublicKey: config.publicKey, address: config.address, owner: this.instance.id, step: this.steps[0].name,
      }, (m) => this.configs.leaseKey(m, config.id, newKey));
    } catch (e) {
      if (isUniqueViolation(e, 'leases_public_key_key')) throw new DomainError(VpnErrorCode.PUBLIC_KEY_IN_USE, 'this public key is already used by a config');
      throw e;
    }
    await this.runner.run(this, sagaId, { sagaId, config, oldKey: parsePublicKey(config.publicKey), newKey });
  }

  async restore(row: SagaEntity): Promise<RekeyContext> {
    const current = await this.configs.owned(row.userId, row.configId);
    const config = {
      id: row.configId, userId: row.userId, serverId: row.serverId, address: row.address,
      status: current?.status ?? 'active', enabled: current?.enabled ?? true,
    };
    return { sagaId: row.id, config, oldKey: parsePublicKey(row.previousPublicKey), newKey: parsePublicKey(row.publicKey) };
  }

  /** The old key takes the lease back and the saga ends FAILED, in one transaction. */
  async failed(c: RekeyContext, code: ErrorCode): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.configs.leaseKey(m, c.config.id, c.oldKey);
      await this.sagas.markFailed(m, c.sagaId, code);
    });
  }

  /** A disabled device's key is not on the server: it stays off with its new key too. */
  private async onServer(c: RekeyContext, key: WgPublicKey): Promise<void> {
    if (c.config.enabled) await this.peers.add(c.sagaId, c.config, key);
  }

  private async finish(c: RekeyContext): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.configs.setKey(m, c.config.id, c.newKey);
      if (!(await this.sagas.finishChange(m, c.sagaId, this.instance.id))) {
        throw new DomainError(VpnErrorCode.PROVISIONING_FAILED, 'the re-key was taken over before it could finish');
      }
    });
  }
}
