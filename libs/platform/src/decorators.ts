import 'reflect-metadata';
import type { CommandSubject, EventType } from '@vpn/contracts';

export const COMMAND_HANDLER = Symbol('vpn:command-handler');
export const EVENT_HANDLER = Symbol('vpn:event-handler');

export interface EventHandlerMeta {
  /** Durable consumer name (see CONSUMERS in contracts). */
  consumer: string;
  types?: readonly EventType[];
  maxDeliver?: number;
}

/** Marks a provider method as the handler of a bus command; it is served in the owner's queue group. */
export function OnCommand(subject: CommandSubject): MethodDecorator {
  return (target, key) => {
    const list: Array<{ subject: CommandSubject; key: string | symbol }> = Reflect.getMetadata(COMMAND_HANDLER, target.constructor) ?? [];
    Reflect.defineMetadata(COMMAND_HANDLER, [...list, { subject, key }], target.constructor);
  };
}

/** Marks a provider method as a durable, exactly-once event handler: `(event, manager) => Promise<void>`. */
export function OnEvent(meta: EventHandlerMeta): MethodDecorator {
  return (target, key) => {
    const list: Array<EventHandlerMeta & { key: string | symbol }> = Reflect.getMetadata(EVENT_HANDLER, target.constructor) ?? [];
    Reflect.defineMetadata(EVENT_HANDLER, [...list, { ...meta, key }], target.constructor);
  };
}
