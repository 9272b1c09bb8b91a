import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventPayload, EventType } from '@vpn/contracts';

export interface EventMeta {
  actorId?: string | null;
  subject?: string | null;
}

/**
 * A new event envelope. For a hot path that writes its change and its event in one SQL statement,
 * insert it into messaging.outbox in that statement and call `pg_notify(OUTBOX_PROCESS_CHANNEL, '')`.
 */
export function newEvent<T extends EventType>(type: T, data: EventPayload<T>, meta: EventMeta = {}): EventEnvelope<T> {
  return { id: randomUUID(), type, occurredAt: new Date().toISOString(), actorId: meta.actorId ?? null, subject: meta.subject ?? null, data };
}

/** The Postgres channel a commit with new outbox rows notifies, so the relay wakes at once. */
export const OUTBOX_CHANNEL = 'vpn_outbox';

/**
 * The channel this process's commits notify. Only its own relay listens to it (besides the shared
 * OUTBOX_CHANNEL, which wakes every relay), so a commit wakes one relay and PostgreSQL delivers one
 * notification, not one per process of the deployment. Rows a crashed writer left are picked up by
 * every relay's fallback poll.
 */
export const OUTBOX_PROCESS_CHANNEL = `${OUTBOX_CHANNEL}_${randomUUID().replace(/-/g, '')}`;

export interface PendingEvent<T extends EventType = EventType> {
  type: T;
  data: EventPayload<T>;
  actorId?: string | null;
  subject?: string | null;
}

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
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_PROCESS_CHANNEL]);
  return envelope;
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
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_PROCESS_CHANNEL]);
}
