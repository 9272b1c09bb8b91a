import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PlansService } from './plans/plans.service';
import { DeviceSlotsService } from './slots/device-slots.service';
import { ReservationSweeper } from './slots/reservation-sweeper';

/** Plans, accounts and device slots (schema `billing`); serves the `limits.*` commands. */
@Module({ imports: [ScheduleModule.forRoot()], providers: [PlansService, DeviceSlotsService, ReservationSweeper] })
export class BillingLimitsModule {}
