import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventPayload, EventType } from '@vpn/contracts';
import { OUTBOX_CHANNEL } from '@vpn/messaging';

export interface PendingEvent<T extends EventType = EventType> {
  type: T;
  data: EventPayload<T>;
  actorId?: string | null;
  subject?: string | null;
}

/**
 * `appendEvent` for many events at once: one INSERT … unnest and one notify, in the caller's
 * transaction (a 10,000-peer re-add would otherwise cost 10,000 round trips). Same rows as appendEvent.
 */
export async function appendEvents(manager: EntityManager, events: readonly PendingEvent[]): Promise<void> {
  if (events.length === 0) return;
  const occurredAt = new Date().toISOString();
  const ids: string[] = [];
  const types: string[] = [];
  const envelopes: string[] = [];
  for (const e of events) {
    const envelope: EventEnvelope = { id: randomUUID(), type: e.type, occurredAt, actorId: e.actorId ?? null, subject: e.subject ?? null, data: e.data };
    ids.push(envelope.id);
    types.push(e.type);
    envelopes.push(JSON.stringify(envelope));
  }
  await manager.query(
    `INSERT INTO messaging.outbox (id, type, envelope) SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])`,
    [ids, types, envelopes],
  );
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
