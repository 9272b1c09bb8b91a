import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { BillingLimitsCommandsController } from './billing-limits.controller';
import { PlansRepository } from './plans/plans.repository';
import { PlansService } from './plans/plans.service';
import { AccountsRepository } from './slots/accounts.repository';
import { DeviceSlotsService } from './slots/device-slots.service';
import { ReservationSweeper } from './slots/reservation-sweeper';

/** Plans, accounts and device slots (schema `billing`); serves the `limits.*` commands. */
@Module({ imports: [ScheduleModule.forRoot()], controllers: [BillingLimitsCommandsController], providers: [PlansRepository, AccountsRepository, PlansService, DeviceSlotsService, ReservationSweeper] })
export class BillingLimitsModule {}
