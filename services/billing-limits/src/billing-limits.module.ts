import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { BillingLimitsCommandsController } from './billing-limits.controller';
import { PlansRepository } from './plans/plans.repository';
import { PlansService } from './plans/plans.service';
import { AccountsRepository } from './slots/accounts.repository';
import { DeviceSlotsService } from './slots/device-slots.service';
import { ReservationSweeper } from './slots/reservation-sweeper';
import { SubscriptionTicker } from './subscriptions/subscription-ticker';
import { SubscriptionsRepository } from './subscriptions/subscriptions.repository';
import { SubscriptionsService } from './subscriptions/subscriptions.service';

/** Plans, accounts, device slots and subscriptions (schema `billing`); serves the `limits.*` commands. */
@Module({
  imports: [ScheduleModule.forRoot()],
  controllers: [BillingLimitsCommandsController],
  providers: [
    PlansRepository, AccountsRepository, SubscriptionsRepository, PlansService, DeviceSlotsService, SubscriptionsService,
    ReservationSweeper, SubscriptionTicker,
  ],
})
export class BillingLimitsModule {}
