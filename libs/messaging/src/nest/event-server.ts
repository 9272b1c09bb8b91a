import type { MessageHandler } from '@nestjs/microservices';
import { Server, BaseRpcContext } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope, EventType } from '@vpn/contracts';
import type { Logger } from '@vpn/runtime';
import { startEventConsumer } from '../event-consumer';
import type { MessageTransport, Subscription } from '../transport';

/** What `@EventsPattern` stores beside each handler: the durable consumer it belongs to. */
export interface EventHandlerExtras {
  consumer: string;
  maxDeliver?: number;
}

/**
 * The context of an `@EventPattern` handler: the event and the transaction its inbox row is written
 * in, so the handler's writes and the "handled" mark commit together (exactly-once effects).
 */
export class EventContext extends BaseRpcContext<[EntityManager, EventEnvelope]> {
  get manager(): EntityManager {
    return this.args[0];
  }

  get event(): EventEnvelope {
    return this.args[1];
  }
}

export interface EventServerDeps {
  transport: MessageTransport;
  dataSource: DataSource;
  logger: Logger;
}

/**
 * Base of our strategies: runs every `@EventPattern` handler as a durable, exactly-once consumer of
 * the event stream (one consumer per `consumer` name, the inbox in the handler's transaction).
 */
export abstract class EventServer extends Server {
  protected readonly subscriptions: Subscription[] = [];

  protected constructor(protected readonly deps: EventServerDeps) {
    super();
  }

  protected async startEventConsumers(): Promise<void> {
    const byConsumer = new Map<string, { types: Set<string>; maxDeliver?: number }>();
    for (const [pattern, handler] of this.messageHandlers) {
      if (!handler.isEventHandler) continue;
      const extras = handler.extras as EventHandlerExtras | undefined;
      if (!extras?.consumer) throw new Error(`event handler for ${pattern} names no consumer`);
      const group = byConsumer.get(extras.consumer) ?? { types: new Set<string>(), maxDeliver: extras.maxDeliver };
      group.types.add(pattern);
      byConsumer.set(extras.consumer, group);
    }
    for (const [consumer, group] of byConsumer) {
      this.subscriptions.push(await startEventConsumer(this.deps.transport, this.deps.dataSource, this.deps.logger, {
        name: consumer,
        types: [...group.types] as EventType[],
        maxDeliver: group.maxDeliver,
        handler: (event, manager) => this.dispatch(consumer, event, manager),
      }));
    }
  }

  /** Runs the consumer's handlers of this event type in order; a failure rolls the transaction back (redelivery). */
  private async dispatch(consumer: string, event: EventEnvelope, manager: EntityManager): Promise<void> {
    let handler: MessageHandler | undefined = this.messageHandlers.get(event.type);
    const ctx = new EventContext([manager, event]);
    for (; handler; handler = handler.next) {
      if ((handler.extras as EventHandlerExtras | undefined)?.consumer !== consumer) continue;
      await lastValueFrom(this.transformToObservable(await handler(event, ctx)), { defaultValue: undefined });
    }
  }

  protected async stopSubscriptions(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) await s.unsubscribe().catch(() => undefined);
  }

  on(): never {
    throw new Error(`${this.constructor.name} has no status events`);
  }

  unwrap<T>(): T {
    return this.deps.transport as T;
  }
}

/** Events over JetStream (`@EventPattern` handlers); commands of the same service go through Nest's NATS server. */
export class JetStreamEventServer extends EventServer {
  constructor(deps: EventServerDeps) {
    super(deps);
  }

  listen(callback: (err?: unknown) => void): void {
    this.startEventConsumers().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.stopSubscriptions();
  }
}
