import { Global, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from '@vpn/db';
import { commandOwner } from '@vpn/contracts';
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
  /** DataSource is provided only to a service that has one: anything injecting it elsewhere fails at start. */
  static forContext(ctx: ServiceContext): DynamicModule {
    const database = ctx.dataSource ? [{ provide: DataSource, useValue: ctx.dataSource }] : [];
    return {
      module: ServiceContextModule,
      providers: [
        { provide: SERVICE_CONTEXT, useValue: ctx },
        { provide: LOGGER, useValue: ctx.logger },
        { provide: PLATFORM_CONFIG, useValue: ctx.config },
        { provide: CommandBus, useValue: ctx.commands },
        ...database,
      ],
      exports: [SERVICE_CONTEXT, LOGGER, PLATFORM_CONFIG, CommandBus, ...(ctx.dataSource ? [DataSource] : [])],
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
  const { dataSource } = ctx;
  // Its event consumers keep their inbox in the service's database.
  if (!dataSource) throw new Error(`${ctx.name}: a Nest service on the bus needs its database (declare needs: ['database'])`);
  const answerDatabaseHealth = commandOwner('health.database') === ctx.name;
  @Module({ imports: [ServiceContextModule.forContext(ctx), ReadinessModule.forRoot({ serve: ctx.serveHealth === true, answerDatabaseHealth }), module] })
  class Root {}
  const app = await NestFactory.create(Root, { logger: nestLogger(ctx), abortOnError: false, bodyParser: false });
  app.useGlobalFilters(new BusExceptionFilter(ctx.logger));
  app.useGlobalInterceptors(new CommandMetricsInterceptor());
  for (const strategy of ctx.bus.createServers(ctx.name, { dataSource, logger: ctx.logger })) {
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  if (ctx.serveHealth) await app.listen(ctx.config.healthPort, '0.0.0.0');
  else await app.init();
  return { app, stop: () => app.close() };
}
