export * from './data-source';
export * from './db-errors';
export * from './statements';
export * from './entities';
export { MIGRATIONS } from './migrations';
export { OutboxMessageEntity } from './messaging/outbox-message.entity';
export { InboxEntryEntity } from './messaging/inbox-entry.entity';
export { AuditEntryEntity } from './audit/audit-entry.entity';
export {
  AccountEntity, DeviceSlotEntity, PlanEntity, SubscriptionEntity, UsageBatchEntity, UsagePeriodEntity,
  type DeviceSlotStatus, type PlanResetStrategy, type SubscriptionStatusValue,
} from './billing';
export { LoginAttemptEntity, PasswordResetTokenEntity, RecoveryCodeEntity, RefreshTokenEntity, UserEntity, type UserRole } from './auth';
export {
  ConfigEntity, LeaseEntity, PeerStatsEntity, PendingPeerRemovalEntity, ProvisionerEntity, SagaEntity, ServerEntity,
  ServerSyncStateEntity, SyncLeaseEntity, UsageSampleEntity, type SagaKind, type SagaState, type VpnConfigStatus,
} from './vpn';
export { DataSource, EntityManager } from 'typeorm';
