import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SshPool } from '@vpn/ssh';
import { AddressAllocators } from './configs/address-allocators';
import { ConfigCreationSaga } from './configs/config-creation.saga';
import { ConfigRevocationSaga } from './configs/config-revocation.saga';
import { ConfigsService } from './configs/configs.service';
import { PeerBatcher } from './configs/peer-batcher';
import { ProvisionerInstance } from './configs/provisioner-instance';
import { DEFAULT_RECOVERY_TIMING, RECOVERY_TIMING, SagaRecovery } from './configs/saga-recovery';
import { ServersRepository } from './servers/servers.repository';
import { ServersService } from './servers/servers.service';
import { LimitsClient } from './configs/limits-client';
import { ProvisioningCommandsController } from './provisioning.controller';
import { sshProviders, SshPoolCloser } from './ssh/ssh.providers';

/** Server registry, the config sagas and their recovery (schema `vpn`); serves `server.*` and `config.*`. */
@Module({
  controllers: [ProvisioningCommandsController],
  imports: [ScheduleModule.forRoot()],
  providers: [
    ...sshProviders,
    SshPoolCloser,
    { provide: PeerBatcher, inject: [SshPool], useFactory: (ssh: SshPool) => new PeerBatcher(ssh) },
    { provide: RECOVERY_TIMING, useFactory: () => recoveryTimingFromEnv() },
    ProvisionerInstance,
    ServersRepository,
    ServersService,
    AddressAllocators,
    LimitsClient,
    ConfigCreationSaga,
    ConfigRevocationSaga,
    SagaRecovery,
    ConfigsService,
  ],
})
export class ProvisioningModule {}

/** Tests shorten the recovery clock with SAGA_RECOVERY_* (ms); production keeps the defaults. */
function recoveryTimingFromEnv() {
  const n = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);
  return {
    heartbeatMs: n(process.env.SAGA_RECOVERY_HEARTBEAT_MS, DEFAULT_RECOVERY_TIMING.heartbeatMs),
    staleAfterMs: n(process.env.SAGA_RECOVERY_STALE_MS, DEFAULT_RECOVERY_TIMING.staleAfterMs),
    stuckAfterMs: n(process.env.SAGA_RECOVERY_STUCK_MS, DEFAULT_RECOVERY_TIMING.stuckAfterMs),
  };
}
