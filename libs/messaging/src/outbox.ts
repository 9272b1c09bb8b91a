import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventPayload, EventType } from '@vpn/contracts';

export interface EventMeta {
  actorId?: string | null;
  subject?: string | null;
}

/**
 * A new event envelope. For a hot path that writes its change and its event in one SQL statement,
 * insert it into messaging.outbox in that statement and call `pg_notify(OUTBOX_CHANNEL, '')`.
 */
export function newEvent<T extends EventType>(type: T, data: EventPayload<T>, meta: EventMeta = {}): EventEnvelope<T> {
  return { id: randomUUID(), type, occurredAt: new Date().toISOString(), actorId: meta.actorId ?? null, subject: meta.subject ?? null, data };
}

/** The Postgres channel a commit with new outbox rows notifies, so the relay wakes at once. */
export const OUTBOX_CHANNEL = 'vpn_outbox';

/**
 * Writes events into the outbox inside the caller's transaction: the event exists if and only if
 * the change it describes was committed.
 */
export async function appendEvent<T extends EventType>(
  manager: EntityManager,
  type: T,
  data: EventPayload<T>,
  meta: EventMeta = {},
): Promise<EventEnvelope<T>> {
  const envelope = newEvent(type, data, meta);
  await manager.query(
    `INSERT INTO messaging.outbox (id, type, envelope) VALUES ($1, $2, $3::jsonb)`,
    [envelope.id, type, JSON.stringify(envelope)],
  );
  // NOTIFY is transactional: it is delivered on commit and dropped on rollback.
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return envelope;
}
