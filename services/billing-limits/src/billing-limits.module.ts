import { Module } from '@nestjs/common';
import { PlansService } from './plans/plans.service';
import { DeviceSlotsService } from './slots/device-slots.service';

/** Plans, accounts and device slots (schema `billing`); serves the `limits.*` commands. */
@Module({ providers: [PlansService, DeviceSlotsService] })
export class BillingLimitsModule {}
