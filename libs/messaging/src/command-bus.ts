import type { ClientProxy } from '@nestjs/microservices';
import {
  CommonErrorCode, DomainError,
  type CommandReply, type CommandRequest, type CommandSubject,
} from '@vpn/contracts';
import { bodyToError } from './codec';
import { isErrorBody } from './nest/rpc-errors';
import { NoRespondersError, TransportTimeoutError } from './transport';

/** What the bus needs of a Nest client: Nest's NATS client and our in-process client both fit. */
export type CommandClient = Pick<ClientProxy, 'send' | 'close'>;

export interface RequestOptions {
  /** Deadline of the whole request; the default suits a command that may touch a remote server. */
  timeoutMs?: number;
}

/** Observes every request: used for latency metrics. */
export type RequestObserver = (subject: CommandSubject, ms: number, outcome: 'ok' | 'error' | 'timeout' | 'unavailable') => void;

/**
 * Typed request/reply on a Nest `ClientProxy` (Nest's NATS client, or our in-process client): the
 * subject and both payloads are checked against the contracts' CommandMap. A handler's DomainError
 * reaches the caller as the same DomainError; a missed deadline is BUS_TIMEOUT, nobody serving the
 * subject is BUS_UNAVAILABLE, anything else INTERNAL.
 */
export class CommandBus {
  private observer: RequestObserver | undefined;

  constructor(readonly client: CommandClient, private readonly defaultTimeoutMs = 10_000) {}

  observe(observer: RequestObserver): void {
    this.observer = observer;
  }

  async request<S extends CommandSubject>(subject: S, payload: CommandRequest<S>, opts: RequestOptions = {}): Promise<CommandReply<S>> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    let outcome: 'ok' | 'error' | 'timeout' | 'unavailable' = 'error';
    try {
      const reply = await this.within(subject, payload, timeoutMs);
      outcome = 'ok';
      return reply;
    } catch (e) {
      if (e instanceof TransportTimeoutError) {
        outcome = 'timeout';
        throw new DomainError(CommonErrorCode.BUS_TIMEOUT, `${subject} did not answer in time`);
      }
      if (e instanceof NoRespondersError || isConnectionLost(e)) {
        outcome = 'unavailable';
        throw new DomainError(CommonErrorCode.BUS_UNAVAILABLE, `${subject} is not available`);
      }
      if (isErrorBody(e)) throw bodyToError(e);
      throw new DomainError(CommonErrorCode.INTERNAL, 'internal error');
    } finally {
      this.observer?.(subject, performance.now() - started, outcome);
    }
  }

  /** The client's reply, or TransportTimeoutError at the deadline (then the request is forgotten). */
  private within<S extends CommandSubject>(subject: S, payload: CommandRequest<S>, timeoutMs: number): Promise<CommandReply<S>> {
    return new Promise<CommandReply<S>>((resolve, reject) => {
      let value: CommandReply<S> | undefined;
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(new TransportTimeoutError(subject, timeoutMs));
      }, timeoutMs);
      const subscription = this.client.send<CommandReply<S>, CommandRequest<S>>(subject, payload).subscribe({
        next: (v) => (value = v),
        error: (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
        complete: () => {
          clearTimeout(timer);
          resolve(value as CommandReply<S>);
        },
      });
    });
  }

  close(): Promise<void> {
    return Promise.resolve(this.client.close());
  }
}

/** Nest's NATS client rejects with this text while its connection is down. */
function isConnectionLost(e: unknown): boolean {
  const text = typeof e === 'string' ? e : (e as { message?: string; code?: string } | null)?.code ?? (e as Error | null)?.message ?? '';
  return /Connection lost|CONNECTION_CLOSED|DISCONNECT|CONNECTION_REFUSED/i.test(String(text));
}
