import { randomBytes } from 'node:crypto';
import { EVENT_STREAM, EVENT_SUBJECT_ROOT } from '@vpn/contracts';
import { InProcessTransport, NatsTransport, type MessageTransport } from '@vpn/messaging';

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

  async cleanup(): Promise<void> {
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
