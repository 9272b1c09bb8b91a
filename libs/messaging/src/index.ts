export * from './transport';
export { InProcessTransport, subjectMatches } from './in-process.transport';
export { NatsTransport, type NatsTransportOptions } from './nats.transport';
export * from './codec';
export * from './command-bus';
export * from './outbox';
export * from './outbox-relay';
export * from './event-consumer';
export * from './bus';
