import { randomBytes } from 'node:crypto';
import { EVENT_STREAM, EVENT_SUBJECT_ROOT } from '@vpn/contracts';
import { BusEndpoints, CommandBus, InProcessTransport, NatsTransport, type MessageTransport } from '@vpn/messaging';

export function testNatsUrl(): string {
  const url = process.env.TEST_NATS_URL;
  if (!url) throw new Error('TEST_NATS_URL is not set: run tests through jest (its global setup finds NATS)');
  return url;
}

/** A subject prefix and stream of its own, so test files never see each other's messages. */
export function newBusPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export async function connectTestNats(prefix: string, name = 'test'): Promise<NatsTransport> {
  return NatsTransport.connect({
    servers: testNatsUrl(),
    name,
    prefix,
    streamName: EVENT_STREAM,
    streamSubjects: [`${EVENT_SUBJECT_ROOT}.>`],
    storage: 'memory',
    duplicateWindowMs: 120_000,
  });
}

export type TransportKind = 'nats' | 'in-process';

/**
 * A bus for tests. For NATS every call with the same prefix is a separate connection to the same
 * isolated subjects and stream, as separate processes would be; for in-process all share one bus.
 */
export class TestBus {
  private readonly open: MessageTransport[] = [];
  private readonly clients: CommandBus[] = [];
  private shared: InProcessTransport | null = null;
  readonly prefix = newBusPrefix();

  constructor(readonly kind: TransportKind) {}

  async connect(name = 'test'): Promise<MessageTransport> {
    if (this.kind === 'in-process') {
      this.shared ??= new InProcessTransport();
      return this.shared;
    }
    const t = await connectTestNats(this.prefix, name);
    this.open.push(t);
    return t;
  }

  /** The Nest strategies and clients for a service connected through `transport`. */
  endpoints(transport: MessageTransport): BusEndpoints {
    return new BusEndpoints(transport, { natsUrl: this.kind === 'nats' ? testNatsUrl() : undefined, prefix: this.prefix });
  }

  /** A command client of its own, as another process would have; closed by `cleanup`. */
  async commandBus(name = 'test-client', transport?: MessageTransport): Promise<CommandBus> {
    const t = transport ?? (this.kind === 'in-process' ? await this.connect(name) : (this.open[0] ?? (await this.connect(name))));
    const bus = new CommandBus(this.endpoints(t).createClient(name));
    this.clients.push(bus);
    return bus;
  }

  async cleanup(): Promise<void> {
    for (const c of this.clients) await c.close().catch(() => undefined);
    const first = this.open[0] as NatsTransport | undefined;
    if (first && this.kind === 'nats') {
      const admin = await connectTestNats(this.prefix, 'cleanup');
      await admin.deleteStream();
      await admin.close();
    }
    for (const t of this.open) await t.close().catch(() => undefined);
    await this.shared?.close();
  }
}
