import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ServiceContextModule, type ServiceContext } from '@vpn/platform';
import { GatewayModule } from './gateway.module';
import { serveFrontend } from './static/frontend';

/** Builds the HTTP edge on a service context; the caller listens. */
export async function createGatewayApp(ctx: ServiceContext): Promise<INestApplication> {
  @Module({ imports: [ServiceContextModule.forContext(ctx), GatewayModule] })
  class Root {}
  const app = await NestFactory.create<NestExpressApplication>(Root, { logger: false, bodyParser: true });
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  // Static files are registered before Nest's routes and its 404 handler.
  serveFrontend(app.getHttpAdapter().getInstance());
  await app.init();
  return app;
}
