import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthThrottlerModule, noStore } from './auth-rate-limits';

@Module({ imports: [AuthThrottlerModule], controllers: [AuthController] })
export class AuthRoutesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(noStore).forRoutes(AuthController);
  }
}
