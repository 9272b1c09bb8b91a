import { Module } from '@nestjs/common';

/** The provisioning service's Nest module: its providers register bus handlers with @OnCommand / @OnEvent. */
@Module({})
export class ProvisioningModule {}
