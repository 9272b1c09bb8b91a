import { AuditEntryEntity } from './audit/audit-entry.entity';
import { AUTH_ENTITIES } from './auth';
import { BILLING_ENTITIES } from './billing';
import { InboxEntryEntity } from './messaging/inbox-entry.entity';
import { OutboxMessageEntity } from './messaging/outbox-message.entity';
import { VPN_ENTITIES } from './vpn';

/** Entities per context. A service registers its own context's list plus the messaging tables. */
export const MESSAGING_ENTITIES = [OutboxMessageEntity, InboxEntryEntity];

export const AUDIT_ENTITIES = [AuditEntryEntity];

export { AUTH_ENTITIES, BILLING_ENTITIES, VPN_ENTITIES };

export const ALL_ENTITIES = [...MESSAGING_ENTITIES, ...AUTH_ENTITIES, ...BILLING_ENTITIES, ...AUDIT_ENTITIES, ...VPN_ENTITIES];
