import { ClientNats, ServerNats, type MessageHandler, type NatsOptions, type WritePacket, type ReadPacket } from '@nestjs/microservices';
import type { MsPattern } from '@nestjs/microservices/interfaces';
import { createInbox, type Msg, type NatsConnection } from 'nats';
import { Observable } from 'rxjs';
import { NoRespondersError } from '../transport';

export interface NatsCommandOptions {
  /** `nats://host:4222[,nats://…]` */
  servers: string;
  /** Connection name shown by the NATS server. */
  name: string;
  /** Prefix of every subject: isolates test runs on a shared server. */
  prefix?: string;
}

function connectionOptions(o: NatsCommandOptions): Required<NatsOptions>['options'] {
  return {
    servers: o.servers.split(',').map((s) => s.trim()),
    name: o.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 5_000,
    pingInterval: 10_000,
    // A stack captured per request costs more than the rest of the request's client work.
    noAsyncTraces: true,
  };
}

/** The status the NATS server answers a request with when nobody subscribes to its subject. */
const NO_RESPONDERS = 503;

const prefixed = (prefix: string | undefined, subject: string): string => (prefix ? `${prefix}.${subject}` : subject);

/**
 * Nest's NATS server for commands: every `@MessagePattern` subject is served in the service's queue
 * group (one replica handles each request); subjects carry the deployment's prefix.
 */
export class CommandServerNats extends ServerNats {
  constructor(private readonly commandOptions: NatsCommandOptions & { queue: string }) {
    super({ ...connectionOptions(commandOptions), queue: commandOptions.queue, gracefulShutdown: false });
  }

  override addHandler(pattern: MsPattern, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    super.addHandler(prefixed(this.commandOptions.prefix, this.normalizePattern(pattern)), callback, isEventHandler, extras);
  }

  /** Our subjects are plain strings: look them up directly (Nest first tries JSON.parse on every message, which throws). */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }
}

/**
 * Nest's NATS client for commands, with the deployment's subject prefix. Replies come back on one
 * wildcard subscription per connection (`<inbox>.<token>`), not a subscription per request as
 * `ClientNats` makes: no SUB/UNSUB per command, and a caller that gives up (its deadline, enforced by
 * `CommandBus`) just forgets its token. "No responders" (the server's 503 status) is told apart from
 * a reply, so a caller answers 503 at once instead of waiting out its deadline.
 */
export class CommandClientNats extends ClientNats {
  private readonly pending = new Map<string, (msg: Msg) => void>();
  private inbox: string | null = null;
  private nextToken = 0;

  constructor(private readonly commandOptions: NatsCommandOptions) {
    super(connectionOptions(commandOptions));
  }

  override async connect(): Promise<NatsConnection> {
    const nc = (await super.connect()) as NatsConnection;
    if (!this.inbox) {
      const inbox = createInbox();
      const at = inbox.length + 1;
      nc.subscribe(`${inbox}.*`, {
        callback: (err, msg) => {
          if (err) return;
          const token = msg.subject.slice(at);
          const resolve = this.pending.get(token);
          if (!resolve) return; // its caller gave up
          this.pending.delete(token);
          resolve(msg);
        },
      });
      this.inbox = inbox;
    }
    return nc;
  }

  /** Once connected, a request is one Observable around `publish` (no per-request connect step). */
  override send<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    if (!this.inbox || !this.natsClient) return super.send(pattern, data);
    return new Observable<TResult>((observer) => this.publish({ pattern, data }, this.createObserver(observer)));
  }

  protected override normalizePattern(pattern: MsPattern): string {
    return prefixed(this.commandOptions.prefix, super.normalizePattern(pattern));
  }

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => unknown): () => void {
    const token = String(this.nextToken++);
    try {
      const packet = this.assignPacketId(partialPacket);
      const serialized = this.serializer.serialize(packet) as { data: Uint8Array; headers?: unknown };
      this.pending.set(token, (msg) => {
        if (msg.headers?.code === NO_RESPONDERS && msg.data.length === 0) {
          callback({ err: new NoRespondersError(String(partialPacket.pattern)), isDisposed: true });
          return;
        }
        Promise.resolve(this.deserializer.deserialize(msg.data) as WritePacket).then(
          ({ err, response }) => callback(err ? { err, isDisposed: true } : { response, isDisposed: true }),
          (err: unknown) => callback({ err, isDisposed: true }),
        );
      });
      (this.natsClient as NatsConnection).publish(this.normalizePattern(partialPacket.pattern), serialized.data, {
        reply: `${this.inbox}.${token}`,
        headers: this.mergeHeaders(serialized.headers),
      });
    } catch (err) {
      this.pending.delete(token);
      callback({ err, isDisposed: true });
    }
    return () => {
      this.pending.delete(token);
    };
  }

  override async close(): Promise<void> {
    this.pending.clear();
    this.inbox = null;
    await super.close();
  }
}
