import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CONSUMERS, EVENT_TYPES, type CommandReply, type CommandRequest, type EventEnvelope } from '@vpn/contracts';
import { CommandPattern, EventContext, EventsPattern } from '@vpn/messaging';
import { AuditLogService } from './log/audit-log.service';

/** The audit service on the bus: every event once into the log (a durable consumer), and `audit.list`. */
@Controller()
export class AuditBusController {
  constructor(
    private readonly auditLog: AuditLogService,
  ) {}

  /** Exactly once: the log row is written in the transaction of the consumer's inbox row. */
  @EventsPattern({ consumer: CONSUMERS.auditLog, types: EVENT_TYPES })
  record(@Payload() event: EventEnvelope, @Ctx() ctx: EventContext): Promise<void> {
    return this.auditLog.record(event, ctx.manager);
  }

  @CommandPattern('audit.list')
  list(@Payload() req: CommandRequest<'audit.list'>): Promise<CommandReply<'audit.list'>> {
    return this.auditLog.list(req);
  }
}
