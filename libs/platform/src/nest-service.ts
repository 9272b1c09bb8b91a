import { Global, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from '@vpn/db';
import { BusExceptionFilter, CommandBus } from '@vpn/messaging';
import { CommandMetricsInterceptor } from './bus-metrics';
import { ReadinessModule, SERVICE_CONTEXT } from './health';
import type { RunningService, ServiceContext } from './service';

export { SERVICE_CONTEXT } from './health';
/** Injection tokens of the context parts that are not classes. */
export const LOGGER = Symbol('LOGGER');
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

@Global()
@Module({})
export class ServiceContextModule {
  static forContext(ctx: ServiceContext): DynamicModule {
    return {
      module: ServiceContextModule,
      providers: [
        { provide: SERVICE_CONTEXT, useValue: ctx },
        { provide: LOGGER, useValue: ctx.logger },
        { provide: PLATFORM_CONFIG, useValue: ctx.config },
        { provide: DataSource, useValue: ctx.dataSource },
        { provide: CommandBus, useValue: ctx.commands },
      ],
      exports: [SERVICE_CONTEXT, LOGGER, PLATFORM_CONFIG, DataSource, CommandBus],
    };
  }
}

/** A Nest logger that writes through the service's pino logger. */
export function nestLogger(ctx: Pick<ServiceContext, 'logger'>) {
  const l = ctx.logger;
  return {
    log: (m: unknown, c?: string) => l.debug({ context: c }, String(m)),
    error: (m: unknown, t?: string, c?: string) => l.error({ context: c, trace: t }, String(m)),
    warn: (m: unknown, c?: string) => l.warn({ context: c }, String(m)),
    debug: (m: unknown, c?: string) => l.debug({ context: c }, String(m)),
    verbose: (m: unknown, c?: string) => l.trace({ context: c }, String(m)),
  };
}

/**
 * Starts a service module as a Nest hybrid application: its `@MessagePattern` handlers are served
 * by the bus's command strategy (Nest's NATS server, queue group = service name) and its
 * `@EventPattern` handlers by the event strategy (JetStream, or the in-process bus). A service in
 * its own process also listens on HEALTH_PORT for /health (terminus) and /metrics.
 */
export async function startNestService(module: Type<unknown>, ctx: ServiceContext): Promise<RunningService & { app: INestApplication }> {
  @Module({ imports: [ServiceContextModule.forContext(ctx), ReadinessModule.forRoot({ serve: ctx.serveHealth === true }), module] })
  class Root {}
  const app = await NestFactory.create(Root, { logger: nestLogger(ctx), abortOnError: false, bodyParser: false });
  app.useGlobalFilters(new BusExceptionFilter(ctx.logger));
  app.useGlobalInterceptors(new CommandMetricsInterceptor());
  for (const strategy of ctx.bus.createServers(ctx.name, { dataSource: ctx.dataSource, logger: ctx.logger })) {
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  if (ctx.serveHealth) await app.listen(ctx.config.healthPort, '0.0.0.0');
  else await app.init();
  return { app, stop: () => app.close() };
}
