import { Module } from '@nestjs/common';
import { AdminSyncController } from './admin-sync.controller';

@Module({ controllers: [AdminSyncController] })
export class AdminSyncModule {}
