import { InboxEntryEntity, type EntityManager } from '@vpn/db';

/** messaging.inbox: the events each durable consumer has handled. */
export class InboxRepository {
  /** `m`: the handler's transaction, so the inbox row commits with the handler's writes. */
  constructor(private readonly m: EntityManager) {}

  /** False when the consumer handled the event before (a redelivery). */
  async markHandled(consumer: string, eventId: string): Promise<boolean> {
    const inserted = await this.m.createQueryBuilder().insert().into(InboxEntryEntity).values({ consumer, eventId })
      .orIgnore().updateEntity(false).returning('event_id').execute();
    return (inserted.raw as unknown[]).length > 0;
  }
}
