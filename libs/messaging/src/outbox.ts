import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventPayload, EventType } from '@vpn/contracts';
import { OutboxRepository } from './outbox.repository';

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
  const [envelope] = await appendEvents(manager, [{ type, data, ...meta }]);
  return envelope as EventEnvelope<T>;
}

/**
 * `appendEvent` for many events at once: one statement (INSERT … unnest and notify), in the caller's
 * transaction (a 10,000-peer re-add would otherwise cost 10,000 round trips).
 */
export async function appendEvents(manager: EntityManager, events: readonly PendingEvent[]): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  const envelopes = events.map((e) => newEvent(e.type, e.data, e));
  await new OutboxRepository(manager).append(envelopes, OUTBOX_PROCESS_CHANNEL);
  return envelopes;
}
