import { EVENT_STREAM, EVENT_SUBJECT_ROOT } from '@vpn/contracts';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { CommandClient } from './command-bus';
import { InProcessTransport } from './in-process.transport';
import { CommandClientNats, CommandServerNats, InProcessClient, InProcessServer, JetStreamEventServer, type EventServerDeps } from './nest';
import { NatsTransport } from './nats.transport';
import type { MessageTransport } from './transport';

export interface BusConfig {
  /** Unset: the in-process bus (single-process start only). */
  natsUrl?: string;
  name: string;
  prefix?: string;
  streamReplicas?: number;
  storage?: 'file' | 'memory';
}

/** Connects the transport the configuration asks for. */
export async function connectTransport(config: BusConfig): Promise<MessageTransport> {
  if (!config.natsUrl) return new InProcessTransport();
  return NatsTransport.connect({
    servers: config.natsUrl,
    name: config.name,
    prefix: config.prefix,
    streamName: EVENT_STREAM,
    streamSubjects: [`${EVENT_SUBJECT_ROOT}.>`],
    streamReplicas: config.streamReplicas,
    storage: config.storage,
  });
}

/**
 * The Nest side of a bus: the command client a process calls with, and the transport strategies a
 * service is served by. On NATS: Nest's NATS server and client for commands (queue group per
 * service) and our JetStream strategy for events; in-process: our strategy and client for both.
 */
export class BusEndpoints {
  constructor(readonly transport: MessageTransport, private readonly config: Pick<BusConfig, 'natsUrl' | 'prefix'>) {}

  /** A command client; on NATS its own connection, named for the server's connection list. */
  createClient(name: string): CommandClient {
    if (this.transport instanceof InProcessTransport) return new InProcessClient(this.transport);
    return new CommandClientNats({ servers: this.natsUrl, name: `${name}-commands`, prefix: this.config.prefix });
  }

  /** The strategies that serve a service's `@MessagePattern` and `@EventPattern` handlers. */
  createServers(queue: string, deps: Omit<EventServerDeps, 'transport'>): CustomTransportStrategy[] {
    const events = { ...deps, transport: this.transport };
    if (this.transport instanceof InProcessTransport) return [new InProcessServer({ ...events, transport: this.transport }, queue)];
    return [
      new CommandServerNats({ servers: this.natsUrl, name: `${queue}-commands`, prefix: this.config.prefix, queue }),
      new JetStreamEventServer(events),
    ];
  }

  private get natsUrl(): string {
    if (!this.config.natsUrl) throw new Error('NATS_URL is not set');
    return this.config.natsUrl;
  }
}
