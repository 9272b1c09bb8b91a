/**
 * The event wire under the outbox relay and the event strategies. Two implementations keep the same
 * semantics: JetStream and in-process (the single-process start, which also carries its commands).
 * Commands on NATS go through Nest's own NATS transport (`CommandServerNats` / `CommandClientNats`).
 */
export type Bytes = Uint8Array;

export interface ServeOptions {
  /** Queue group: one member of the group handles each request. */
  queue: string;
}

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface ConsumerOptions {
  /** Durable name: a consumer that stops and starts again resumes where it was. */
  durable: string;
  /** Subject filter below the stream, e.g. `vpn.events.>`. */
  filterSubject: string;
  /** Deliveries of one message before it is dropped (terminated). */
  maxDeliver: number;
  /** ms a delivered message may stay unacked before it is delivered again. */
  ackWaitMs: number;
  /** Unacked messages in flight at once. */
  maxAckPending: number;
}

export interface DeliveredMessage {
  subject: string;
  data: Bytes;
  /** 1 on first delivery. */
  deliveryCount: number;
  ack(): void;
  /** Deliver again after `delayMs`. */
  nak(delayMs?: number): void;
  /** Never deliver again. */
  term(): void;
}

export interface PublishResult {
  seq: number;
  duplicate: boolean;
}

export interface MessageTransport {
  readonly kind: 'nats' | 'in-process';
  /** Publishes to the event stream; a repeated `msgId` inside the duplicate window is dropped. */
  publishEvent(subject: string, data: Bytes, msgId: string): Promise<PublishResult>;
  consume(opts: ConsumerOptions, handler: (msg: DeliveredMessage) => Promise<void>): Promise<Subscription>;
  /** Waits until everything published so far has reached the server. */
  flush(): Promise<void>;
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
  /** Closes at once without draining or settling anything: what a crash looks like to others. */
  abort(): Promise<void>;
}

/** Request failures, mapped to error codes by the command bus. */
export class TransportTimeoutError extends Error {
  constructor(subject: string, timeoutMs: number) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
    this.name = 'TransportTimeoutError';
  }
}

export class NoRespondersError extends Error {
  constructor(subject: string) {
    super(`nobody serves ${subject}`);
    this.name = 'NoRespondersError';
  }
}
