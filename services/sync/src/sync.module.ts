import { Module } from '@nestjs/common';

/** The sync service's Nest module: its providers register bus handlers with @OnCommand / @OnEvent. */
@Module({})
export class SyncModule {}
