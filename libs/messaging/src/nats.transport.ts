import {
  AckPolicy, connect, DeliverPolicy, ErrorCode, nanos, RetentionPolicy, StorageType,
  type ConsumerMessages, type JetStreamClient, type JetStreamManager, type NatsConnection, type NatsError,
} from 'nats';
import type { Bytes, ConsumerOptions, DeliveredMessage, MessageTransport, PublishResult, Subscription } from './transport';

export interface NatsTransportOptions {
  servers: string;
  /** Connection name shown by the NATS server (`nats server report connections`). */
  name: string;
  /** Prefix of every subject and of the stream name: isolates test runs on a shared server. */
  prefix?: string;
  streamName: string;
  /** The stream's subjects below the prefix, e.g. `vpn.events.>`. */
  streamSubjects: string[];
  streamReplicas?: number;
  duplicateWindowMs?: number;
  /** Memory storage for tests; file storage in production. */
  storage?: 'file' | 'memory';
}

/**
 * JetStream transport for events (commands go through Nest's NATS transport).
 * The stream is created or updated idempotently at connect.
 */
export class NatsTransport implements MessageTransport {
  readonly kind = 'nats' as const;
  private readonly consumers = new Set<ConsumerMessages>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly opts: NatsTransportOptions,
  ) {}

  static async connect(opts: NatsTransportOptions): Promise<NatsTransport> {
    const nc = await connect({
      servers: opts.servers.split(',').map((s) => s.trim()),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5_000,
      pingInterval: 10_000,
      // A stack captured per request costs more than the rest of the request's client work; our
      // errors name the subject instead.
      noAsyncTraces: true,
    });
    const jsm = await nc.jetstreamManager({ timeout: 5_000 });
    const t = new NatsTransport(nc, nc.jetstream({ timeout: 5_000 }), jsm, opts);
    await t.ensureStream();
    return t;
  }

  get streamName(): string {
    return this.opts.prefix ? `${this.opts.streamName}_${this.opts.prefix.replace(/[^A-Za-z0-9_-]/g, '_')}` : this.opts.streamName;
  }

  private p(subject: string): string {
    return this.opts.prefix ? `${this.opts.prefix}.${subject}` : subject;
  }

  private unp(subject: string): string {
    const pre = this.opts.prefix ? `${this.opts.prefix}.` : '';
    return pre && subject.startsWith(pre) ? subject.slice(pre.length) : subject;
  }

  async ensureStream(): Promise<void> {
    const config = {
      name: this.streamName,
      subjects: this.opts.streamSubjects.map((s) => this.p(s)),
      storage: this.opts.storage === 'memory' ? StorageType.Memory : StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(this.opts.duplicateWindowMs ?? 120_000),
      num_replicas: this.opts.streamReplicas ?? 1,
      max_age: nanos(7 * 24 * 3600 * 1000),
    };
    try {
      await this.jsm.streams.info(config.name);
      // Storage cannot change on a live stream; everything else converges to this configuration.
      const { storage: _fixed, ...mutable } = config;
      void _fixed;
      await this.jsm.streams.update(config.name, mutable);
    } catch (e) {
      if ((e as NatsError).code === '404' || /stream not found/i.test(String((e as Error).message))) {
        await this.jsm.streams.add(config);
      } else {
        throw e;
      }
    }
  }

  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.streamName).catch(() => undefined);
  }

  async publishEvent(subject: string, data: Bytes, msgId: string): Promise<PublishResult> {
    const ack = await this.js.publish(this.p(subject), data, { msgID: msgId, expect: { streamName: this.streamName } });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  async consume(opts: ConsumerOptions, handler: (msg: DeliveredMessage) => Promise<void>): Promise<Subscription> {
    const config = {
      durable_name: opts.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.p(opts.filterSubject),
      max_deliver: opts.maxDeliver,
      ack_wait: nanos(opts.ackWaitMs),
      max_ack_pending: opts.maxAckPending,
    };
    try {
      await this.jsm.consumers.info(this.streamName, opts.durable);
      await this.jsm.consumers.update(this.streamName, opts.durable, {
        max_deliver: config.max_deliver, ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending,
        filter_subject: config.filter_subject,
      });
    } catch (e) {
      if ((e as NatsError).code === '404' || /consumer not found/i.test(String((e as Error).message))) {
        await this.jsm.consumers.add(this.streamName, config);
      } else {
        throw e;
      }
    }
    const consumer = await this.js.consumers.get(this.streamName, opts.durable);
    const messages = await consumer.consume({ max_messages: Math.min(opts.maxAckPending, 256) });
    this.consumers.add(messages);
    const inFlight = new Set<Promise<void>>();
    const loop = (async () => {
      for await (const m of messages) {
        const delivered: DeliveredMessage = {
          subject: this.unp(m.subject),
          data: m.data,
          deliveryCount: m.info.deliveryCount,
          ack: () => m.ack(),
          nak: (delayMs?: number) => m.nak(delayMs),
          term: () => m.term(),
        };
        const p = handler(delivered).catch(() => m.nak(1_000));
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        if (inFlight.size >= opts.maxAckPending) await Promise.race(inFlight);
      }
    })().catch(() => {
      // The connection closed under the iterator (shutdown, crash, NATS gone for good): unacked
      // messages are redelivered to whichever consumer of this durable runs next.
    });
    return {
      unsubscribe: async () => {
        this.consumers.delete(messages);
        await messages.close().catch(() => undefined);
        await loop.catch(() => undefined);
        await Promise.allSettled([...inFlight]);
      },
    };
  }

  async deleteConsumer(durable: string): Promise<void> {
    await this.jsm.consumers.delete(this.streamName, durable).catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.nc.flush();
  }

  async isHealthy(): Promise<boolean> {
    if (this.nc.isClosed()) return false;
    try {
      await Promise.race([
        this.nc.flush(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('flush timeout')), 1_000)),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  async abort(): Promise<void> {
    this.consumers.clear();
    if (!this.nc.isClosed()) await this.nc.close();
  }

  async close(): Promise<void> {
    for (const c of this.consumers) await c.close().catch(() => undefined);
    this.consumers.clear();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}
