import { InboxEntryEntity } from './messaging/inbox-entry.entity';
import { OutboxMessageEntity } from './messaging/outbox-message.entity';

/** Entities per context. A service registers its own context's list plus the messaging tables. */
export const MESSAGING_ENTITIES = [OutboxMessageEntity, InboxEntryEntity];

export const ALL_ENTITIES = [...MESSAGING_ENTITIES];
