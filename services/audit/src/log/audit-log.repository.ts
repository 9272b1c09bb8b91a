import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@vpn/contracts';
import { AuditEntryEntity, DataSource, PreparedStatement, type EntityManager } from '@vpn/db';

const RECORD = new PreparedStatement<never>('audit_record', `
  INSERT INTO audit.audit_log (id, type, occurred_at, actor_id, subject, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
  ON CONFLICT (id) DO NOTHING`);

/** audit.audit_log: every statement on it. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** In the consumer's transaction (every event passes here: prepared); a second insert of the same event is a no-op. */
  async record(m: EntityManager, e: EventEnvelope): Promise<void> {
    await RECORD.rows(m, [e.id, e.type, e.occurredAt, e.actorId, e.subject, JSON.stringify(e.data ?? {})]);
  }

  findById(id: string): Promise<AuditEntryEntity | null> {
    return this.ds.getRepository(AuditEntryEntity).findOneBy({ id });
  }

  /** Newest first, strictly after `cursor` in (occurredAt, id) order when given. */
  page(limit: number, cursor?: Pick<AuditEntryEntity, 'id' | 'occurredAt'> | null): Promise<AuditEntryEntity[]> {
    const q = this.ds.getRepository(AuditEntryEntity).createQueryBuilder('e')
      .orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').limit(limit);
    if (cursor) q.where('(e.occurred_at, e.id) < (:at::timestamptz, :id::uuid)', { at: cursor.occurredAt, id: cursor.id });
    return q.getMany();
  }

  /** Deletes up to `batch` entries older than `days`; returns how many went. */
  async deleteOlderThan(days: number, batch: number): Promise<number> {
    const result = await this.ds.createQueryBuilder().delete().from(AuditEntryEntity)
      .where(`id IN (SELECT id FROM audit.audit_log WHERE occurred_at < now() - make_interval(days => :days) LIMIT :batch)`, { days, batch })
      .execute();
    return result.affected ?? 0;
  }
}
