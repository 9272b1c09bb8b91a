import { Module } from '@nestjs/common';

/** The audit service's Nest module: its providers register bus handlers with @OnCommand / @OnEvent. */
@Module({})
export class AuditModule {}
