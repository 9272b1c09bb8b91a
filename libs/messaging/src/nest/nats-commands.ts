import { ClientNats, ServerNats, type MessageHandler, type NatsOptions, type WritePacket, type ReadPacket } from '@nestjs/microservices';
import type { MsPattern } from '@nestjs/microservices/interfaces';
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
}

/** 503 status the NATS server answers a request with when nobody subscribes to its subject. */
const NO_RESPONDERS = 503;

/**
 * Nest's NATS client for commands, with the deployment's subject prefix, and "no responders" told
 * apart from an empty reply, so a caller can answer 503 at once instead of waiting out its deadline.
 */
export class CommandClientNats extends ClientNats {
  constructor(private readonly commandOptions: NatsCommandOptions) {
    super(connectionOptions(commandOptions));
  }

  protected override normalizePattern(pattern: MsPattern): string {
    return prefixed(this.commandOptions.prefix, super.normalizePattern(pattern));
  }

  override createSubscriptionHandler(packet: ReadPacket & { id: string }, callback: (packet: WritePacket) => unknown) {
    const handle = super.createSubscriptionHandler(packet, callback);
    return async (error: unknown, natsMsg: { data?: Uint8Array; headers?: { code?: number } }) => {
      if (!error && natsMsg?.headers?.code === NO_RESPONDERS && !natsMsg.data?.length) {
        return callback({ err: new NoRespondersError(String(packet.pattern)), isDisposed: true });
      }
      return handle(error as never, natsMsg as never);
    };
  }
}
