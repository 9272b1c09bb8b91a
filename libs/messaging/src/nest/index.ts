export { CommandServerNats, CommandClientNats, type NatsCommandOptions } from './nats-commands';
export { EventServer, JetStreamEventServer, EventContext, type EventHandlerExtras, type EventServerDeps } from './event-server';
export { InProcessServer, InProcessClient } from './in-process';
export { BusExceptionFilter, isErrorBody } from './rpc-errors';
export { CommandPattern, EventsPattern } from './decorators';
