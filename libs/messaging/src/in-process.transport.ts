import { randomUUID } from 'node:crypto';
import {
  NoRespondersError, TransportTimeoutError,
  type Bytes, type ConsumerOptions, type DeliveredMessage, type MessageTransport, type PublishResult,
  type ServeOptions, type Subscription,
} from './transport';

interface Server {
  id: string;
  subject: string;
  queue: string;
  handler: (data: Bytes) => Promise<Bytes>;
}

interface StoredMessage {
  seq: number;
  subject: string;
  data: Bytes;
}

interface DurableState {
  opts: ConsumerOptions;
  /** Next stream seq not yet handed to this durable. */
  nextSeq: number;
  /** seq → deliveries so far, for messages delivered but not acked. */
  pending: Map<number, number>;
  /** seqs due for redelivery (nak, ack timeout, or left by a stopped consumer). */
  redeliver: Set<number>;
  active: ActiveConsumer | null;
}

interface ActiveConsumer {
  id: string;
  handler: (msg: DeliveredMessage) => Promise<void>;
  timers: Set<NodeJS.Timeout>;
  stopped: boolean;
}

/** Matches NATS subject wildcards: `*` one token, `>` the rest. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/**
 * The in-process bus: the same semantics as NATS + JetStream (queue groups, deadlines,
 * no-responders, msg-id dedupe window, durable consumers with ack/nak/term, ack wait,
 * max deliveries), held in memory. Used by the single-process start and the contract tests.
 */
export class InProcessTransport implements MessageTransport {
  readonly kind = 'in-process' as const;
  private readonly servers: Server[] = [];
  private readonly roundRobin = new Map<string, number>();
  private readonly stream: StoredMessage[] = [];
  private readonly seenMsgIds = new Map<string, { seq: number; at: number }>();
  private readonly durables = new Map<string, DurableState>();
  private closed = false;

  constructor(private readonly opts: { duplicateWindowMs?: number } = {}) {}

  async request(subject: string, data: Bytes, timeoutMs: number): Promise<Bytes> {
    this.assertOpen();
    const server = this.pickServer(subject);
    if (!server) throw new NoRespondersError(subject);
    const copy = new Uint8Array(data);
    return new Promise<Bytes>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TransportTimeoutError(subject, timeoutMs)), timeoutMs);
      // Run on a later tick, as a network hop would, so callers never depend on synchronous replies.
      setImmediate(() => {
        server.handler(copy).then(
          (reply) => {
            clearTimeout(timer);
            resolve(new Uint8Array(reply));
          },
          (e: unknown) => {
            clearTimeout(timer);
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      });
    });
  }

  async serve(subject: string, opts: ServeOptions, handler: (data: Bytes) => Promise<Bytes>): Promise<Subscription> {
    this.assertOpen();
    const server: Server = { id: randomUUID(), subject, queue: opts.queue, handler };
    this.servers.push(server);
    return {
      unsubscribe: async () => {
        const i = this.servers.indexOf(server);
        if (i >= 0) this.servers.splice(i, 1);
      },
    };
  }

  async publishEvent(subject: string, data: Bytes, msgId: string): Promise<PublishResult> {
    this.assertOpen();
    const now = Date.now();
    const window = this.opts.duplicateWindowMs ?? 120_000;
    const seen = this.seenMsgIds.get(msgId);
    if (seen && now - seen.at < window) return { seq: seen.seq, duplicate: true };
    const message: StoredMessage = { seq: this.stream.length + 1, subject, data: new Uint8Array(data) };
    this.stream.push(message);
    this.seenMsgIds.set(msgId, { seq: message.seq, at: now });
    this.pruneMsgIds(now, window);
    for (const durable of this.durables.values()) this.pump(durable);
    return { seq: message.seq, duplicate: false };
  }

  async consume(opts: ConsumerOptions, handler: (msg: DeliveredMessage) => Promise<void>): Promise<Subscription> {
    this.assertOpen();
    let durable = this.durables.get(opts.durable);
    if (!durable) {
      durable = { opts, nextSeq: 1, pending: new Map(), redeliver: new Set(), active: null };
      this.durables.set(opts.durable, durable);
    }
    if (durable.active) throw new Error(`durable ${opts.durable} already has an active consumer`);
    durable.opts = opts;
    const active: ActiveConsumer = { id: randomUUID(), handler, timers: new Set(), stopped: false };
    durable.active = active;
    // Whatever a previous consumer left unacked is delivered again.
    for (const seq of durable.pending.keys()) durable.redeliver.add(seq);
    const d = durable;
    setImmediate(() => this.pump(d));
    return {
      unsubscribe: async () => {
        active.stopped = true;
        for (const t of active.timers) clearTimeout(t);
        if (d.active === active) d.active = null;
      },
    };
  }

  async flush(): Promise<void> {
    await new Promise((r) => setImmediate(r));
  }

  async isHealthy(): Promise<boolean> {
    return !this.closed;
  }

  async abort(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const d of this.durables.values()) {
      if (d.active) {
        d.active.stopped = true;
        for (const t of d.active.timers) clearTimeout(t);
      }
    }
    this.servers.length = 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new NoRespondersError('(closed bus)');
  }

  private pickServer(subject: string): Server | undefined {
    const candidates = this.servers.filter((s) => subjectMatches(s.subject, subject));
    if (candidates.length === 0) return undefined;
    const key = `${subject}|${candidates[0].queue}`;
    const n = this.roundRobin.get(key) ?? 0;
    this.roundRobin.set(key, n + 1);
    return candidates[n % candidates.length];
  }

  private pruneMsgIds(now: number, window: number): void {
    if (this.seenMsgIds.size < 10_000) return;
    for (const [id, seen] of this.seenMsgIds) if (now - seen.at >= window) this.seenMsgIds.delete(id);
  }

  /** Delivers what the durable may take now: redeliveries first, then new messages, up to maxAckPending. */
  private pump(d: DurableState): void {
    const active = d.active;
    if (!active || active.stopped || this.closed) return;
    const inFlight = () => d.pending.size - d.redeliver.size;
    for (const seq of [...d.redeliver].sort((a, b) => a - b)) {
      if (inFlight() >= d.opts.maxAckPending) return;
      d.redeliver.delete(seq);
      this.deliver(d, active, seq);
    }
    while (d.nextSeq <= this.stream.length && inFlight() < d.opts.maxAckPending) {
      const msg = this.stream[d.nextSeq - 1];
      d.nextSeq++;
      if (!subjectMatches(d.opts.filterSubject, msg.subject)) continue;
      d.pending.set(msg.seq, 0);
      this.deliver(d, active, msg.seq);
    }
  }

  private deliver(d: DurableState, active: ActiveConsumer, seq: number): void {
    const count = (d.pending.get(seq) ?? 0) + 1;
    if (count > d.opts.maxDeliver) {
      d.pending.delete(seq);
      return;
    }
    d.pending.set(seq, count);
    const msg = this.stream[seq - 1];
    let settled = false;
    const settle = (action: () => void) => {
      if (settled || active.stopped) return;
      settled = true;
      clearTimeout(ackTimer);
      active.timers.delete(ackTimer);
      action();
      setImmediate(() => this.pump(d));
    };
    const ackTimer = setTimeout(() => settle(() => d.redeliver.add(seq)), d.opts.ackWaitMs);
    active.timers.add(ackTimer);
    const delivered: DeliveredMessage = {
      subject: msg.subject,
      data: new Uint8Array(msg.data),
      deliveryCount: count,
      ack: () => settle(() => d.pending.delete(seq)),
      term: () => settle(() => d.pending.delete(seq)),
      nak: (delayMs = 0) =>
        settle(() => {
          const t = setTimeout(() => {
            active.timers.delete(t);
            if (active.stopped) return;
            d.redeliver.add(seq);
            this.pump(d);
          }, delayMs);
          active.timers.add(t);
        }),
    };
    setImmediate(() => {
      if (active.stopped) return;
      active.handler(delivered).catch(() => delivered.nak(0));
    });
  }
}
