import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { ServiceContextModule, type ServiceContext } from '@vpn/platform';
import { GatewayMetrics, httpLogging } from './common';
import { setupOpenApi } from './docs/openapi';
import { GatewayModule } from './gateway.module';
import { serveFrontend } from './static/frontend';

/** Builds the HTTP edge on a service context; the caller listens. */
export async function createGatewayApp(ctx: ServiceContext): Promise<INestApplication> {
  @Module({ imports: [ServiceContextModule.forContext(ctx), GatewayModule] })
  class Root {}
  const app = await NestFactory.create<NestExpressApplication>(Root, { logger: false, bodyParser: false });
  // Client addresses (login throttling) come from X-Forwarded-For only through local proxies.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  app.use(httpLogging(ctx.logger));
  app.use(app.get(GatewayMetrics).middleware());
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } } }));
  app.useBodyParser('json', { limit: '100kb' });
  app.use(cookieParser());
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  setupOpenApi(app);
  // Static files are registered before Nest's routes and its 404 handler.
  serveFrontend(app.getHttpAdapter().getInstance());
  await app.init();
  return app;
}
