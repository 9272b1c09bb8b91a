import { EVENT_STREAM, EVENT_SUBJECT_ROOT } from '@vpn/contracts';
import { InProcessTransport } from './in-process.transport';
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
