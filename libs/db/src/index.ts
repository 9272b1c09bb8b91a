export * from './data-source';
export * from './entities';
export { MIGRATIONS } from './migrations';
export { OutboxMessageEntity } from './messaging/outbox-message.entity';
export { InboxEntryEntity } from './messaging/inbox-entry.entity';
export { AccountEntity, DeviceSlotEntity, PlanEntity, type DeviceSlotStatus } from './billing';
export { LoginAttemptEntity, RefreshTokenEntity, UserEntity, type UserRole } from './auth';
export { DataSource, EntityManager } from 'typeorm';
