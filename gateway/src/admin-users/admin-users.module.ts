import { Module } from '@nestjs/common';
import { AdminUserSubscriptionController } from './admin-user-subscription.controller';
import { AdminUsersController } from './admin-users.controller';

@Module({ controllers: [AdminUsersController, AdminUserSubscriptionController] })
export class AdminUsersModule {}
