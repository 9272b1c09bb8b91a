import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { CommandBus } from '@vpn/messaging';
import { AccessDeclarationsCheck } from './access-declarations.check';
import { AccessGuard } from './access.guard';
import { AccessTokenStrategy } from './access-token.strategy';
import { HttpExceptionFilter } from './http-exception.filter';
import { GatewayMetrics } from './metrics';
import { TokenStateCache } from './token-state.cache';
import { VerificationKeys } from './verification-keys';
import { createValidationPipe } from './validation.pipe';

/**
 * What every route module of the gateway relies on, installed globally: the access guard, the
 * error filter, the validation pipe, token verification (passport) and metrics.
 */
@Global()
@Module({
  imports: [DiscoveryModule, PassportModule],
  providers: [
    VerificationKeys, AccessTokenStrategy, TokenStateCache, GatewayMetrics, AccessDeclarationsCheck,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [TokenStateCache, GatewayMetrics],
})
export class GatewayCommonModule implements OnModuleInit {
  constructor(private readonly metrics: GatewayMetrics, @Inject(CommandBus) private readonly commands: CommandBus) {}

  onModuleInit(): void {
    this.metrics.observeBus(this.commands);
  }
}
