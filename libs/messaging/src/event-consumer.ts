import type { DataSource, EntityManager } from 'typeorm';
import { ALL_EVENTS_FILTER, type EventEnvelope, type EventType } from '@vpn/contracts';
import type { Logger } from '@vpn/runtime';
import { decodeJson } from './codec';
import { InboxRepository } from './inbox.repository';
import type { DeliveredMessage, MessageTransport, Subscription } from './transport';

export interface EventConsumerOptions<T extends EventType> {
  /** Durable name; also the inbox key, so two consumers never share dedupe state. */
  name: string;
  /** Event types this consumer handles; others are acked untouched. Empty = all. */
  types?: readonly T[];
  maxDeliver?: number;
  ackWaitMs?: number;
  maxAckPending?: number;
  /** Base delay of a retry; grows with each delivery. */
  retryDelayMs?: number;
  handler: (event: EventEnvelope<T>, manager: EntityManager) => Promise<void>;
}

/**
 * A durable consumer that applies each event exactly once: the inbox row and the handler's
 * writes commit together, and a redelivered event finds its inbox row and is only acked.
 */
export async function startEventConsumer<T extends EventType>(
  transport: MessageTransport,
  ds: DataSource,
  logger: Logger,
  opts: EventConsumerOptions<T>,
): Promise<Subscription> {
  const types = new Set<string>(opts.types ?? []);
  // Generous: a database outage of minutes must not exhaust deliveries (the delay is capped below).
  const maxDeliver = opts.maxDeliver ?? 100;
  const retryDelayMs = opts.retryDelayMs ?? 1_000;
  return transport.consume(
    {
      durable: opts.name,
      filterSubject: ALL_EVENTS_FILTER,
      maxDeliver,
      ackWaitMs: opts.ackWaitMs ?? 30_000,
      maxAckPending: opts.maxAckPending ?? 64,
    },
    async (msg: DeliveredMessage) => {
      let envelope: EventEnvelope<T>;
      try {
        envelope = decodeJson<EventEnvelope<T>>(msg.data);
        if (typeof envelope?.id !== 'string' || typeof envelope.type !== 'string') throw new Error('not an event envelope');
      } catch (e) {
        logger.error({ consumer: opts.name, subject: msg.subject, err: (e as Error).message }, 'malformed event dropped');
        msg.term();
        return;
      }
      if (types.size > 0 && !types.has(envelope.type)) {
        msg.ack();
        return;
      }
      try {
        await ds.transaction(async (m) => {
          if (!(await new InboxRepository(m).markHandled(opts.name, envelope.id))) return; // a redelivery
          await opts.handler(envelope, m);
        });
        msg.ack();
      } catch (e) {
        if (msg.deliveryCount >= maxDeliver) {
          logger.error({ consumer: opts.name, eventId: envelope.id, type: envelope.type, err: (e as Error).message }, 'event failed on every delivery; dropped');
          msg.term();
        } else {
          logger.warn({ consumer: opts.name, eventId: envelope.id, delivery: msg.deliveryCount, err: (e as Error).message }, 'event handling failed; will retry');
          msg.nak(Math.min(retryDelayMs * msg.deliveryCount, 10_000));
        }
      }
    },
  );
}
