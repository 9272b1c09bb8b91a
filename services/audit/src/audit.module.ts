import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditBusController } from './audit.controller';
import { AuditLogRepository } from './log/audit-log.repository';
import { AuditLogService } from './log/audit-log.service';
import { AuditRetention } from './log/audit-retention';

/** The audit log (schema `audit`): a durable consumer of every event, `audit.list`, retention. */
@Module({ imports: [ScheduleModule.forRoot()], controllers: [AuditBusController], providers: [AuditLogRepository, AuditLogService, AuditRetention] })
export class AuditModule {}
