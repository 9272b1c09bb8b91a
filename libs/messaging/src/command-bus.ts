import {
  CommonErrorCode, DomainError, commandOwner,
  type CommandReply, type CommandRequest, type CommandSubject,
} from '@vpn/contracts';
import { bodyToError, decodeJson, encodeJson, errorToBody, type ReplyEnvelope } from './codec';
import { NoRespondersError, TransportTimeoutError, type MessageTransport, type Subscription } from './transport';

export interface RequestOptions {
  /** Deadline of the whole request; the default suits a command that may touch a remote server. */
  timeoutMs?: number;
}

export type CommandHandler<S extends CommandSubject> = (request: CommandRequest<S>) => Promise<CommandReply<S>>;

/** Observes every request: used for latency metrics. */
export type RequestObserver = (subject: CommandSubject, ms: number, outcome: 'ok' | 'error' | 'timeout' | 'unavailable') => void;

/** Observes every command this process handled: used for handler latency metrics. */
export type HandlerObserver = (subject: CommandSubject, ms: number, outcome: 'ok' | 'error') => void;

/**
 * Typed request/reply over a transport. A handler's DomainError reaches the caller as the same
 * DomainError; any other failure is INTERNAL. Each subject is served by its owner's queue group.
 */
export class CommandBus {
  private observer: RequestObserver | undefined;
  private handlerObserver: HandlerObserver | undefined;

  constructor(private readonly transport: MessageTransport, private readonly defaultTimeoutMs = 10_000) {}

  observe(observer: RequestObserver): void {
    this.observer = observer;
  }

  observeHandling(observer: HandlerObserver): void {
    this.handlerObserver = observer;
  }

  async request<S extends CommandSubject>(subject: S, payload: CommandRequest<S>, opts: RequestOptions = {}): Promise<CommandReply<S>> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    let outcome: 'ok' | 'error' | 'timeout' | 'unavailable' = 'error';
    try {
      const raw = await this.transport.request(subject, encodeJson(payload), timeoutMs);
      const reply = decodeJson<ReplyEnvelope<CommandReply<S>>>(raw);
      if (!reply.ok) throw bodyToError(reply.error);
      outcome = 'ok';
      return reply.data;
    } catch (e) {
      if (e instanceof TransportTimeoutError) {
        outcome = 'timeout';
        throw new DomainError(CommonErrorCode.BUS_TIMEOUT, `${subject} did not answer in time`);
      }
      if (e instanceof NoRespondersError) {
        outcome = 'unavailable';
        throw new DomainError(CommonErrorCode.BUS_UNAVAILABLE, `${subject} is not available`);
      }
      throw e;
    } finally {
      this.observer?.(subject, performance.now() - started, outcome);
    }
  }

  /** Serves `subject` in its owner's queue group (or `queue` when given). */
  async handle<S extends CommandSubject>(subject: S, handler: CommandHandler<S>, opts: { queue?: string } = {}): Promise<Subscription> {
    return this.transport.serve(subject, { queue: opts.queue ?? commandOwner(subject) }, async (data) => {
      let reply: ReplyEnvelope<CommandReply<S>>;
      const started = performance.now();
      try {
        const request = decodeJson<CommandRequest<S>>(data);
        reply = { ok: true, data: await handler(request) };
      } catch (e) {
        reply = { ok: false, error: errorToBody(e) };
      }
      this.handlerObserver?.(subject, performance.now() - started, reply.ok ? 'ok' : 'error');
      return encodeJson(reply);
    });
  }
}
