import { Module } from '@nestjs/common';

/** The billing-limits service's Nest module: its providers register bus handlers with @OnCommand / @OnEvent. */
@Module({})
export class BillingLimitsModule {}
