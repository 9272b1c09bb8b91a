import { OutboxMessageEntity, PreparedStatement, type DataSource, type EntityManager } from '@vpn/db';
import type { EventEnvelope } from '@vpn/contracts';

// NOTIFY is transactional: it is delivered on commit and dropped on rollback.
const APPEND = new PreparedStatement<never>('outbox_append', `
  WITH appended AS (INSERT INTO messaging.outbox (id, type, envelope) SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[]))
  SELECT pg_notify($4, '')`);
const CLAIM_UNPUBLISHED = new PreparedStatement<{ id: string; envelope: EventEnvelope }>('outbox_claim', `
  SELECT id, envelope FROM messaging.outbox WHERE published_at IS NULL
  ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`);
const MARK_PUBLISHED = new PreparedStatement<never>('outbox_mark_published',
  `UPDATE messaging.outbox SET published_at = now() WHERE id = ANY($1::uuid[])`);

/** messaging.outbox: every statement on it. Hot paths are prepared, one statement per call. */
export class OutboxRepository {
  /** `m`: the caller's transaction for append, claim and mark. */
  constructor(private readonly m: DataSource | EntityManager) {}

  /** Inserts the events and notifies `channel` on commit, in one statement. */
  async append(envelopes: readonly EventEnvelope[], channel: string): Promise<void> {
    await APPEND.rows(this.m, [envelopes.map((e) => e.id), envelopes.map((e) => e.type), envelopes.map((e) => JSON.stringify(e)), channel]);
  }

  /** The oldest unpublished rows, locked so that concurrent relays skip them. */
  claimUnpublished(limit: number): Promise<Array<{ id: string; envelope: EventEnvelope }>> {
    return CLAIM_UNPUBLISHED.rows(this.m, [limit]);
  }

  async markPublished(ids: readonly string[]): Promise<void> {
    await MARK_PUBLISHED.rows(this.m, [ids]);
  }

  async deletePublishedBefore(ageMs: number): Promise<void> {
    await this.m.createQueryBuilder().delete().from(OutboxMessageEntity)
      .where('published_at < now() - make_interval(secs => :secs)', { secs: ageMs / 1000 })
      .execute();
  }
}
