import { Global, Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { DiscoveryService, ModulesContainer, NestFactory } from '@nestjs/core';
import type { CommandSubject } from '@vpn/contracts';
import { DataSource } from '@vpn/db';
import { CommandBus, startEventConsumer, type Subscription } from '@vpn/messaging';
import { COMMAND_HANDLER, EVENT_HANDLER, type EventHandlerMeta } from './decorators';
import type { RunningService, ServiceContext } from './service';

/** Injection tokens of the context parts that are not classes. */
export const SERVICE_CONTEXT = Symbol('SERVICE_CONTEXT');
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
function nestLogger(ctx: ServiceContext) {
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
 * Starts a Nest application context for a service module, then serves every `@OnCommand`
 * method on the bus and starts every `@OnEvent` consumer. Returns a handle that stops both.
 */
export async function startNestService(module: Type<unknown>, ctx: ServiceContext): Promise<RunningService & { app: INestApplicationContext }> {
  @Module({ imports: [ServiceContextModule.forContext(ctx), module] })
  class Root {}
  const app = await NestFactory.createApplicationContext(Root, { logger: nestLogger(ctx), abortOnError: false });
  await app.init();
  const subs = await bindHandlers(app, ctx);
  return {
    app,
    stop: async () => {
      for (const s of subs) await s.unsubscribe().catch(() => undefined);
      await app.close();
    },
  };
}

/** Finds decorated handlers on every provider instance and wires them to the bus. */
export async function bindHandlers(app: INestApplicationContext, ctx: ServiceContext): Promise<Subscription[]> {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const subs: Subscription[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string | symbol, unknown> | undefined;
    if (!instance || typeof instance !== 'object') continue;
    const ctor = (instance as object).constructor;
    const commands: Array<{ subject: CommandSubject; key: string | symbol }> = Reflect.getMetadata(COMMAND_HANDLER, ctor) ?? [];
    for (const { subject, key } of commands) {
      const fn = (instance[key] as (req: unknown) => Promise<unknown>).bind(instance);
      subs.push(await ctx.commands.handle(subject, fn as never));
    }
    const events: Array<EventHandlerMeta & { key: string | symbol }> = Reflect.getMetadata(EVENT_HANDLER, ctor) ?? [];
    for (const meta of events) {
      const fn = (instance[meta.key] as (...a: unknown[]) => Promise<void>).bind(instance);
      subs.push(await startEventConsumer(ctx.transport, ctx.dataSource, ctx.logger, {
        name: meta.consumer, types: meta.types, maxDeliver: meta.maxDeliver, handler: fn,
      }));
    }
  }
  return subs;
}
