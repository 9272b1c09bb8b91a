import { ConfigEntity } from './config.entity';
import { LeaseEntity } from './lease.entity';
import { PeerStatsEntity } from './peer-stats.entity';
import { PendingPeerRemovalEntity } from './pending-peer-removal.entity';
import { ProvisionerEntity } from './provisioner.entity';
import { SagaEntity } from './saga.entity';
import { ServerSyncStateEntity } from './server-sync-state.entity';
import { ServerEntity } from './server.entity';
import { SyncLeaseEntity } from './sync-lease.entity';
import { UsageSampleEntity } from './usage-sample.entity';

export {
  ConfigEntity, LeaseEntity, PeerStatsEntity, PendingPeerRemovalEntity, ProvisionerEntity, SagaEntity, ServerEntity,
  ServerSyncStateEntity, SyncLeaseEntity, UsageSampleEntity,
};
export type { VpnConfigStatus } from './config.entity';
export type { SagaKind, SagaState } from './saga.entity';

/** The vpn context: provisioning's servers, configs, sagas and leases; sync's state and statistics. */
export const VPN_ENTITIES = [
  ServerEntity, ConfigEntity, LeaseEntity, SagaEntity, ProvisionerEntity, PendingPeerRemovalEntity,
  PeerStatsEntity, UsageSampleEntity, SyncLeaseEntity, ServerSyncStateEntity,
];
