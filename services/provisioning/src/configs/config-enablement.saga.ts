import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, VpnErrorCode, type ErrorCode } from '@vpn/contracts';
import { DataSource, type ConfigEntity, type SagaEntity, type SagaKind } from '@vpn/db';
import { parsePublicKey, type WgPublicKey } from '@vpn/wireguard';
import type { SagaDefinition, SagaStep } from '../sagas/saga-definition';
import { SagaRunner } from '../sagas/saga-runner';
import { SagasRepository } from '../sagas/sagas.repository';
import { ProvisionerInstance } from '../sagas/provisioner-instance';
import { ConfigPeers, type ChangedConfig } from './config-peers';
import { ConfigsRepository } from './configs.repository';

/** What the steps of a disable or enable share; rebuilt from the saga row by recovery. */
interface EnablementContext {
  sagaId: string;
  config: ChangedConfig;
  publicKey: WgPublicKey;
}

/**
 * Disable and enable: the peer off (on) the server first, then the config's `enabled` flag and the
 * saga's end in one transaction. Compensating: a failure, or a crash found by recovery, puts the
 * peer back as it was and ends the saga FAILED. Sync leaves the peer of a live one alone.
 */
abstract class ConfigEnablementSaga implements SagaDefinition<EnablementContext> {
  abstract readonly kind: SagaKind;
  protected abstract readonly enabled: boolean;
  readonly onCrash = 'compensate';
  readonly steps: ReadonlyArray<SagaStep<EnablementContext>> = [
    {
      name: 'change-peer',
      run: (c) => (this.enabled ? this.peers.add(c.sagaId, c.config, c.publicKey) : this.peers.remove(c.sagaId, c.config, c.publicKey)),
      undo: (c) => (this.enabled ? this.peers.remove(c.sagaId, c.config, c.publicKey) : this.peers.add(c.sagaId, c.config, c.publicKey)),
    },
    { name: 'finish', run: (c) => this.finish(c) },
  ];

  constructor(
    protected readonly ds: DataSource,
    protected readonly sagas: SagasRepository,
    protected readonly configs: ConfigsRepository,
    protected readonly runner: SagaRunner,
    protected readonly peers: ConfigPeers,
    protected readonly instance: ProvisionerInstance,
  ) {}

  async run(config: ChangedConfig & Pick<ConfigEntity, 'publicKey'>): Promise<void> {
    const sagaId = randomUUID();
    await this.sagas.beginChange({
      id: sagaId, kind: this.kind, userId: config.userId, serverId: config.serverId, configId: config.id, publicKey: config.publicKey,
      address: config.address, owner: this.instance.id, step: this.steps[0].name,
    });
    await this.runner.run(this, sagaId, { sagaId, config, publicKey: parsePublicKey(config.publicKey) });
  }

  async restore(row: SagaEntity): Promise<EnablementContext> {
    const current = await this.configs.owned(row.userId, row.configId);
    const config = { id: row.configId, userId: row.userId, serverId: row.serverId, address: row.address, status: current?.status ?? 'active' };
    return { sagaId: row.id, config, publicKey: parsePublicKey(row.publicKey) };
  }

  async failed(c: EnablementContext, code: ErrorCode): Promise<void> {
    await this.sagas.markFailed(this.ds.manager, c.sagaId, code);
  }

  private async finish(c: EnablementContext): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.configs.setEnabled(m, c.config.id, this.enabled);
      if (!(await this.sagas.finishChange(m, c.sagaId, this.instance.id))) {
        throw new DomainError(VpnErrorCode.PROVISIONING_FAILED, 'the change was taken over before it could finish');
      }
    });
  }
}

@Injectable()
export class ConfigDisableSaga extends ConfigEnablementSaga {
  readonly kind = 'disable';
  protected readonly enabled = false;

  constructor(
    @Inject(DataSource) ds: DataSource, @Inject(SagasRepository) sagas: SagasRepository, @Inject(ConfigsRepository) configs: ConfigsRepository,
    @Inject(SagaRunner) runner: SagaRunner, @Inject(ConfigPeers) peers: ConfigPeers, @Inject(ProvisionerInstance) instance: ProvisionerInstance,
  ) {
    super(ds, sagas, configs, runner, peers, instance);
  }
}

@Injectable()
export class ConfigEnableSaga extends ConfigEnablementSaga {
  readonly kind = 'enable';
  protected readonly enabled = true;

  constructor(
    @Inject(DataSource) ds: DataSource, @Inject(SagasRepository) sagas: SagasRepository, @Inject(ConfigsRepository) configs: ConfigsRepository,
    @Inject(SagaRunner) runner: SagaRunner, @Inject(ConfigPeers) peers: ConfigPeers, @Inject(ProvisionerInstance) instance: ProvisionerInstance,
  ) {
    super(ds, sagas, configs, runner, peers, instance);
  }
}
