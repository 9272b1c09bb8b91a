import { Module } from '@nestjs/common';
import { AdminConfigsController } from './admin-configs.controller';

@Module({ controllers: [AdminConfigsController] })
export class AdminConfigsModule {}
