import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PLATFORM_CONFIG, SshModule } from '@vpn/platform';
import type { PlatformConfig } from '@vpn/runtime';
import { SshPool } from '@vpn/ssh';
import { AddressAllocators } from './configs/address-allocators';
import { ConfigCreationSaga } from './configs/config-creation.saga';
import { ConfigRevocationSaga } from './configs/config-revocation.saga';
import { ConfigsRepository } from './configs/configs.repository';
import { ConfigsService } from './configs/configs.service';
import { ConfigDisableSaga, ConfigEnableSaga } from './configs/config-enablement.saga';
import { ConfigPeers } from './configs/config-peers';
import { ConfigRekeySaga } from './configs/config-rekey.saga';
import { DevicesService } from './configs/devices.service';
import { PeerBatcher } from './configs/peer-batcher';
import { ProvisionerInstance } from './sagas/provisioner-instance';
import { ProvisionersRepository } from './sagas/provisioners.repository';
import { SAGA_DEFINITIONS } from './sagas/saga-definition';
import { DEFAULT_RECOVERY_TIMING, RECOVERY_TIMING, SagaRecovery } from './sagas/saga-recovery';
import { SagaRunner } from './sagas/saga-runner';
import { SagasRepository } from './sagas/sagas.repository';
import { ServersRepository } from './servers/servers.repository';
import { ServersService } from './servers/servers.service';
import { LimitsClient } from './configs/limits-client';
import { ProvisioningCommandsController } from './provisioning.controller';

/** Server registry, the config sagas and their recovery (schema `vpn`); serves `server.*` and `config.*`. */
@Module({
  controllers: [ProvisioningCommandsController],
  imports: [ScheduleModule.forRoot(), SshModule.forRoot({ commandTimeoutMs: 10_000 })],
  providers: [
    { provide: PeerBatcher, inject: [SshPool], useFactory: (ssh: SshPool) => new PeerBatcher(ssh) },
    { provide: RECOVERY_TIMING, inject: [PLATFORM_CONFIG], useFactory: (c: PlatformConfig) => ({ ...DEFAULT_RECOVERY_TIMING, ...c.sagaRecovery }) },
    ProvisionerInstance,
    ProvisionersRepository,
    ServersRepository,
    ServersService,
    ConfigsRepository,
    SagasRepository,
    SagaRunner,
    AddressAllocators,
    LimitsClient,
    ConfigCreationSaga,
    ConfigRevocationSaga,
    ConfigPeers,
    ConfigDisableSaga,
    ConfigEnableSaga,
    ConfigRekeySaga,
    // Recovery finds a saga's definition by its kind.
    {
      provide: SAGA_DEFINITIONS,
      inject: [ConfigCreationSaga, ConfigRevocationSaga, ConfigDisableSaga, ConfigEnableSaga, ConfigRekeySaga],
      useFactory: (...defs: unknown[]) => defs,
    },
    SagaRecovery,
    ConfigsService,
    DevicesService,
  ],
})
export class ProvisioningModule {}
