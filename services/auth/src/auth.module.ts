import { Module } from '@nestjs/common';

/** The auth service's Nest module: its providers register bus handlers with @OnCommand / @OnEvent. */
@Module({})
export class AuthModule {}
