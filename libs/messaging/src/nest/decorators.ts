import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { CommandSubject, EventType } from '@vpn/contracts';
import type { EventHandlerExtras } from './event-server';

/** `@MessagePattern` for a command of the contracts' CommandMap (checked at compile time). */
export function CommandPattern(subject: CommandSubject): MethodDecorator {
  return MessagePattern(subject);
}

/**
 * `@EventPattern` for events of the contracts' EventMap, handled by one durable consumer
 * (`consumer` names it; also the inbox key, so redeliveries have no second effect).
 */
export function EventsPattern(opts: { consumer: string; types: readonly EventType[]; maxDeliver?: number }): MethodDecorator {
  const extras: EventHandlerExtras = { consumer: opts.consumer, maxDeliver: opts.maxDeliver };
  return EventPattern([...opts.types], extras);
}
