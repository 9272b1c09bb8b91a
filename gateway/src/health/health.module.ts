import { Module } from '@nestjs/common';
import { ReadinessModule } from '@vpn/platform';
import { HealthController } from './health.controller';

@Module({ imports: [ReadinessModule.forRoot({ serve: false })], controllers: [HealthController] })
export class HealthModule {}
