import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditLogService } from './log/audit-log.service';
import { AuditRetention } from './log/audit-retention';

/** The audit log (schema `audit`): a durable consumer of every event, `audit.list`, retention. */
@Module({ imports: [ScheduleModule.forRoot()], providers: [AuditLogService, AuditRetention] })
export class AuditModule {}
