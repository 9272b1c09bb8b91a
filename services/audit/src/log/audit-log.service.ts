import { Inject, Injectable } from '@nestjs/common';
import {
  CommonErrorCode, DomainError, isUuid, type AuditEntryView, type CommandReply, type CommandRequest, type EventEnvelope,
} from '@vpn/contracts';
import type { AuditEntryEntity, EntityManager } from '@vpn/db';
import { AuditLogRepository } from './audit-log.repository';

export const AUDIT_LIST_MAX = 500;

/**
 * The audit log (schema `audit`): every domain event once, keyed by its event id. The inbox row of
 * the durable consumer and the log row commit together, and the primary key makes a second insert
 * of the same event a no-op as well.
 */
@Injectable()
export class AuditLogService {
  constructor(@Inject(AuditLogRepository) private readonly log: AuditLogRepository) {}

  record(event: EventEnvelope, manager: EntityManager): Promise<void> {
    return this.log.record(manager, event);
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
    let cursor: AuditEntryEntity | null | undefined;
    if (req.before !== undefined && req.before !== null) {
      cursor = isUuid(req.before) ? await this.log.findById(req.before) : null;
      if (!cursor) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'before must be the id of an audit entry');
    }
    return (await this.log.page(limit, cursor)).map(toView);
  }
}

function toView(e: AuditEntryEntity): AuditEntryView {
  return { id: e.id, type: e.type, occurredAt: e.occurredAt.toISOString(), actorId: e.actorId, subject: e.subject, data: e.data };
}
