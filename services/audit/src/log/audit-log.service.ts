import { Inject, Injectable } from '@nestjs/common';
import {
  CommonErrorCode, DomainError, isUuid, type AuditEntryView, type CommandReply, type CommandRequest, type EventEnvelope,
} from '@vpn/contracts';
import { DataSource, queryRows, type EntityManager } from '@vpn/db';

export const AUDIT_LIST_MAX = 500;

interface AuditRow {
  id: string;
  type: string;
  occurred_at: Date;
  actor_id: string | null;
  subject: string | null;
  data: Record<string, unknown>;
}

/**
 * The audit log (schema `audit`): every domain event once, keyed by its event id. The inbox row of
 * the durable consumer and the log row commit together, and the primary key makes a second insert
 * of the same event a no-op as well.
 */
@Injectable()
export class AuditLogService {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async record(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO audit.audit_log (id, type, occurred_at, actor_id, subject, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [event.id, event.type, event.occurredAt, event.actorId, event.subject, JSON.stringify(event.data ?? {})],
    );
  }

  /**
   * Newest first. `before` is the id of an entry (the last one of the previous page): the page
   * continues strictly after it in (occurredAt, id) order, so entries with equal times are neither
   * skipped nor repeated.
   */
  async list(req: CommandRequest<'audit.list'>): Promise<CommandReply<'audit.list'>> {
    const limit = req.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_LIST_MAX) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `limit must be an integer 1..${AUDIT_LIST_MAX}`);
    }
    let rows: AuditRow[];
    if (req.before === undefined || req.before === null) {
      rows = await queryRows<AuditRow>(this.ds,
        `SELECT id, type, occurred_at, actor_id, subject, data FROM audit.audit_log ORDER BY occurred_at DESC, id DESC LIMIT $1`, [limit]);
    } else {
      if (typeof req.before !== 'string' || !isUuid(req.before)) {
        throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'before must be the id of an audit entry');
      }
      const cursor = await queryRows<{ occurred_at: Date }>(this.ds, `SELECT occurred_at FROM audit.audit_log WHERE id = $1`, [req.before]);
      if (cursor.length === 0) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'before must be the id of an audit entry');
      rows = await queryRows<AuditRow>(this.ds, `
        SELECT id, type, occurred_at, actor_id, subject, data FROM audit.audit_log
        WHERE (occurred_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY occurred_at DESC, id DESC LIMIT $3`, [cursor[0].occurred_at, req.before, limit]);
    }
    return rows.map(toView);
  }
}

function toView(r: AuditRow): AuditEntryView {
  return { id: r.id, type: r.type, occurredAt: r.occurred_at.toISOString(), actorId: r.actor_id, subject: r.subject, data: r.data };
}
