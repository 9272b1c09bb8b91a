import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { ServiceContextModule, type ServiceContext } from '@vpn/platform';
import { GatewayMetrics, httpLogging } from './common';
import { setupOpenApi } from './docs/openapi';
import { expressTrustProxy } from './edge/proxy-trust';
import { bodyDepthLimit, bodyReadErrors, jsonBodiesOnly } from './edge/request-body';
import { securityHeaders } from './edge/security-headers';
import { GatewayModule } from './gateway.module';
import { serveFrontend } from './static/frontend';

/** Builds the HTTP edge on a service context; the caller listens. */
export async function createGatewayApp(ctx: ServiceContext): Promise<INestApplication> {
  @Module({ imports: [ServiceContextModule.forContext(ctx), GatewayModule] })
  class Root {}
  const app = await NestFactory.create<NestExpressApplication>(Root, { logger: false, bodyParser: false });
  // Client address and protocol come from X-Forwarded-* only through the proxies TRUST_PROXY names.
  app.set('trust proxy', expressTrustProxy(ctx.config.trustProxy));
  app.disable('x-powered-by');
  app.use(httpLogging(ctx.logger));
  app.use(app.get(GatewayMetrics).middleware());
  app.use(securityHeaders);
  app.use(jsonBodiesOnly);
  app.useBodyParser('json', { limit: '100kb', type: ['application/json', '+json'] });
  app.use(bodyReadErrors);
  app.use(bodyDepthLimit);
  app.use(cookieParser());
  app.setGlobalPrefix('api');
  if (ctx.config.apiDocs) setupOpenApi(app);
  // Static files are registered before Nest's routes and its 404 handler.
  serveFrontend(app.getHttpAdapter().getInstance());
  await app.init();
  return app;
}
