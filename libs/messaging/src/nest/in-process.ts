import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { decodeJson, encodeJson, errorToBody, type ReplyEnvelope } from '../codec';
import type { InProcessTransport } from '../in-process.transport';
import { isErrorBody } from './rpc-errors';
import { EventServer, type EventServerDeps } from './event-server';

/** The in-process transport's own deadline is a backstop: callers time out through the client (CommandBus). */
const BACKSTOP_TIMEOUT_MS = 10 * 60_000;

/**
 * The single-process start's strategy: `@MessagePattern` handlers served on the in-process bus in the
 * service's queue group, `@EventPattern` handlers as durable exactly-once consumers of its stream —
 * the same semantics as Nest's NATS server plus our JetStream strategy.
 */
export class InProcessServer extends EventServer {
  constructor(deps: EventServerDeps & { transport: InProcessTransport }, private readonly queue: string) {
    super(deps);
  }

  private get bus(): InProcessTransport {
    return this.deps.transport as InProcessTransport;
  }

  listen(callback: (err?: unknown) => void): void {
    this.serveCommands().then(() => this.startEventConsumers()).then(() => callback(), callback);
  }

  private async serveCommands(): Promise<void> {
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.isEventHandler) continue;
      this.subscriptions.push(await this.bus.serve(pattern, { queue: this.queue }, async (data) => {
        let reply: ReplyEnvelope<unknown>;
        try {
          const result$ = this.transformToObservable(await handler(decodeJson(data)));
          reply = { ok: true, data: await lastValueFrom(result$, { defaultValue: undefined }) };
        } catch (e) {
          // The exception filter has turned a handler's error into its error body already.
          reply = { ok: false, error: isErrorBody(e) ? e : errorToBody(e) };
        }
        return encodeJson(reply);
      }));
    }
  }

  async close(): Promise<void> {
    await this.stopSubscriptions();
  }
}

/** ClientProxy on the in-process bus: what `CommandClientNats` is on NATS. */
export class InProcessClient extends ClientProxy {
  constructor(private readonly bus: InProcessTransport) {
    super();
  }

  async connect(): Promise<void> {
    // Nothing to connect: the bus lives in this process.
  }

  async close(): Promise<void> {
    // The bus is closed by whoever created it.
  }

  override on(): never {
    throw new Error('the in-process client has no status events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  protected override publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let cancelled = false;
    this.bus.request(this.normalizePattern(packet.pattern), encodeJson(packet.data), BACKSTOP_TIMEOUT_MS).then(
      (raw) => {
        if (cancelled) return;
        const reply = decodeJson<ReplyEnvelope<unknown>>(raw);
        if (reply.ok) callback({ response: reply.data, isDisposed: true });
        else callback({ err: reply.error, isDisposed: true });
      },
      (err: unknown) => {
        if (!cancelled) callback({ err, isDisposed: true });
      },
    );
    return () => {
      cancelled = true;
    };
  }

  protected override dispatchEvent(): Promise<never> {
    // Events are written to the outbox in the transaction of their change, never emitted directly.
    return Promise.reject(new Error('events go through the outbox'));
  }
}

