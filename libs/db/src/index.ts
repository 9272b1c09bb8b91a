export * from './data-source';
export * from './entities';
export { MIGRATIONS } from './migrations';
export { OutboxMessageEntity } from './messaging/outbox-message.entity';
export { InboxEntryEntity } from './messaging/inbox-entry.entity';
export { DataSource, EntityManager } from 'typeorm';
